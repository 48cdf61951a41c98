{#- The statistical median of `expression` as an aggregate: the mean of the two middle values for
    an even count, as the published measures define it. Engines spell the continuous percentile
    differently, and DuckDB's `median` on a non-numeric type returns the lower middle value, so the
    interpolating form is asked for explicitly. -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'airoi')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}
