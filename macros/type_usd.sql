{#- The type of every USD amount the warehouse computes. Nine decimals keep the cost of a single
    cached token (a few millionths of a cent) exact enough that summing millions of events does not
    drift, and eighteen digits fit in eight bytes on engines that size decimals by precision. -#}
{% macro type_usd() -%}
    decimal(18, 9)
{%- endmacro %}
