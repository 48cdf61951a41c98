with

team_weeks as (

    select * from {{ ref('int_team_weeks_spined') }}

),

deployments as (

    select * from {{ ref('int_deployments_classified') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_phased') }}

),

incidents as (

    select * from {{ ref('int_incidents_attributed') }}

),

deployments_weekly as (

    select
        team_id,
        started_week_start as week_start,
        count(*) as deployments,
        sum(case when is_change_failure then 1 else 0 end) as failed_deployments
    from deployments
    where is_production
    group by
        team_id,
        started_week_start

),

-- Lead time belongs to the team owning the repository, whoever wrote the change; a pull request
-- not yet followed by a successful production deployment has no lead time yet.
lead_times_weekly as (

    select
        repo_team_id as team_id,
        merged_week_start as week_start,
        count(lead_time_hours) as deployed_prs,
        {{ median('lead_time_hours') }} as median_lead_time_hours
    from pull_requests
    where
        is_merged
        and not is_bot
    group by
        repo_team_id,
        merged_week_start

),

restores_weekly as (

    select
        team_id,
        created_week_start as week_start,
        count(*) as incidents_opened,
        count(time_to_resolve_hours) as incidents_restored,
        {{ median('time_to_resolve_hours') }} as median_time_to_restore_hours
    from incidents
    group by
        team_id,
        created_week_start

),

final as (

    select
        team_weeks.team_id,
        team_weeks.week_start,
        coalesce(deployments_weekly.deployments, 0) as deployments,
        coalesce(deployments_weekly.failed_deployments, 0) as failed_deployments,
        cast(deployments_weekly.failed_deployments as {{ type_double() }})
        / nullif(deployments_weekly.deployments, 0) as change_failure_rate,
        coalesce(lead_times_weekly.deployed_prs, 0) as deployed_prs,
        lead_times_weekly.median_lead_time_hours,
        coalesce(restores_weekly.incidents_opened, 0) as incidents_opened,
        coalesce(restores_weekly.incidents_restored, 0) as incidents_restored,
        restores_weekly.median_time_to_restore_hours
    from team_weeks
    left join deployments_weekly
        on
            team_weeks.team_id = deployments_weekly.team_id
            and team_weeks.week_start = deployments_weekly.week_start
    left join lead_times_weekly
        on
            team_weeks.team_id = lead_times_weekly.team_id
            and team_weeks.week_start = lead_times_weekly.week_start
    left join restores_weekly
        on
            team_weeks.team_id = restores_weekly.team_id
            and team_weeks.week_start = restores_weekly.week_start

)

select * from final
