{%- set configured_hour = var('airoi_consumption_snapshot_hour_of_week') -%}
{%- set min_share = var('airoi_consumption_burst_min_share') -%}
{%- set min_engineers = var('airoi_consumption_snapshot_min_engineers') -%}
{%- set min_lift = var('airoi_consumption_snapshot_min_lift') -%}

with

measured_weeks as (

    select * from {{ ref('int_consumption_weeks_measured') }}

),

hours_of_week as (

    select cast(generated_number - 1 as {{ dbt.type_int() }}) as hour_of_week
    from ({{ dbt.generate_series(168) }}) as series

),

-- Weeks whose busiest few hours hold a large share of the week's tokens, by the hour of the week
-- (UTC) at which that window ends. An hour is counted with its neighbours, so a snapshot that moves
-- by an hour with daylight saving, or bursts that stop just before it, still line up.
typical_weeks as (

    select
        employee_id,
        count(*) as weeks,
        {{ median('total_tokens') }} as median_tokens
    from measured_weeks
    group by employee_id

),

-- An engineer whose busiest hours end at the same hour in three weeks out of four has a routine
-- there (a weekly session, a standing slot), not bursts.
routine_hours as (

    select
        measured_weeks.employee_id,
        measured_weeks.busiest_window_end_hour % 168 as end_hour
    from measured_weeks
    inner join typical_weeks
        on measured_weeks.employee_id = typical_weeks.employee_id
    where typical_weeks.weeks >= 4
    group by
        measured_weeks.employee_id,
        measured_weeks.busiest_window_end_hour % 168,
        typical_weeks.weeks
    having count(*) >= 0.75 * typical_weeks.weeks

),

bursts as (

    select
        measured_weeks.employee_id,
        measured_weeks.week_start,
        measured_weeks.busiest_window_end_hour % 168 as end_hour
    from measured_weeks
    inner join typical_weeks
        on measured_weeks.employee_id = typical_weeks.employee_id
    left join routine_hours
        on
            measured_weeks.employee_id = routine_hours.employee_id
            and measured_weeks.busiest_window_end_hour % 168 = routine_hours.end_hour
    where
        routine_hours.employee_id is null
        and measured_weeks.total_tokens >= 1.2 * typical_weeks.median_tokens
        and measured_weeks.busiest_window_tokens >= {{ min_share }} * measured_weeks.total_tokens

),

aligned as (

    select
        hours_of_week.hour_of_week,
        count(bursts.employee_id) as burst_weeks,
        count(distinct bursts.employee_id) as burst_engineers,
        sum(case when bursts.end_hour = hours_of_week.hour_of_week then 1 else 0 end) as ending_weeks
    from hours_of_week
    left join bursts
        on (bursts.end_hour - hours_of_week.hour_of_week + 169) % 168 <= 2
    group by hours_of_week.hour_of_week

),

-- The same hour of the day on the other days of its kind (weekdays, or the weekend): how often bursts
-- end then without a snapshot, as a median, and how much that varies from day to day (the median
-- absolute deviation).
other_days as (

    select
        aligned.hour_of_week,
        other.burst_weeks as other_burst_weeks
    from aligned
    inner join aligned as other
        on
            other.hour_of_week % 24 = aligned.hour_of_week % 24
            and aligned.hour_of_week != other.hour_of_week

),

other_medians as (

    select
        hour_of_week,
        {{ median('other_burst_weeks') }} as other_days_burst_weeks
    from other_days
    group by hour_of_week

),

other_spreads as (

    select
        other_days.hour_of_week,
        {{ median('abs(other_days.other_burst_weeks - other_medians.other_days_burst_weeks)') }}
            as other_days_deviation
    from other_days
    inner join other_medians
        on other_days.hour_of_week = other_medians.hour_of_week
    group by other_days.hour_of_week

),

-- How far the hour stands out: its excess over the other days, in units of their day-to-day spread
-- (at least the square root of their count, the spread of counts by chance).
scored as (

    select
        aligned.*,
        other_medians.other_days_burst_weeks,
        aligned.burst_weeks - other_medians.other_days_burst_weeks as excess_burst_weeks,
        (aligned.burst_weeks - other_medians.other_days_burst_weeks)
        / greatest(
            1.4826 * other_spreads.other_days_deviation,
            sqrt(greatest(other_medians.other_days_burst_weeks, 1))
        ) as lift
    from aligned
    inner join other_medians
        on aligned.hour_of_week = other_medians.hour_of_week
    inner join other_spreads
        on aligned.hour_of_week = other_spreads.hour_of_week

),

-- The hour that stands out most, and then, of it and its neighbours, the one most bursts end at.
best as (

    select hour_of_week as best_hour_of_week
    from scored
    order by lift desc, ending_weeks desc, hour_of_week asc
    limit 1

),

ranked as (

    select
        scored.*,
        case
            when (scored.hour_of_week - best.best_hour_of_week + 169) % 168 <= 2
                then row_number() over (
                        partition by (scored.hour_of_week - best.best_hour_of_week + 169) % 168 <= 2
                        order by scored.ending_weeks desc, scored.lift desc, scored.hour_of_week asc
                    )
        end as lift_rank
    from scored
    cross join best

),

final as (

    select
        -- ids
        hour_of_week,

        -- numerics
        cast(floor(hour_of_week / 24) + 1 as {{ dbt.type_int() }}) as isodow_utc,
        cast(hour_of_week % 24 as {{ dbt.type_int() }}) as hour_utc,
        cast(burst_weeks as {{ dbt.type_bigint() }}) as burst_weeks,
        cast(burst_engineers as {{ dbt.type_bigint() }}) as burst_engineers,
        cast(ending_weeks as {{ dbt.type_bigint() }}) as ending_weeks,
        cast(other_days_burst_weeks as {{ type_double() }}) as other_days_burst_weeks,
        cast(excess_burst_weeks as {{ type_double() }}) as excess_burst_weeks,
        cast(lift as {{ type_double() }}) as lift,

        -- booleans
        {% if configured_hour >= 0 -%}
            hour_of_week = {{ configured_hour }} as is_snapshot,
        {%- else -%}
            coalesce(
                lift_rank = 1
                and excess_burst_weeks >= {{ min_engineers }}
                and lift >= {{ min_lift }},
                false
            ) as is_snapshot,
        {%- endif %}

        -- strings
        '{{ "configured" if configured_hour >= 0 else "inferred" }}' as snapshot_source

    from ranked

)

select * from final
