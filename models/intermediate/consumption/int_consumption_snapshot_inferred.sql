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
        {{ median('total_tokens') }} as median_tokens
    from measured_weeks
    group by employee_id

),

bursts as (

    select
        measured_weeks.employee_id,
        measured_weeks.week_start,
        measured_weeks.busiest_window_end_hour % 168 as end_hour
    from measured_weeks
    inner join typical_weeks
        on measured_weeks.employee_id = typical_weeks.employee_id
    where
        measured_weeks.total_tokens >= typical_weeks.median_tokens
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

-- The same hour of the day on the other six days: how often bursts end then without a snapshot.
compared as (

    select
        aligned.hour_of_week,
        aligned.burst_weeks,
        aligned.burst_engineers,
        aligned.ending_weeks,
        (
            select {{ median('other_days.burst_weeks') }}
            from aligned as other_days
            where
                other_days.hour_of_week % 24 = aligned.hour_of_week % 24
                and other_days.hour_of_week != aligned.hour_of_week
        ) as other_days_burst_weeks
    from aligned

),

lifted as (

    select
        *,
        cast(burst_weeks as {{ type_double() }}) / greatest(other_days_burst_weeks, 1) as lift
    from compared

),

ranked as (

    select
        *,
        row_number() over (
            order by lift >= {{ min_lift }} desc, ending_weeks desc, lift desc, hour_of_week asc
        ) as lift_rank
    from lifted

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
        cast(lift as {{ type_double() }}) as lift,

        -- booleans
        {% if configured_hour >= 0 -%}
            hour_of_week = {{ configured_hour }} as is_snapshot,
        {%- else -%}
            lift_rank = 1
            and burst_engineers >= {{ min_engineers }}
            and lift >= {{ min_lift }} as is_snapshot,
        {%- endif %}

        -- strings
        '{{ "configured" if configured_hour >= 0 else "inferred" }}' as snapshot_source

    from ranked

)

select * from final
