{#- The one pass over the usage fact that every consumption signal reads: a table, so the weekly
    measures, the snapshot inference, the flags and the adjusted demand never scan events again. -#}
{{ config(materialized='table') }}

{%- set repeat_min_uses = var('airoi_consumption_repeat_min_uses') -%}
{%- set premium_min_output_price = var('airoi_consumption_premium_min_output_usd_per_mtok') -%}
{%- set tiny_output_tokens = var('airoi_consumption_tiny_output_tokens') -%}

with

usage_events as (

    select * from {{ ref('fct_ai_usage_events') }}

),

model_prices as (

    select * from {{ ref('int_model_prices') }}

),

engineers as (

    select * from {{ ref('dim_engineers') }}

),

engineer_events as (

    select
        employee_id,
        week_start,
        model,
        prompt_hash,
        request_kind,
        input_tokens,
        cached_input_tokens,
        cache_write_tokens,
        output_tokens,
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

-- The premium tier: models whose output price (any price the warehouse knows for the model or its
-- family) reaches the var. Matched by name, so rows the tool billed itself count too.
premium_models as (

    select distinct engineer_models.model
    from (select distinct model from engineer_events) as engineer_models
    inner join model_prices
        on
            engineer_models.model = model_prices.model
            or engineer_models.model like model_prices.model || '-%'
    where model_prices.output_usd_per_mtok >= {{ premium_min_output_price }}

),

-- How often the engineer sent each prompt that week, carried on every request that used it.
prompt_uses as (

    select
        engineer_events.*,
        premium_models.model is not null as is_premium_model,
        case
            when engineer_events.prompt_hash is not null
                then count(*) over (
                        partition by
                            engineer_events.employee_id,
                            engineer_events.week_start,
                            engineer_events.prompt_hash
                    )
        end as prompt_uses_in_week,
        -- one request of each prompt marks it, so distinct prompts add up over hours
        case
            when engineer_events.prompt_hash is not null
                then row_number() over (
                        partition by
                            engineer_events.employee_id,
                            engineer_events.week_start,
                            engineer_events.prompt_hash
                        order by engineer_events.hour_at
                    ) = 1
        end as is_first_prompt_use
    from engineer_events
    left join premium_models
        on engineer_events.model = premium_models.model

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
        sum(case when prompt_uses_in_week >= {{ repeat_min_uses }} and is_first_prompt_use then 1 else 0 end)
            as repeated_prompts,
        sum(case when request_kind = 'agent' then 1 else 0 end) as agent_requests,
        sum(case when is_premium_model and output_tokens <= {{ tiny_output_tokens }} then 1 else 0 end)
            as premium_tiny_requests,
        sum(case when is_premium_model and output_tokens <= {{ tiny_output_tokens }} then cost_usd else 0 end)
            as premium_tiny_cost_usd,
        sum(case when is_premium_model then 1 else 0 end) as premium_requests,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(output_tokens) as output_tokens,
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

localised as (

    select
        hours.*,
        {{ local_timestamp('hours.hour_at', "coalesce(engineers.timezone, 'UTC')") }} as local_hour_at
    from hours
    inner join engineers
        on hours.employee_id = engineers.employee_id

),

final as (

    select
        -- ids
        employee_id,

        -- numerics
        cast(requests as {{ dbt.type_bigint() }}) as requests,
        cast(prompted_requests as {{ dbt.type_bigint() }}) as prompted_requests,
        cast(repeated_prompt_requests as {{ dbt.type_bigint() }}) as repeated_prompt_requests,
        cast(repeated_prompts as {{ dbt.type_bigint() }}) as repeated_prompts,
        cast(agent_requests as {{ dbt.type_bigint() }}) as agent_requests,
        cast(premium_tiny_requests as {{ dbt.type_bigint() }}) as premium_tiny_requests,
        cast(premium_tiny_cost_usd as {{ type_usd() }}) as premium_tiny_cost_usd,
        cast(premium_requests as {{ dbt.type_bigint() }}) as premium_requests,
        cast(input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(cached_input_tokens as {{ dbt.type_bigint() }}) as cached_input_tokens,
        cast(cache_write_tokens as {{ dbt.type_bigint() }}) as cache_write_tokens,
        cast(output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(total_tokens as {{ dbt.type_bigint() }}) as total_tokens,
        cast(cost_usd as {{ type_usd() }}) as cost_usd,
        cast(lines_suggested as {{ dbt.type_bigint() }}) as lines_suggested,
        cast(lines_accepted as {{ dbt.type_bigint() }}) as lines_accepted,
        cast(round({{ hours_between('week_start', 'hour_at') }}) as {{ dbt.type_int() }}) as hour_of_week,

        -- booleans
        extract(isodow from local_hour_at) >= 6
        or extract(hour from local_hour_at) >= {{ var('airoi_consumption_night_start_hour') }}
        or extract(hour from local_hour_at) < {{ var('airoi_consumption_night_end_hour') }} as is_off_hours,

        -- dates and timestamps
        week_start,
        hour_at,
        local_hour_at

    from localised

)

select * from final
