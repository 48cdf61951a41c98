{#- Custom schemas are used as they are named (`marts`, not `main_marts`): the contract
    publishes `marts.*`, and BI tools should not see the target's name in a schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
