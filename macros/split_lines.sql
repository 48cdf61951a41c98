{#- A set-returning select-list expression: one row per line of `text_expression` (line feeds,
    with carriage returns dropped). Trailer patterns are matched line by line, so a pattern's
    `[^<]*` cannot run from one line of a commit message into the next. -#}
{% macro split_lines(text_expression) -%}
    {{ return(adapter.dispatch('split_lines', 'airoi')(text_expression)) }}
{%- endmacro %}

{% macro default__split_lines(text_expression) -%}
    regexp_split_to_table(replace({{ text_expression }}, chr(13), ''), chr(10))
{%- endmacro %}

{% macro duckdb__split_lines(text_expression) -%}
    unnest(string_split(replace({{ text_expression }}, chr(13), ''), chr(10)))
{%- endmacro %}
