with

team_weeks as (

    select * from {{ ref('int_team_weeks_spined') }}

),

engineer_weeks as (

    select * from {{ ref('int_engineer_weeks_measured') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_phased') }}

),

incidents as (

    select * from {{ ref('int_incidents_attributed') }}

),

dora as (

    select * from {{ ref('int_team_weeks_dora_measured') }}

),

engineer_totals as (

    select
        team_id,
        week_start,
        count(*) as engineers,
        sum(case when adoption_cohort <> 'none' then 1 else 0 end) as ai_user_engineers,
        sum(ai_total_tokens) as ai_total_tokens,
        sum(ai_cost_usd) as ai_cost_usd,
        sum(prs_merged) as prs_merged,
        sum(ai_assisted_prs_merged) as ai_assisted_prs_merged,
        sum(reviews_given) as reviews_given,
        sum(incidents_resolved) as incidents_resolved
    from engineer_weeks
    group by
        team_id,
        week_start

),

-- Medians are taken over the pull requests and incidents behind the team's counts (those of its
-- engineers in weeks they were employed), never as medians of the engineers' medians.
team_pull_requests as (

    select
        engineer_weeks.team_id,
        engineer_weeks.week_start,
        {{ median('pull_requests.cycle_hours') }} as median_pr_cycle_hours
    from pull_requests
    inner join engineer_weeks
        on
            pull_requests.author_employee_id = engineer_weeks.employee_id
            and pull_requests.merged_week_start = engineer_weeks.week_start
    where
        pull_requests.is_merged
        and not pull_requests.is_bot
    group by
        engineer_weeks.team_id,
        engineer_weeks.week_start

),

team_incidents as (

    select
        engineer_weeks.team_id,
        engineer_weeks.week_start,
        {{ median('incidents.time_to_resolve_hours') }} as median_incident_resolve_hours
    from incidents
    inner join engineer_weeks
        on
            incidents.responder_employee_id = engineer_weeks.employee_id
            and incidents.resolved_week_start = engineer_weeks.week_start
    where incidents.is_resolved
    group by
        engineer_weeks.team_id,
        engineer_weeks.week_start

),

final as (

    select
        -- the published measures (CONTRACT.md section 2), in its order
        team_weeks.team_id,
        team_weeks.week_start,
        cast(coalesce(engineer_totals.ai_total_tokens, 0) as {{ dbt.type_bigint() }}) as ai_total_tokens,
        cast(coalesce(engineer_totals.ai_cost_usd, 0) as {{ type_usd() }}) as ai_cost_usd,
        cast(coalesce(engineer_totals.prs_merged, 0) as {{ dbt.type_bigint() }}) as prs_merged,
        cast(team_pull_requests.median_pr_cycle_hours as {{ type_double() }}) as median_pr_cycle_hours,
        cast(coalesce(engineer_totals.reviews_given, 0) as {{ dbt.type_bigint() }}) as reviews_given,
        cast(coalesce(engineer_totals.incidents_resolved, 0) as {{ dbt.type_bigint() }})
            as incidents_resolved,
        cast(team_incidents.median_incident_resolve_hours as {{ type_double() }})
            as median_incident_resolve_hours,
        cast(engineer_totals.ai_total_tokens as {{ type_double() }})
        / nullif(engineer_totals.prs_merged, 0) as tokens_per_merged_pr,
        cast(
            engineer_totals.ai_cost_usd / nullif(engineer_totals.prs_merged, 0) as {{ type_usd() }}
        ) as cost_per_merged_pr,
        cast(coalesce(dora.deployments, 0) as {{ dbt.type_bigint() }}) as deployments,
        cast(dora.change_failure_rate as {{ type_double() }}) as change_failure_rate,
        cast(dora.median_lead_time_hours as {{ type_double() }}) as median_lead_time_hours,
        cast(dora.median_time_to_restore_hours as {{ type_double() }}) as median_time_to_restore_hours,

        -- headcount
        cast(coalesce(engineer_totals.engineers, 0) as {{ dbt.type_bigint() }}) as engineers,
        cast(coalesce(engineer_totals.ai_user_engineers, 0) as {{ dbt.type_bigint() }}) as ai_user_engineers,

        -- dates
        team_weeks.month_start,

        -- more outcomes and the counts behind the DORA measures
        cast(coalesce(engineer_totals.ai_assisted_prs_merged, 0) as {{ dbt.type_bigint() }})
            as ai_assisted_prs_merged,
        cast(coalesce(dora.failed_deployments, 0) as {{ dbt.type_bigint() }}) as failed_deployments,
        cast(coalesce(dora.deployed_prs, 0) as {{ dbt.type_bigint() }}) as deployed_prs,
        cast(coalesce(dora.incidents_opened, 0) as {{ dbt.type_bigint() }}) as incidents_opened,
        cast(coalesce(dora.incidents_restored, 0) as {{ dbt.type_bigint() }}) as incidents_restored

    from team_weeks
    left join engineer_totals
        on
            team_weeks.team_id = engineer_totals.team_id
            and team_weeks.week_start = engineer_totals.week_start
    left join team_pull_requests
        on
            team_weeks.team_id = team_pull_requests.team_id
            and team_weeks.week_start = team_pull_requests.week_start
    left join team_incidents
        on
            team_weeks.team_id = team_incidents.team_id
            and team_weeks.week_start = team_incidents.week_start
    left join dora
        on
            team_weeks.team_id = dora.team_id
            and team_weeks.week_start = dora.week_start

)

select * from final
