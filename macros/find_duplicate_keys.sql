{#- The rows behind `unique_combination_of_columns`: every key value that occurs more than once,
    with how often. A macro of its own so a model or an audit query can ask the same question
    without going through a test. -#}
{% macro find_duplicate_keys(relation, columns) -%}
    {%- if columns is string or columns is mapping or columns is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "find_duplicate_keys on " ~ relation ~ ": `columns` must be a list of column names, got "
            ~ columns ~ " (write `[" ~ columns ~ "]` for a single column)"
        ) }}
    {%- endif -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "find_duplicate_keys on " ~ relation ~ ": `columns` must name at least one column"
        ) }}
    {%- endif -%}
    {%- for column in columns if column is not string or column | trim == "" -%}
        {{ exceptions.raise_compiler_error(
            "find_duplicate_keys on " ~ relation ~ ": every entry of `columns` must be a column name, got "
            ~ column
        ) }}
    {%- endfor -%}
    select
        {% for column in columns -%}
            {{ column }},
        {% endfor -%}
        count(*) as duplicate_count
    from {{ relation }}
    group by {% for column in columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
    having count(*) > 1
{%- endmacro %}
