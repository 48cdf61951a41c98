-- A change failure rate is a share of the week's production deployments: between 0 and 1, and
-- present exactly when there were deployments.
with

team_weekly as (

    select * from {{ ref('fct_team_weekly') }}

),

final as (

    select
        team_id,
        week_start,
        deployments,
        failed_deployments,
        change_failure_rate
    from team_weekly
    where
        change_failure_rate < 0
        or change_failure_rate > 1
        or failed_deployments > deployments
        or (deployments > 0 and change_failure_rate is null)
        or (deployments = 0 and change_failure_rate is not null)

)

select * from final
