{#- Hours from `start_timestamp` to `end_timestamp` as a double, negative when the end comes first
    and null when either is null. `dbt.datediff` counts crossed hour boundaries as an integer, which
    would turn a 90-minute phase into 1 or 2 hours; the difference of epoch seconds keeps the
    fraction. -#}
{% macro hours_between(start_timestamp, end_timestamp) -%}
    {{ return(adapter.dispatch('hours_between', 'airoi')(start_timestamp, end_timestamp)) }}
{%- endmacro %}

{% macro default__hours_between(start_timestamp, end_timestamp) -%}
    cast(
        (extract(epoch from {{ end_timestamp }}) - extract(epoch from {{ start_timestamp }})) / 3600.0
        as {{ type_double() }}
    )
{%- endmacro %}

{% macro duckdb__hours_between(start_timestamp, end_timestamp) -%}
    cast((epoch({{ end_timestamp }}) - epoch({{ start_timestamp }})) / 3600.0 as {{ type_double() }})
{%- endmacro %}

{% macro bigquery__hours_between(start_timestamp, end_timestamp) -%}
    cast(timestamp_diff({{ end_timestamp }}, {{ start_timestamp }}, microsecond) / 3600000000.0 as float64)
{%- endmacro %}
