{%- set light_min_tokens = var('airoi_adoption_light_min_tokens', 10000) -%}
{%- set moderate_min_tokens = var('airoi_adoption_moderate_min_tokens', 500000) -%}
{%- set heavy_min_tokens = var('airoi_adoption_heavy_min_tokens', 5000000) -%}

with

engineer_weeks as (

    select * from {{ ref('int_engineer_weeks_spined') }}

),

ai_usage_daily as (

    select * from {{ ref('fct_ai_usage_daily') }}

),

pull_requests as (

    select * from {{ ref('int_pull_requests_phased') }}

),

reviews as (

    select * from {{ ref('int_pr_reviews_attributed') }}

),

incidents as (

    select * from {{ ref('int_incidents_attributed') }}

),

ai_weekly as (

    select
        employee_id,
        {{ iso_week_start('usage_date') }} as week_start,
        sum(total_tokens) as ai_total_tokens,
        sum(cost_usd) as ai_cost_usd
    from ai_usage_daily
    where employee_id is not null
    group by
        employee_id,
        {{ iso_week_start('usage_date') }}

),

prs_weekly as (

    select
        author_employee_id as employee_id,
        merged_week_start as week_start,
        count(*) as prs_merged,
        sum(case when is_ai_assisted then 1 else 0 end) as ai_assisted_prs_merged,
        {{ median('cycle_hours') }} as median_pr_cycle_hours,
        sum(cycle_hours) as total_pr_cycle_hours
    from pull_requests
    where
        is_merged
        and not is_bot
        and author_employee_id is not null
    group by
        author_employee_id,
        merged_week_start

),

reviews_weekly as (

    select
        reviewer_employee_id as employee_id,
        submitted_week_start as week_start,
        count(*) as reviews_given
    from reviews
    where
        counts_as_review_given
        and reviewer_employee_id is not null
    group by
        reviewer_employee_id,
        submitted_week_start

),

incidents_weekly as (

    select
        responder_employee_id as employee_id,
        resolved_week_start as week_start,
        count(*) as incidents_resolved,
        {{ median('time_to_resolve_hours') }} as median_incident_resolve_hours
    from incidents
    where
        is_resolved
        and responder_employee_id is not null
    group by
        responder_employee_id,
        resolved_week_start

),

measured as (

    select
        engineer_weeks.employee_id,
        engineer_weeks.week_start,
        engineer_weeks.team_id,
        engineer_weeks.month_start,
        engineer_weeks.annual_loaded_cost_usd,
        engineer_weeks.is_fully_observed,
        coalesce(ai_weekly.ai_total_tokens, 0) as ai_total_tokens,
        coalesce(ai_weekly.ai_cost_usd, 0) as ai_cost_usd,
        coalesce(prs_weekly.prs_merged, 0) as prs_merged,
        coalesce(prs_weekly.ai_assisted_prs_merged, 0) as ai_assisted_prs_merged,
        prs_weekly.median_pr_cycle_hours,
        coalesce(prs_weekly.total_pr_cycle_hours, 0) as total_pr_cycle_hours,
        coalesce(reviews_weekly.reviews_given, 0) as reviews_given,
        coalesce(incidents_weekly.incidents_resolved, 0) as incidents_resolved,
        incidents_weekly.median_incident_resolve_hours
    from engineer_weeks
    left join ai_weekly
        on
            engineer_weeks.employee_id = ai_weekly.employee_id
            and engineer_weeks.week_start = ai_weekly.week_start
    left join prs_weekly
        on
            engineer_weeks.employee_id = prs_weekly.employee_id
            and engineer_weeks.week_start = prs_weekly.week_start
    left join reviews_weekly
        on
            engineer_weeks.employee_id = reviews_weekly.employee_id
            and engineer_weeks.week_start = reviews_weekly.week_start
    left join incidents_weekly
        on
            engineer_weeks.employee_id = incidents_weekly.employee_id
            and engineer_weeks.week_start = incidents_weekly.week_start

),

final as (

    select
        *,
        case
            when ai_total_tokens >= {{ heavy_min_tokens }} then 'heavy'
            when ai_total_tokens >= {{ moderate_min_tokens }} then 'moderate'
            when ai_total_tokens >= {{ light_min_tokens }} then 'light'
            else 'none'
        end as adoption_cohort,
        ai_total_tokens >= {{ light_min_tokens }} as is_ai_user_week
    from measured

)

select * from final
