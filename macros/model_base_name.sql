{#- A vendor model name without the release date some APIs append (`claude-sonnet-4-5-20250929`,
    `gpt-4.1-2025-04-14`), so a dated name finds the price of its model family when the price tables
    list only the family. Names without such a suffix come back unchanged. Dispatched because
    regular-expression functions are not standard SQL; the pattern stays in the POSIX subset (no
    `\d`), so engines whose string literals treat backslashes specially read it the same. -#}
{% macro model_base_name(model_expression) -%}
    {{ return(adapter.dispatch('model_base_name', 'airoi')(model_expression)) }}
{%- endmacro %}

{% macro default__model_base_name(model_expression) -%}
    regexp_replace({{ model_expression }}, '-(20[0-9]{6}|20[0-9]{2}-[0-9]{2}-[0-9]{2})$', '')
{%- endmacro %}
