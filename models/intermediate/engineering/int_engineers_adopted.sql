{%- set sustained_weeks = var('airoi_adoption_sustained_weeks', 3) -%}

with

engineer_weeks as (

    select * from {{ ref('int_engineer_weeks_measured') }}

),

-- A week starts a sustained run when it and the next (sustained_weeks - 1) employed weeks all
-- reach the light threshold. The spine has every employed week, so rows are consecutive weeks.
runs as (

    select
        employee_id,
        week_start,
        is_ai_user_week,
        sum(case when is_ai_user_week then 1 else 0 end) over (
            partition by employee_id
            order by week_start
            rows between current row and {{ sustained_weeks - 1 }} following
        ) as user_weeks_in_window,
        count(*) over (
            partition by employee_id
            order by week_start
            rows between current row and {{ sustained_weeks - 1 }} following
        ) as weeks_in_window
    from engineer_weeks

),

adoption_starts as (

    select
        employee_id,
        min(week_start) as adoption_week_start
    from runs
    where
        weeks_in_window = {{ sustained_weeks }}
        and user_weeks_in_window = {{ sustained_weeks }}
    group by employee_id

),

engineers as (

    select
        employee_id,
        min(week_start) as first_week_start,
        max(week_start) as last_week_start,
        count(*) as employed_weeks,
        sum(case when is_ai_user_week then 1 else 0 end) as ai_user_weeks
    from engineer_weeks
    group by employee_id

),

final as (

    select
        engineers.employee_id,
        adoption_starts.adoption_week_start,
        adoption_starts.adoption_week_start is not null as is_adopter,
        coalesce(adoption_starts.adoption_week_start = engineers.first_week_start, false)
            as is_adopted_from_first_week,
        engineers.first_week_start,
        engineers.last_week_start,
        engineers.employed_weeks,
        engineers.ai_user_weeks
    from engineers
    left join adoption_starts
        on engineers.employee_id = adoption_starts.employee_id

)

select * from final
