with

deployments as (

    select * from {{ ref('int_deployments_classified') }}

),

final as (

    select
        -- ids
        repo,
        deployment_id,
        team_id,
        sha,

        -- strings
        environment,
        status,

        -- numerics
        cast(caused_incident_count as {{ dbt.type_bigint() }}) as caused_incident_count,
        {{ hours_between('started_at', 'finished_at') }} as duration_hours,

        -- booleans
        is_production,
        is_failed,
        caused_incident,
        is_change_failure,

        -- dates
        started_week_start,

        -- timestamps
        started_at,
        finished_at

    from deployments

)

select * from final
