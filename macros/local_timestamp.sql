{#- The wall-clock time in IANA zone `zone_expression` of a naive UTC timestamp, as a naive
    timestamp: what an engineer's own clock showed. -#}
{% macro local_timestamp(utc_timestamp, zone_expression) -%}
    {{ return(adapter.dispatch('local_timestamp', 'airoi')(utc_timestamp, zone_expression)) }}
{%- endmacro %}

{% macro default__local_timestamp(utc_timestamp, zone_expression) -%}
    cast({{ utc_timestamp }} at time zone 'UTC' at time zone {{ zone_expression }} as timestamp)
{%- endmacro %}

{#- DuckDB: the inner call reads the stored naive timestamp as UTC whatever the session's zone. -#}
{% macro duckdb__local_timestamp(utc_timestamp, zone_expression) -%}
    timezone({{ zone_expression }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{% macro spark__local_timestamp(utc_timestamp, zone_expression) -%}
    from_utc_timestamp({{ utc_timestamp }}, {{ zone_expression }})
{%- endmacro %}
