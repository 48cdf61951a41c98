{#- A number as people read it in a sentence: 4.1M, 920k, 87. -#}
{% macro format_amount(expression) -%}
    case
        when {{ expression }} >= 1000000000
            then cast(round({{ expression }} / 1000000000.0, 1) as {{ dbt.type_string() }}) || 'B'
        when {{ expression }} >= 1000000
            then cast(round({{ expression }} / 1000000.0, 1) as {{ dbt.type_string() }}) || 'M'
        when {{ expression }} >= 1000
            then cast(round({{ expression }} / 1000.0, 1) as {{ dbt.type_string() }}) || 'k'
        else cast(cast(round({{ expression }}) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
    end
{%- endmacro %}

{#- A share as a whole percentage: 0.417 -> 42%. -#}
{% macro format_share(expression) -%}
    cast(cast(round(100 * {{ expression }}) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }}) || '%'
{%- endmacro %}

{#- A multiple with one decimal: 3.44 -> 3.4x. -#}
{% macro format_multiple(expression) -%}
    cast(round({{ expression }}, 1) as {{ dbt.type_string() }}) || 'x'
{%- endmacro %}
