with

incidents as (

    select * from {{ ref('int_incidents_attributed') }}

),

people as (

    select * from {{ ref('int_people_classified') }}

),

-- Engineers are the roster's people; a roster row that is a bot counts in no measure.
engineers as (

    select * from people
    where not is_bot

),

final as (

    select
        -- ids
        incidents.incident_id,
        incidents.service,
        incidents.team_id,
        incidents.responder_employee_id,
        engineers.team_id as responder_team_id,
        incidents.caused_by_deployment_id,
        incidents.repo,

        -- strings
        incidents.title,
        incidents.severity,
        incidents.responder_email,

        -- numerics
        incidents.time_to_acknowledge_hours,
        incidents.time_to_resolve_hours,

        -- booleans
        incidents.is_resolved,

        -- dates
        incidents.created_week_start,
        incidents.resolved_week_start,

        -- timestamps
        incidents.created_at,
        incidents.acknowledged_at,
        incidents.resolved_at

    from incidents
    left join engineers
        on incidents.responder_employee_id = engineers.employee_id

)

select * from final
