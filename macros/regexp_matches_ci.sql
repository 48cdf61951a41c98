{#- True when the regular expression `pattern` matches anywhere in `text_expression`, ignoring case.
    Seeds hold patterns in the POSIX/RE2 subset every engine accepts; only the call differs. -#}
{% macro regexp_matches_ci(text_expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches_ci', 'airoi')(text_expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_matches_ci(text_expression, pattern) -%}
    ({{ text_expression }} ~* {{ pattern }})
{%- endmacro %}

{% macro duckdb__regexp_matches_ci(text_expression, pattern) -%}
    regexp_matches({{ text_expression }}, {{ pattern }}, 'i')
{%- endmacro %}

{% macro snowflake__regexp_matches_ci(text_expression, pattern) -%}
    regexp_like({{ text_expression }}, '.*(' || {{ pattern }} || ').*', 'is')
{%- endmacro %}
