with

incidents as (

    select * from {{ ref('stg_landing__incidents') }}

),

services as (

    select * from {{ ref('stg_landing__services') }}

),

accounts as (

    select * from {{ ref('int_accounts_resolved') }}

),

-- Responders are resolved like every other account: the incident tool's identities first, then the
-- roster's work email. Bot responders resolve to no employee.
responder_accounts as (

    select
        account_id,
        employee_id
    from accounts
    where source_system = 'pagerduty'

),

final as (

    select
        incidents.incident_id,
        incidents.service,
        services.team_id,
        incidents.responder_email,
        responder_accounts.employee_id as responder_employee_id,
        incidents.caused_by_deployment_id,
        incidents.repo,
        incidents.title,
        incidents.severity,
        incidents.resolved_at is not null as is_resolved,
        incidents.created_at,
        incidents.acknowledged_at,
        incidents.resolved_at,
        {{ iso_week_start('incidents.created_at') }} as created_week_start,
        {{ iso_week_start('incidents.resolved_at') }} as resolved_week_start,
        {{ hours_between('incidents.created_at', 'incidents.acknowledged_at') }} as time_to_acknowledge_hours,
        {{ hours_between('incidents.created_at', 'incidents.resolved_at') }} as time_to_resolve_hours
    from incidents
    left join services
        on incidents.service = services.service
    left join responder_accounts
        on incidents.responder_email = responder_accounts.account_id

)

select * from final
