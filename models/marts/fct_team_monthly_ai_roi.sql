with

team_weeks as (

    select * from {{ ref('int_team_weeks_spined') }}

),

engineer_weeks as (

    select * from {{ ref('int_engineer_weeks_measured') }}

),

adoptions as (

    select * from {{ ref('int_engineers_adopted') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_phased') }}

),

-- A week belongs to the month its Monday falls in, so months add up from the weekly marts.
team_months as (

    select distinct
        team_id,
        month_start
    from team_weeks

),

phased_weeks as (

    select
        engineer_weeks.employee_id,
        engineer_weeks.team_id,
        engineer_weeks.week_start,
        engineer_weeks.month_start,
        engineer_weeks.prs_merged,
        engineer_weeks.total_pr_cycle_hours,
        adoptions.adoption_week_start,
        case
            when adoptions.adoption_week_start is null then 'non_adopter'
            when engineer_weeks.week_start >= adoptions.adoption_week_start then 'post_adoption'
            else 'pre_adoption'
        end as adoption_phase
    from engineer_weeks
    left join adoptions
        on engineer_weeks.employee_id = adoptions.employee_id

),

team_totals as (

    select
        team_id,
        month_start,
        count(distinct employee_id) as engineers,
        count(*) as engineer_weeks,
        sum(ai_total_tokens) as ai_total_tokens,
        sum(ai_cost_usd) as ai_cost_usd,
        sum(prs_merged) as prs_merged,
        sum(ai_assisted_prs_merged) as ai_assisted_prs_merged
    from engineer_weeks
    group by
        team_id,
        month_start

),

team_cycle_times as (

    select
        engineer_weeks.team_id,
        engineer_weeks.month_start,
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
        engineer_weeks.month_start

),

cohort_sizes as (

    select
        team_id,
        month_start,
        count(distinct case when adoption_phase = 'post_adoption' then employee_id end) as adopters,
        sum(case when adoption_phase = 'post_adoption' then 1 else 0 end) as adopter_weeks,
        count(distinct case when adoption_phase = 'non_adopter' then employee_id end) as non_adopters,
        sum(case when adoption_phase = 'non_adopter' then 1 else 0 end) as non_adopter_weeks,
        avg(
            case when adoption_phase = 'non_adopter' then cast(prs_merged as {{ type_double() }}) end
        ) as non_adopter_prs_per_week,
        sum(case when adoption_phase = 'non_adopter' then total_pr_cycle_hours end)
        / nullif(sum(case when adoption_phase = 'non_adopter' then prs_merged end), 0)
            as non_adopter_mean_cycle_hours
    from phased_weeks
    group by
        team_id,
        month_start

),

-- Each adopter's own baseline: PRs merged per week, and mean cycle hours per PR, over all their
-- weeks before adoption.
adopter_baselines as (

    select
        employee_id,
        team_id,
        adoption_week_start,
        count(*) as baseline_weeks,
        avg(cast(prs_merged as {{ type_double() }})) as baseline_prs_per_week,
        sum(total_pr_cycle_hours) / nullif(sum(prs_merged), 0) as baseline_mean_cycle_hours
    from phased_weeks
    where adoption_phase = 'pre_adoption'
    group by
        employee_id,
        team_id,
        adoption_week_start

),

-- The comparison group's baseline for the same calendar stretch: the team's non-adopters' PRs
-- merged per week, and mean cycle hours per PR, over the weeks before that adopter adopted.
non_adopter_baselines as (

    select
        adopter_baselines.employee_id,
        count(*) as non_adopter_baseline_weeks,
        avg(cast(phased_weeks.prs_merged as {{ type_double() }})) as non_adopter_baseline_prs_per_week,
        sum(phased_weeks.total_pr_cycle_hours) / nullif(sum(phased_weeks.prs_merged), 0)
            as non_adopter_baseline_mean_cycle_hours
    from adopter_baselines
    inner join phased_weeks
        on
            adopter_baselines.team_id = phased_weeks.team_id
            and adopter_baselines.adoption_week_start > phased_weeks.week_start
    where phased_weeks.adoption_phase = 'non_adopter'
    group by adopter_baselines.employee_id

),

-- The adopter-weeks the difference in differences is taken over: post-adoption weeks of adopters
-- that have both baselines. Each such week weighs the same, so an adopter's baselines count as
-- often as they have post-adoption weeks in the month.
compared_weeks as (

    select
        phased_weeks.team_id,
        phased_weeks.month_start,
        phased_weeks.employee_id,
        phased_weeks.adoption_week_start,
        phased_weeks.prs_merged,
        phased_weeks.total_pr_cycle_hours,
        adopter_baselines.baseline_weeks,
        adopter_baselines.baseline_prs_per_week,
        adopter_baselines.baseline_mean_cycle_hours,
        non_adopter_baselines.non_adopter_baseline_prs_per_week,
        non_adopter_baselines.non_adopter_baseline_mean_cycle_hours
    from phased_weeks
    inner join adopter_baselines
        on phased_weeks.employee_id = adopter_baselines.employee_id
    inner join non_adopter_baselines
        on phased_weeks.employee_id = non_adopter_baselines.employee_id
    where phased_weeks.adoption_phase = 'post_adoption'

),

compared_monthly as (

    select
        team_id,
        month_start,
        count(distinct employee_id) as did_adopters,
        count(*) as did_adopter_weeks,
        max(adoption_week_start) as last_adoption_week_start,
        avg(cast(prs_merged as {{ type_double() }})) as adopter_prs_per_week,
        avg(baseline_prs_per_week) as adopter_baseline_prs_per_week,
        avg(non_adopter_baseline_prs_per_week) as non_adopter_baseline_prs_per_week
    from compared_weeks
    group by
        team_id,
        month_start

),

-- Cycle time is compared per PR: the compared weeks' PRs, each weighing the same, against the
-- baselines' mean cycle hours. Means, not medians, because differences of differences need a measure
-- that adds up; only adopters whose baseline had PRs, and weeks with PRs, take part.
compared_cycle_monthly as (

    select
        team_id,
        month_start,
        sum(prs_merged) as did_cycle_prs,
        sum(total_pr_cycle_hours) / sum(prs_merged) as adopter_mean_cycle_hours,
        sum(prs_merged * baseline_mean_cycle_hours) / sum(prs_merged) as adopter_baseline_mean_cycle_hours,
        sum(prs_merged * non_adopter_baseline_mean_cycle_hours) / sum(prs_merged)
            as non_adopter_baseline_mean_cycle_hours
    from compared_weeks
    where
        prs_merged > 0
        and baseline_mean_cycle_hours is not null
        and non_adopter_baseline_mean_cycle_hours is not null
    group by
        team_id,
        month_start

),

compared_adopters as (

    select distinct
        team_id,
        month_start,
        employee_id,
        baseline_weeks
    from compared_weeks

),

compared_baseline_weeks as (

    select
        team_id,
        month_start,
        sum(baseline_weeks) as did_adopter_baseline_weeks
    from compared_adopters
    group by
        team_id,
        month_start

),

-- The non-adopter weeks behind the comparison baselines: the team's non-adopter weeks before the
-- month's latest compared adoption.
comparison_sizes as (

    select
        compared_monthly.team_id,
        compared_monthly.month_start,
        count(distinct phased_weeks.employee_id) as baseline_engineers,
        count(*) as baseline_weeks
    from compared_monthly
    inner join phased_weeks
        on
            compared_monthly.team_id = phased_weeks.team_id
            and compared_monthly.last_adoption_week_start > phased_weeks.week_start
    where phased_weeks.adoption_phase = 'non_adopter'
    group by
        compared_monthly.team_id,
        compared_monthly.month_start

),

estimated as (

    select
        compared_monthly.team_id,
        compared_monthly.month_start,
        compared_monthly.did_adopters,
        compared_monthly.did_adopter_weeks,
        compared_monthly.adopter_prs_per_week,
        compared_monthly.adopter_baseline_prs_per_week,
        compared_monthly.adopter_prs_per_week - compared_monthly.adopter_baseline_prs_per_week
            as adopter_change_prs_per_week,
        compared_monthly.non_adopter_baseline_prs_per_week,
        cohort_sizes.non_adopter_prs_per_week - compared_monthly.non_adopter_baseline_prs_per_week
            as non_adopter_change_prs_per_week
    from compared_monthly
    inner join cohort_sizes
        on
            compared_monthly.team_id = cohort_sizes.team_id
            and compared_monthly.month_start = cohort_sizes.month_start

),

cycle_estimated as (

    select
        compared_cycle_monthly.team_id,
        compared_cycle_monthly.month_start,
        compared_cycle_monthly.did_cycle_prs,
        compared_cycle_monthly.adopter_mean_cycle_hours,
        compared_cycle_monthly.adopter_baseline_mean_cycle_hours,
        compared_cycle_monthly.adopter_mean_cycle_hours
        - compared_cycle_monthly.adopter_baseline_mean_cycle_hours as adopter_change_cycle_hours,
        compared_cycle_monthly.non_adopter_baseline_mean_cycle_hours,
        cohort_sizes.non_adopter_mean_cycle_hours
        - compared_cycle_monthly.non_adopter_baseline_mean_cycle_hours as non_adopter_change_cycle_hours
    from compared_cycle_monthly
    inner join cohort_sizes
        on
            compared_cycle_monthly.team_id = cohort_sizes.team_id
            and compared_cycle_monthly.month_start = cohort_sizes.month_start

),

final as (

    select
        -- ids
        team_months.team_id,

        -- dates
        team_months.month_start,

        -- headcount
        cast(coalesce(team_totals.engineers, 0) as {{ dbt.type_bigint() }}) as engineers,
        cast(coalesce(team_totals.engineer_weeks, 0) as {{ dbt.type_bigint() }}) as engineer_weeks,
        cast(coalesce(cohort_sizes.adopters, 0) as {{ dbt.type_bigint() }}) as adopters,
        cast(coalesce(cohort_sizes.adopter_weeks, 0) as {{ dbt.type_bigint() }}) as adopter_weeks,
        cast(coalesce(cohort_sizes.non_adopters, 0) as {{ dbt.type_bigint() }}) as non_adopters,
        cast(coalesce(cohort_sizes.non_adopter_weeks, 0) as {{ dbt.type_bigint() }}) as non_adopter_weeks,

        -- spend
        cast(coalesce(team_totals.ai_total_tokens, 0) as {{ dbt.type_bigint() }}) as ai_total_tokens,
        cast(coalesce(team_totals.ai_cost_usd, 0) as {{ type_usd() }}) as ai_cost_usd,

        -- outcomes
        cast(coalesce(team_totals.prs_merged, 0) as {{ dbt.type_bigint() }}) as prs_merged,
        cast(coalesce(team_totals.ai_assisted_prs_merged, 0) as {{ dbt.type_bigint() }})
            as ai_assisted_prs_merged,
        cast(team_cycle_times.median_pr_cycle_hours as {{ type_double() }}) as median_pr_cycle_hours,
        cast(team_totals.prs_merged as {{ type_double() }})
        / nullif(team_totals.engineer_weeks, 0) as prs_per_engineer_week,
        cast(team_totals.ai_cost_usd / nullif(team_totals.prs_merged, 0) as {{ type_usd() }})
            as cost_per_merged_pr,

        -- difference in differences of PRs merged per engineer-week
        cast(coalesce(estimated.did_adopters, 0) as {{ dbt.type_bigint() }}) as did_adopters,
        cast(coalesce(estimated.did_adopter_weeks, 0) as {{ dbt.type_bigint() }}) as did_adopter_weeks,
        cast(coalesce(compared_baseline_weeks.did_adopter_baseline_weeks, 0) as {{ dbt.type_bigint() }})
            as did_adopter_baseline_weeks,
        cast(coalesce(comparison_sizes.baseline_engineers, 0) as {{ dbt.type_bigint() }})
            as did_non_adopter_baseline_engineers,
        cast(coalesce(comparison_sizes.baseline_weeks, 0) as {{ dbt.type_bigint() }})
            as did_non_adopter_baseline_weeks,
        cast(estimated.adopter_prs_per_week as {{ type_double() }}) as adopter_prs_per_week,
        cast(estimated.adopter_baseline_prs_per_week as {{ type_double() }}) as adopter_baseline_prs_per_week,
        cast(estimated.adopter_change_prs_per_week as {{ type_double() }}) as adopter_change_prs_per_week,
        cast(cohort_sizes.non_adopter_prs_per_week as {{ type_double() }}) as non_adopter_prs_per_week,
        cast(estimated.non_adopter_baseline_prs_per_week as {{ type_double() }})
            as non_adopter_baseline_prs_per_week,
        cast(estimated.non_adopter_change_prs_per_week as {{ type_double() }})
            as non_adopter_change_prs_per_week,
        cast(
            estimated.adopter_change_prs_per_week - estimated.non_adopter_change_prs_per_week
            as {{ type_double() }}
        ) as did_prs_per_engineer_week,

        -- difference in differences of mean cycle hours per PR
        cast(coalesce(cycle_estimated.did_cycle_prs, 0) as {{ dbt.type_bigint() }}) as did_cycle_prs,
        cast(cycle_estimated.adopter_mean_cycle_hours as {{ type_double() }}) as adopter_mean_cycle_hours,
        cast(cycle_estimated.adopter_baseline_mean_cycle_hours as {{ type_double() }})
            as adopter_baseline_mean_cycle_hours,
        cast(cycle_estimated.adopter_change_cycle_hours as {{ type_double() }}) as adopter_change_cycle_hours,
        cast(cohort_sizes.non_adopter_mean_cycle_hours as {{ type_double() }})
            as non_adopter_mean_cycle_hours,
        cast(cycle_estimated.non_adopter_baseline_mean_cycle_hours as {{ type_double() }})
            as non_adopter_baseline_mean_cycle_hours,
        cast(cycle_estimated.non_adopter_change_cycle_hours as {{ type_double() }})
            as non_adopter_change_cycle_hours,
        cast(
            cycle_estimated.adopter_change_cycle_hours - cycle_estimated.non_adopter_change_cycle_hours
            as {{ type_double() }}
        ) as did_mean_cycle_hours

    from team_months
    left join team_totals
        on
            team_months.team_id = team_totals.team_id
            and team_months.month_start = team_totals.month_start
    left join team_cycle_times
        on
            team_months.team_id = team_cycle_times.team_id
            and team_months.month_start = team_cycle_times.month_start
    left join cohort_sizes
        on
            team_months.team_id = cohort_sizes.team_id
            and team_months.month_start = cohort_sizes.month_start
    left join estimated
        on
            team_months.team_id = estimated.team_id
            and team_months.month_start = estimated.month_start
    left join compared_baseline_weeks
        on
            team_months.team_id = compared_baseline_weeks.team_id
            and team_months.month_start = compared_baseline_weeks.month_start
    left join cycle_estimated
        on
            team_months.team_id = cycle_estimated.team_id
            and team_months.month_start = cycle_estimated.month_start
    left join comparison_sizes
        on
            team_months.team_id = comparison_sizes.team_id
            and team_months.month_start = comparison_sizes.month_start

)

select * from final
