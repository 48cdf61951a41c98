{{
    config(
        materialized='incremental',
        unique_key=['source_tool', 'event_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with

usage_events as (

    select * from {{ ref('int_ai_usage_events_unioned') }}

),

accounts as (

    select * from {{ ref('int_accounts_resolved') }}

),

model_prices as (

    select * from {{ ref('int_model_prices') }}

),

events_in_window as (

    select
        *,
        cast(occurred_at as date) as usage_date
    from usage_events
    where {{ in_partition_window('occurred_at') }}

),

unpriced_days as (

    select distinct
        model,
        usage_date
    from events_in_window
    where cost_usd is null

),

-- The price of each model on each UTC day that has events without a billed cost: the model's own
-- price, else the price of its family when the reported name carries a release date.
day_prices as (

    select
        unpriced_days.model,
        unpriced_days.usage_date,
        coalesce(exact_prices.model, family_prices.model) as price_model,
        coalesce(exact_prices.price_source, family_prices.price_source) as price_source,
        coalesce(exact_prices.price_id, family_prices.price_id) as price_id,
        coalesce(exact_prices.input_usd_per_token, family_prices.input_usd_per_token)
            as input_usd_per_token,
        coalesce(exact_prices.cached_input_usd_per_token, family_prices.cached_input_usd_per_token)
            as cached_input_usd_per_token,
        coalesce(exact_prices.cache_write_usd_per_token, family_prices.cache_write_usd_per_token)
            as cache_write_usd_per_token,
        coalesce(exact_prices.output_usd_per_token, family_prices.output_usd_per_token)
            as output_usd_per_token

    from unpriced_days
    left join model_prices as exact_prices
        on
            unpriced_days.model = exact_prices.model
            and unpriced_days.usage_date >= exact_prices.effective_from
            and (exact_prices.valid_to is null or unpriced_days.usage_date < exact_prices.valid_to)
    left join model_prices as family_prices
        on
            {{ model_base_name('unpriced_days.model') }} = family_prices.model
            and unpriced_days.usage_date >= family_prices.effective_from
            and (family_prices.valid_to is null or unpriced_days.usage_date < family_prices.valid_to)

),

{% if is_incremental() %}

-- What the table already holds for the window. An event is (re)processed when its staged copy came
-- with a load newer than any the table has seen for its day (new, late and replayed rows), when its
-- account now resolves differently (an identity mapping or a people email that landed since), or
-- when its day's price changed (an org price that landed since). Comparing per day keeps daily
-- partitions independent: filling one day never hides older loads of another.
stored_days as (

    select
        usage_date,
        max(_load_id) as max_load_id
    from {{ this }}
    where {{ in_partition_window('occurred_at') }}
    group by usage_date

),

stored_accounts as (

    select distinct
        source_tool,
        actor_id,
        employee_id,
        is_bot,
        match_method
    from {{ this }}
    where {{ in_partition_window('occurred_at') }}

),

restated_accounts as (

    select distinct
        stored_accounts.source_tool,
        stored_accounts.actor_id
    from stored_accounts
    left join accounts
        on
            stored_accounts.source_tool = accounts.source_system
            and stored_accounts.actor_id = accounts.account_id
    where
        coalesce(accounts.employee_id, '') <> coalesce(stored_accounts.employee_id, '')
        or coalesce(accounts.is_bot, false) <> stored_accounts.is_bot
        or coalesce(accounts.match_method, 'unmatched') <> stored_accounts.match_method

),

stored_prices as (

    select distinct
        model,
        usage_date,
        price_id
    from {{ this }}
    where
        cost_source <> 'reported'
        and {{ in_partition_window('occurred_at') }}

),

restated_prices as (

    select distinct
        stored_prices.model,
        stored_prices.usage_date
    from stored_prices
    left join day_prices
        on
            stored_prices.model = day_prices.model
            and stored_prices.usage_date = day_prices.usage_date
    where coalesce(day_prices.price_id, '') <> coalesce(stored_prices.price_id, '')

),

{% endif %}

batch as (

    select events_in_window.*
    from events_in_window
    {% if is_incremental() -%}
    left join stored_days
        on events_in_window.usage_date = stored_days.usage_date
    left join restated_accounts
        on
            events_in_window.source_tool = restated_accounts.source_tool
            and events_in_window.actor_id = restated_accounts.actor_id
    left join restated_prices
        on
            events_in_window.cost_usd is null
            and events_in_window.model = restated_prices.model
            and events_in_window.usage_date = restated_prices.usage_date
    where
        events_in_window._load_id > coalesce(stored_days.max_load_id, -1)
        or restated_accounts.actor_id is not null
        or restated_prices.model is not null
    {%- endif %}

),

final as (

    select
        -- ids
        batch.source_tool,
        batch.event_id,
        batch.actor_id,
        accounts.employee_id,
        batch.session_id,
        batch.prompt_hash,

        -- strings
        coalesce(accounts.match_method, 'unmatched') as match_method,
        batch.model,
        batch.request_kind,
        case
            when batch.cost_usd is not null then 'reported'
            when day_prices.price_id is not null then 'priced'
            else 'unpriced'
        end as cost_source,
        day_prices.price_model,
        day_prices.price_source,
        day_prices.price_id,
        batch.source,
        batch.grain,
        batch.cost_kind,

        -- numerics
        batch.input_tokens,
        batch.cached_input_tokens,
        batch.cache_write_tokens,
        batch.output_tokens,
        batch.total_tokens,
        cast(
            coalesce(
                batch.cost_usd,
                batch.input_tokens * day_prices.input_usd_per_token
                + batch.cached_input_tokens * day_prices.cached_input_usd_per_token
                + batch.cache_write_tokens * day_prices.cache_write_usd_per_token
                + batch.output_tokens * day_prices.output_usd_per_token
            ) as {{ type_usd() }}
        ) as cost_usd,
        batch.lines_suggested,
        batch.lines_accepted,

        -- booleans
        coalesce(accounts.is_bot, false) as is_bot,
        batch.cost_usd is not null or day_prices.price_id is not null as is_priced,

        -- dates and timestamps
        batch.occurred_at,
        batch.usage_date,
        {{ iso_week_start('batch.occurred_at') }} as week_start,

        -- lineage
        batch._load_id,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as _dbt_invocation_id

    from batch
    left join accounts
        on
            batch.source_tool = accounts.source_system
            and batch.actor_id = accounts.account_id
    left join day_prices
        on
            batch.cost_usd is null
            and batch.model = day_prices.model
            and batch.usage_date = day_prices.usage_date

)

select * from final
