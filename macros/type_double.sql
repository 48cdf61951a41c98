{#- An 8-byte floating-point type. dbt's own `type_float` is a 4-byte `float` on DuckDB and Spark,
    which rounds durations in hours and ratios visibly, so every double in the project goes
    through this macro instead. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'airoi')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}
