{#- The rows behind `robust_zscore_outlier`: rows whose robust z-score,
    0.6745 * (x - median) / MAD with MAD the median absolute deviation from the median, exceeds
    `threshold` in absolute value. Median and MAD are taken over the whole relation or per
    `group_by` group (per week, say), so one heavy user cannot drag the yardstick the way a mean and
    standard deviation would. 0.6745 scales the MAD to a standard deviation for normal data, and 3.5
    is the usual cut-off (Iglewicz and Hoaglin).

    Rows with a null value or a null group key are not scored, and neither is a group whose MAD is 0
    (more than half its values are equal), where every deviation would be infinitely far. Restrict
    the rows scored (nonzero users only, say) with the test's `where` config. -#}
{% macro robust_zscore_outliers(relation, column_name, group_by=[], threshold=3.5) -%}
    {%- set label = "robust_zscore_outlier on column " ~ column_name -%}
    {%- if column_name is not string or column_name | trim == "" -%}
        {{ exceptions.raise_compiler_error(label ~ ": put the test under a column (`column_name` is missing)") }}
    {%- endif -%}
    {%- if group_by is string or group_by is mapping or group_by is not iterable -%}
        {{ exceptions.raise_compiler_error(
            label ~ ": `group_by` must be a list of column names, got " ~ group_by
            ~ " (write `[" ~ group_by ~ "]` for a single column)"
        ) }}
    {%- endif -%}
    {%- for column in group_by if column is not string or column | trim == "" -%}
        {{ exceptions.raise_compiler_error(label ~ ": every entry of `group_by` must be a column name, got " ~ column) }}
    {%- endfor -%}
    {%- if threshold is not number or threshold is boolean or threshold <= 0 -%}
        {{ exceptions.raise_compiler_error(label ~ ": `threshold` must be a number > 0, got " ~ threshold) }}
    {%- endif -%}
    {%- set group_keys = [] -%}
    {%- for column in group_by -%}
        {%- do group_keys.append("zscore_group_" ~ loop.index) -%}
    {%- endfor -%}
    {#- how a per-group statistic (`__statistics__`) joins back to the scored rows -#}
    {%- set join_statistics -%}
        {%- if group_keys -%}
            inner join __statistics__
                on {% for key in group_keys %}scored_rows.{{ key }} = __statistics__.{{ key }}{% if not loop.last %}
                and {% endif %}{% endfor %}
        {%- else -%}
            cross join __statistics__
        {%- endif -%}
    {%- endset -%}
    with source_rows as (
        select * from {{ relation }}
    ),

    scored_rows as (
        select
            source_rows.*,
            {%- for column in group_by %}
            {{ column }} as {{ group_keys[loop.index0] }},
            {%- endfor %}
            cast({{ column_name }} as {{ type_double() }}) as scored_value
        from source_rows
        where
            {%- for column in group_by %}
            {{ column }} is not null and
            {%- endfor %}
            {{ column_name }} is not null
    ),

    medians as (
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            {{ median("scored_value") }} as median_value
        from scored_rows
        {%- if group_keys %}
        group by {{ group_keys | join(", ") }}
        {%- endif %}
    ),

    deviations as (
        select
            {%- for key in group_keys %}
            scored_rows.{{ key }},
            {%- endfor %}
            abs(scored_rows.scored_value - medians.median_value) as absolute_deviation
        from scored_rows
        {{ join_statistics | replace("__statistics__", "medians") }}
    ),

    spreads as (
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            {{ median("absolute_deviation") }} as median_absolute_deviation
        from deviations
        {%- if group_keys %}
        group by {{ group_keys | join(", ") }}
        {%- endif %}
    ),

    scores as (
        select
            scored_rows.*,
            medians.median_value,
            spreads.median_absolute_deviation,
            0.6745 * (scored_rows.scored_value - medians.median_value)
                / spreads.median_absolute_deviation as robust_z
        from scored_rows
        {{ join_statistics | replace("__statistics__", "medians") }}
        {{ join_statistics | replace("__statistics__", "spreads") }}
        where spreads.median_absolute_deviation > 0
    ),

    final as (
        select *
        from scores
        where abs(robust_z) > {{ threshold }}
    )

    select * from final
{%- endmacro %}
