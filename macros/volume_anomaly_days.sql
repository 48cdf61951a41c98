{#- The days behind `volume_anomaly`: each of the last `recent_days` days up to the newest date in
    the relation whose volume is below `min_ratio` or above `max_ratio` times its baseline. The
    baseline of a day is the median volume of the same weekday in the `lookback_weeks` weeks before
    it, so a quiet Sunday is compared with earlier Sundays, never with the Monday after it, and one
    odd week in the baseline does not move it.

    A day with no rows at all has volume 0 (a feed that stopped is the anomaly that matters most).
    Baseline days before the first date in the relation are history that does not exist, not zeros:
    they are left out, and a day with fewer than `min_history_weeks` baseline days is not judged.
    Neither is a day whose baseline is below `min_baseline_volume`, where a ratio means nothing
    (3 events on a Sunday that usually has 0). -#}
{% macro volume_anomaly_days(
    relation,
    date_column,
    value_expression="count(*)",
    lookback_weeks=4,
    min_ratio=0.5,
    max_ratio=2.0,
    recent_days=7,
    min_history_weeks=2,
    min_baseline_volume=1
) -%}
    {%- set label = "volume_anomaly by " ~ date_column -%}
    {%- for name, value in {"date_column": date_column, "value_expression": value_expression}.items() -%}
        {%- if value is not string or value | trim == "" -%}
            {{ exceptions.raise_compiler_error(label ~ ": `" ~ name ~ "` must be a SQL expression, got " ~ value) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set counts = {
        "lookback_weeks": lookback_weeks,
        "recent_days": recent_days,
        "min_history_weeks": min_history_weeks,
    } -%}
    {%- for name, value in counts.items() if value is not integer or value < 1 -%}
        {{ exceptions.raise_compiler_error(label ~ ": `" ~ name ~ "` must be a whole number >= 1, got " ~ value) }}
    {%- endfor -%}
    {%- if min_history_weeks > lookback_weeks -%}
        {{ exceptions.raise_compiler_error(
            label ~ ": `min_history_weeks` (" ~ min_history_weeks ~ ") cannot exceed `lookback_weeks` ("
            ~ lookback_weeks ~ ")"
        ) }}
    {%- endif -%}
    {%- set limits = {"min_ratio": min_ratio, "max_ratio": max_ratio, "min_baseline_volume": min_baseline_volume} -%}
    {%- for name, value in limits.items() if value is not number or value is boolean or value < 0 -%}
        {{ exceptions.raise_compiler_error(label ~ ": `" ~ name ~ "` must be a number >= 0, got " ~ value) }}
    {%- endfor -%}
    {%- if min_ratio >= max_ratio -%}
        {{ exceptions.raise_compiler_error(
            label ~ ": `min_ratio` (" ~ min_ratio ~ ") must be below `max_ratio` (" ~ max_ratio ~ ")"
        ) }}
    {%- endif -%}
    with source_rows as (
        select * from {{ relation }}
    ),

    daily_volumes as (
        select
            cast({{ date_column }} as date) as volume_date,
            cast({{ value_expression }} as {{ type_double() }}) as volume
        from source_rows
        where {{ date_column }} is not null
        group by cast({{ date_column }} as date)
    ),

    date_bounds as (
        select
            min(volume_date) as first_date,
            max(volume_date) as last_date
        from daily_volumes
    ),

    day_offsets as (
        {%- for offset in range(recent_days) %}
        select {{ offset }} as days_back{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ),

    week_offsets as (
        {%- for offset in range(1, lookback_weeks + 1) %}
        select {{ offset }} as weeks_back{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ),

    recent_days as (
        select
            date_bounds.first_date,
            cast({{ dbt.dateadd("day", "-1 * day_offsets.days_back", "date_bounds.last_date") }} as date)
                as volume_date
        from date_bounds
        cross join day_offsets
    ),

    baseline_days as (
        select
            recent_days.volume_date,
            recent_days.first_date,
            cast({{ dbt.dateadd("day", "-7 * week_offsets.weeks_back", "recent_days.volume_date") }} as date)
                as baseline_date
        from recent_days
        cross join week_offsets
    ),

    baselines as (
        select
            baseline_days.volume_date,
            {{ median("coalesce(daily_volumes.volume, 0)") }} as baseline_volume,
            count(*) as baseline_weeks
        from baseline_days
        left join daily_volumes
            on baseline_days.baseline_date = daily_volumes.volume_date
        where baseline_days.baseline_date >= baseline_days.first_date
        group by baseline_days.volume_date
    ),

    judged as (
        select
            recent_days.volume_date,
            coalesce(daily_volumes.volume, 0) as volume,
            baselines.baseline_volume,
            baselines.baseline_weeks,
            coalesce(daily_volumes.volume, 0) / baselines.baseline_volume as volume_ratio
        from recent_days
        inner join baselines
            on recent_days.volume_date = baselines.volume_date
        left join daily_volumes
            on recent_days.volume_date = daily_volumes.volume_date
        where
            baselines.baseline_weeks >= {{ min_history_weeks }}
            and baselines.baseline_volume >= {{ min_baseline_volume }}
            and baselines.baseline_volume > 0
    ),

    final as (
        select
            volume_date,
            volume,
            baseline_volume,
            baseline_weeks,
            volume_ratio,
            cast({{ min_ratio }} as {{ type_double() }}) as min_ratio,
            cast({{ max_ratio }} as {{ type_double() }}) as max_ratio
        from judged
        where volume_ratio < {{ min_ratio }} or volume_ratio > {{ max_ratio }}
    )

    select * from final
{%- endmacro %}
