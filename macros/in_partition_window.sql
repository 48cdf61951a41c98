{#- Boolean SQL: whether `timestamp_expression` falls in the partition window the orchestrator
    passes as the vars `min_date` (inclusive) and `max_date` (exclusive): ISO dates or timestamps,
    UTC unless they carry an offset. `true` when neither is set, so a plain `dbt build` covers
    everything. A value that is not ISO-8601 stops compilation here, naming the var, instead of
    failing later as a cast in the warehouse. -#}
{% macro in_partition_window(timestamp_expression) -%}
    {%- set iso = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$' -%}
    {%- set bounds = [] -%}
    {%- for name, operator in [('min_date', '>='), ('max_date', '<')] -%}
        {%- set value = var(name, none) -%}
        {%- if value is not none and value | string | trim != '' -%}
            {%- set text = value | string | trim -%}
            {%- if not modules.re.match(iso, text) -%}
                {{ exceptions.raise_compiler_error(
                    "var `" ~ name ~ "` must be an ISO-8601 date or timestamp such as 2026-03-02, got '"
                    ~ text ~ "'"
                ) }}
            {%- endif -%}
            {%- set parsed = modules.datetime.datetime.fromisoformat(text | replace('Z', '+00:00')) -%}
            {%- if parsed.tzinfo is not none -%}
                {%- set parsed = parsed.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
            {%- endif -%}
            {%- do bounds.append(
                timestamp_expression ~ " " ~ operator ~ " cast('" ~ parsed.strftime('%Y-%m-%d %H:%M:%S')
                ~ "' as " ~ dbt.type_timestamp() ~ ")"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if bounds -%}
        ({{ bounds | join(' and ') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
