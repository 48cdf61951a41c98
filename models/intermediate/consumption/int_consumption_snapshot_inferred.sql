{%- set configured_hour = var('airoi_consumption_snapshot_hour_of_week') -%}
{%- set burst_ratio = var('airoi_consumption_burst_ratio') -%}
{%- set min_requests = var('airoi_consumption_burst_min_requests') -%}
{%- set min_weeks = var('airoi_consumption_min_history_weeks') -%}
{%- set min_engineer_share = var('airoi_consumption_snapshot_min_engineer_share') -%}
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

-- A burst: a week whose busiest few hours hold at least `burst_ratio` times what the engineer's busiest
-- hours usually hold (their median week), in requests or in tokens. It counts at the hour of the week
-- (UTC) at which that window ends. The other weeks show where people's busiest hours fall anyway.
typical_windows as (

    select
        employee_id,
        count(*) as weeks,
        {{ median('busiest_window_requests') }} as median_window_requests,
        {{ median('busiest_window_tokens') }} as median_window_tokens
    from measured_weeks
    group by employee_id

),

labelled_weeks as (

    select
        measured_weeks.employee_id,
        measured_weeks.week_start,
        coalesce(
            typical_windows.weeks >= {{ min_weeks }}
            and measured_weeks.busiest_window_requests >= {{ min_requests }}
            and measured_weeks.busiest_window_requests
            >= {{ burst_ratio }} * typical_windows.median_window_requests,
            false
        ) as is_request_burst,
        coalesce(
            typical_windows.weeks >= {{ min_weeks }}
            and measured_weeks.busiest_window_requests >= {{ min_requests }}
            and measured_weeks.busiest_window_tokens
            >= {{ burst_ratio }} * typical_windows.median_window_tokens,
            false
        ) as is_token_burst,
        measured_weeks.busiest_request_window_end_hour % 168 as request_end_hour,
        measured_weeks.busiest_window_end_hour % 168 as token_end_hour
    from measured_weeks
    inner join typical_windows
        on measured_weeks.employee_id = typical_windows.employee_id

),

ended_weeks as (

    select
        employee_id,
        week_start,
        is_request_burst or is_token_burst as is_burst,
        case when is_token_burst and not is_request_burst then token_end_hour else request_end_hour end
            as end_hour
    from labelled_weeks

),

totals as (

    select
        sum(case when is_burst then 1 else 0 end) as bursts,
        sum(case when is_burst then 0 else 1 end) as other_weeks
    from ended_weeks

),

-- Each hour with its neighbours, so a snapshot that moves by an hour with daylight saving, or bursts
-- that stop just before it, still line up. Expected: the bursts there if they ended when people's
-- other weeks peak.
aligned as (

    select
        hours_of_week.hour_of_week,
        sum(case when ended_weeks.is_burst then 1 else 0 end) as burst_weeks,
        count(distinct case when ended_weeks.is_burst then ended_weeks.employee_id end) as burst_engineers,
        sum(
            case
                when ended_weeks.is_burst and ended_weeks.end_hour = hours_of_week.hour_of_week then 1
                else 0
            end
        ) as ending_weeks,
        sum(case when ended_weeks.is_burst then 0 else 1 end) as other_weeks_ending
    from hours_of_week
    left join ended_weeks
        on (ended_weeks.end_hour - hours_of_week.hour_of_week + 169) % 168 <= 2
    group by hours_of_week.hour_of_week

),

engineers as (

    select count(*) as engineers
    from typical_windows
    where weeks >= {{ min_weeks }}

),

-- How far the hour stands out: its bursts over the expected count, in units of the expected count's
-- chance spread (its square root, at least 1).
scored as (

    select
        aligned.*,
        cast(aligned.other_weeks_ending as {{ type_double() }}) * totals.bursts
        / nullif(totals.other_weeks, 0) as expected_burst_weeks,
        greatest({{ min_engineers }}, {{ min_engineer_share }} * engineers.engineers) as required_engineers
    from aligned
    cross join totals
    cross join engineers

),

lifted as (

    select
        *,
        burst_weeks - coalesce(expected_burst_weeks, 0) as excess_burst_weeks,
        (burst_weeks - coalesce(expected_burst_weeks, 0))
        / greatest(sqrt(coalesce(expected_burst_weeks, 0)), 1) as lift
    from scored

),

-- The hour that stands out most, and then, of it and its neighbours, the one most bursts end at.
best as (

    select hour_of_week as best_hour_of_week
    from lifted
    order by lift desc, ending_weeks desc, hour_of_week asc
    limit 1

),

ranked as (

    select
        lifted.*,
        case
            when (lifted.hour_of_week - best.best_hour_of_week + 169) % 168 <= 2
                then row_number() over (
                        partition by (lifted.hour_of_week - best.best_hour_of_week + 169) % 168 <= 2
                        order by lifted.ending_weeks desc, lifted.lift desc, lifted.hour_of_week asc
                    )
        end as lift_rank
    from lifted
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
        cast(expected_burst_weeks as {{ type_double() }}) as expected_burst_weeks,
        cast(excess_burst_weeks as {{ type_double() }}) as excess_burst_weeks,
        cast(lift as {{ type_double() }}) as lift,

        -- booleans
        {% if configured_hour >= 0 -%}
            hour_of_week = {{ configured_hour }} as is_snapshot,
        {%- else -%}
            coalesce(
                lift_rank = 1
                and max(case when lift_rank is not null then burst_engineers end) over ()
                >= required_engineers
                and max(case when lift_rank is not null then lift end) over () >= {{ min_lift }},
                false
            ) as is_snapshot,
        {%- endif %}

        -- strings
        '{{ "configured" if configured_hour >= 0 else "inferred" }}' as snapshot_source

    from ranked

)

select * from final
