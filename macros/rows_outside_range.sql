{#- The rows behind `accepted_range`: every row whose value lies outside the bounds. A macro of its own
    so an audit query can list the same rows without going through a test. Nulls are not out of range
    (comparisons with null are unknown, and `not unknown` selects nothing): `not_null` says whether a
    value may be missing. Bounds are SQL expressions, so a date bound is written
    `"cast('2026-01-01' as date)"`. -#}
{% macro rows_outside_range(relation, column_name, min_value=none, max_value=none, inclusive=true) -%}
    {%- set label = "accepted_range on column " ~ column_name -%}
    {%- if column_name is not string or column_name | trim == "" -%}
        {{ exceptions.raise_compiler_error(label ~ ": put the test under a column (`column_name` is missing)") }}
    {%- endif -%}
    {%- if min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error(label ~ ": give `min_value`, `max_value` or both") }}
    {%- endif -%}
    {%- for name, bound in {"min_value": min_value, "max_value": max_value}.items() -%}
        {%- if bound is boolean or bound is mapping or (bound is not none and bound is not number
            and bound is not string) -%}
            {{ exceptions.raise_compiler_error(
                label ~ ": `" ~ name ~ "` must be a number or a SQL expression, got " ~ bound
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if min_value is number and max_value is number and min_value > max_value -%}
        {{ exceptions.raise_compiler_error(
            label ~ ": `min_value` " ~ min_value ~ " is greater than `max_value` " ~ max_value
        ) }}
    {%- endif -%}
    {%- if inclusive is not boolean -%}
        {{ exceptions.raise_compiler_error(label ~ ": `inclusive` must be true or false, got " ~ inclusive) }}
    {%- endif -%}
    {%- set bounds = [] -%}
    {%- if min_value is not none -%}
        {%- do bounds.append(column_name ~ (" >= " if inclusive else " > ") ~ min_value) -%}
    {%- endif -%}
    {%- if max_value is not none -%}
        {%- do bounds.append(column_name ~ (" <= " if inclusive else " < ") ~ max_value) -%}
    {%- endif -%}
    select *
    from {{ relation }}
    where not ({{ bounds | join(" and ") }})
{%- endmacro %}
