{#- The Monday (a date) of the ISO week that `timestamp_expression` falls in, in UTC. Every weekly
    measure is keyed on it. `date_trunc('week', ...)` starts weeks on Monday on DuckDB, Postgres,
    Redshift and Spark; Snowflake follows its WEEK_START parameter, whose default (0) is ISO too. -#}
{% macro iso_week_start(timestamp_expression) -%}
    {{ return(adapter.dispatch('iso_week_start', 'airoi')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__iso_week_start(timestamp_expression) -%}
    cast({{ dbt.date_trunc('week', timestamp_expression) }} as date)
{%- endmacro %}

{% macro bigquery__iso_week_start(timestamp_expression) -%}
    date_trunc(cast({{ timestamp_expression }} as date), isoweek)
{%- endmacro %}
