{%- set sustained_weeks = var('airoi_adoption_sustained_weeks', 3) -%}
{%- set min_tokens = var('airoi_adoption_min_tokens', var('airoi_adoption_light_min_tokens', 10000)) -%}
{%- set min_baseline_weeks = var('airoi_effect_min_baseline_weeks', 2) -%}

with

engineer_weeks as (

    select * from {{ ref('int_engineer_weeks_measured') }}

),

consumption_flags as (

    select * from {{ ref('fct_consumption_flags') }}

),

-- A week of real use reaches the adoption threshold and is not flagged as inflated consumption:
-- tokens spent to look busy are not a sign that the engineer took AI up.
use_weeks as (

    select
        engineer_weeks.employee_id,
        engineer_weeks.week_start,
        engineer_weeks.is_fully_observed,
        engineer_weeks.is_ai_user_week,
        (
            engineer_weeks.ai_total_tokens >= {{ min_tokens }}
            and not coalesce(consumption_flags.is_flagged, false)
        ) as is_real_use_week
    from engineer_weeks
    left join consumption_flags
        on
            engineer_weeks.employee_id = consumption_flags.employee_id
            and engineer_weeks.week_start = consumption_flags.week_start

),

-- A week starts a sustained run when it and the next (sustained_weeks - 1) employed weeks are all
-- weeks of real use. The spine has every employed week, so rows are consecutive weeks.
runs as (

    select
        employee_id,
        week_start,
        sum(case when is_real_use_week then 1 else 0 end) over (
            partition by employee_id
            order by week_start
            rows between current row and {{ sustained_weeks - 1 }} following
        ) as use_weeks_in_window,
        count(*) over (
            partition by employee_id
            order by week_start
            rows between current row and {{ sustained_weeks - 1 }} following
        ) as weeks_in_window
    from use_weeks

),

adoption_starts as (

    select
        employee_id,
        min(week_start) as adoption_week_start
    from runs
    where
        weeks_in_window = {{ sustained_weeks }}
        and use_weeks_in_window = {{ sustained_weeks }}
    group by employee_id

),

engineers as (

    select
        employee_id,
        min(week_start) as first_week_start,
        max(week_start) as last_week_start,
        min(case when is_fully_observed then week_start end) as first_observed_week_start,
        count(*) as employed_weeks,
        sum(case when is_ai_user_week then 1 else 0 end) as ai_user_weeks,
        sum(case when is_real_use_week then 1 else 0 end) as real_use_weeks
    from use_weeks
    group by employee_id

),

-- The baseline is the fully observed weeks before adoption; quiet ones had no AI use at all (below
-- the light threshold), the kind of week an adopter's baseline should mostly be made of.
baselines as (

    select
        use_weeks.employee_id,
        count(*) as baseline_weeks,
        sum(case when use_weeks.is_ai_user_week then 0 else 1 end) as quiet_baseline_weeks
    from use_weeks
    inner join adoption_starts
        on use_weeks.employee_id = adoption_starts.employee_id
    where
        use_weeks.is_fully_observed
        and use_weeks.week_start < adoption_starts.adoption_week_start
    group by use_weeks.employee_id

),

-- An engineer with no sustained run yet may be in the middle of one: real use in every week from
-- some week to their last. Those weeks are no baseline for anybody.
last_quiet_weeks as (

    select
        employee_id,
        max(case when not is_real_use_week then week_start end) as last_not_real_use_week_start,
        max(week_start) as last_week_start
    from use_weeks
    group by employee_id

),

pending_starts as (

    select
        use_weeks.employee_id,
        min(use_weeks.week_start) as pending_adoption_week_start
    from use_weeks
    inner join last_quiet_weeks
        on use_weeks.employee_id = last_quiet_weeks.employee_id
    where
        use_weeks.is_real_use_week
        and (
            last_quiet_weeks.last_not_real_use_week_start is null
            or use_weeks.week_start > last_quiet_weeks.last_not_real_use_week_start
        )
    group by use_weeks.employee_id

),

adopted as (

    select
        engineers.employee_id,
        adoption_starts.adoption_week_start,
        adoption_starts.adoption_week_start is not null as is_adopter,
        -- Sustained use from the first fully observed week on (or no such week at all): the engineer
        -- may have adopted before the data begin, and has no week without AI to compare with.
        coalesce(
            adoption_starts.adoption_week_start <= coalesce(
                engineers.first_observed_week_start, engineers.last_week_start
            ),
            false
        ) as is_adopted_from_first_week,
        engineers.first_week_start,
        engineers.first_observed_week_start,
        engineers.last_week_start,
        engineers.employed_weeks,
        engineers.ai_user_weeks,
        engineers.real_use_weeks,
        case
            when adoption_starts.adoption_week_start is null then pending_starts.pending_adoption_week_start
        end as pending_adoption_week_start,
        coalesce(baselines.baseline_weeks, 0) as baseline_weeks,
        coalesce(baselines.quiet_baseline_weeks, 0) as quiet_baseline_weeks
    from engineers
    left join adoption_starts
        on engineers.employee_id = adoption_starts.employee_id
    left join baselines
        on engineers.employee_id = baselines.employee_id
    left join pending_starts
        on engineers.employee_id = pending_starts.employee_id

),

final as (

    select
        *,
        (
            is_adopter
            and not is_adopted_from_first_week
            and baseline_weeks >= {{ min_baseline_weeks }}
            and 2 * quiet_baseline_weeks >= baseline_weeks
        ) as is_effect_adopter
    from adopted

)

select * from final
