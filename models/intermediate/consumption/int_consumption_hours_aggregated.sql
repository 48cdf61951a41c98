{#- The one pass over the usage fact that every consumption signal reads: a table, so the weekly
    signals, the flags and the adjusted demand never scan events again. -#}
{{ config(materialized='table') }}

{%- set repeat_min_uses = var('airoi_consumption_repeat_min_uses') -%}
{%- set snapshot_isodow = var('airoi_consumption_snapshot_isodow') -%}
{%- set snapshot_hour_utc = var('airoi_consumption_snapshot_hour_utc') -%}
{%- set snapshot_window_hours = var('airoi_consumption_snapshot_window_hours') -%}
{%- set snapshot_hours = (snapshot_isodow - 1) * 24 + snapshot_hour_utc -%}

with

usage_events as (

    select * from {{ ref('fct_ai_usage_events') }}

),

engineer_events as (

    select
        employee_id,
        week_start,
        prompt_hash,
        request_kind,
        total_tokens,
        cost_usd,
        lines_suggested,
        lines_accepted,
        {{ dbt.date_trunc('hour', 'occurred_at') }} as hour_at
    from usage_events
    where
        employee_id is not null
        and not is_bot

),

-- How often the engineer sent each prompt that week, carried on every request that used it.
prompt_uses as (

    select
        *,
        case
            when prompt_hash is not null
                then count(*) over (partition by employee_id, week_start, prompt_hash)
        end as prompt_uses_in_week
    from engineer_events

),

hours as (

    select
        employee_id,
        week_start,
        hour_at,
        count(*) as requests,
        sum(case when prompt_hash is not null then 1 else 0 end) as prompted_requests,
        sum(case when prompt_uses_in_week >= {{ repeat_min_uses }} then 1 else 0 end)
            as repeated_prompt_requests,
        sum(case when request_kind = 'agent' then 1 else 0 end) as agent_requests,
        sum(total_tokens) as total_tokens,
        sum(cost_usd) as cost_usd,
        sum(lines_suggested) as lines_suggested,
        sum(lines_accepted) as lines_accepted
    from prompt_uses
    group by
        employee_id,
        week_start,
        hour_at

),

final as (

    select
        -- ids
        employee_id,

        -- numerics
        cast(requests as {{ dbt.type_bigint() }}) as requests,
        cast(prompted_requests as {{ dbt.type_bigint() }}) as prompted_requests,
        cast(repeated_prompt_requests as {{ dbt.type_bigint() }}) as repeated_prompt_requests,
        cast(agent_requests as {{ dbt.type_bigint() }}) as agent_requests,
        cast(total_tokens as {{ dbt.type_bigint() }}) as total_tokens,
        cast(cost_usd as {{ type_usd() }}) as cost_usd,
        cast(lines_suggested as {{ dbt.type_bigint() }}) as lines_suggested,
        cast(lines_accepted as {{ dbt.type_bigint() }}) as lines_accepted,

        -- booleans
        hour_at >= {{ dbt.dateadd('hour', snapshot_hours - snapshot_window_hours, 'week_start') }}
        and hour_at < {{ dbt.dateadd('hour', snapshot_hours, 'week_start') }} as is_snapshot_window,

        -- dates and timestamps
        week_start,
        hour_at

    from hours

)

select * from final
