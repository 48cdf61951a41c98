{{ config(materialized='table') }}

with

vendor_usage as (

    select * from {{ ref('int_ai_usage_vendor_resolved') }}
    where is_kept

),

model_prices as (

    select * from {{ ref('int_model_prices') }}

),

-- Claude Code used by an API organisation is billed as that organisation's Messages API usage: the
-- same tokens are in its usage report. Per organisation, day and model, Claude Code's per-user rows
-- count, and the usage report counts only for what Claude Code does not cover.
claude_code_api as (

    select
        organization_id,
        usage_date,
        model,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(output_tokens) as output_tokens,
        max(_load_id) as _load_id
    from vendor_usage
    where source = 'anthropic.claude_code' and record_kind = 'tokens' and customer_type = 'api'
    group by organization_id, usage_date, model

),

usage_report as (

    select
        organization_id,
        usage_date,
        model,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(output_tokens) as output_tokens,
        max(occurred_at) as occurred_at,
        max(_load_id) as _load_id,
        max(_landed_at) as _landed_at
    from vendor_usage
    where source = 'anthropic.usage_report'
    group by organization_id, usage_date, model

),

report_remainders as (

    select
        -- `source` is the published column's name (CONTRACT.md: every row records its source).
        'anthropic.usage_report' as source,  -- noqa: RF04
        'remainder|' || usage_report.organization_id || '|'
        || cast(usage_report.usage_date as {{ dbt.type_string() }}) || '|'
        || coalesce(usage_report.model, '') as event_id,
        'anthropic-org:' || usage_report.organization_id as actor_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        'day' as grain,
        'list' as cost_kind,
        'anthropic_api' as source_tool,
        coalesce(usage_report.model, 'unknown') as model,
        cast(null as {{ dbt.type_string() }}) as customer_type,
        cast(null as {{ dbt.type_string() }}) as charge_status,
        greatest(usage_report.input_tokens - coalesce(claude_code_api.input_tokens, 0), 0) as input_tokens,
        greatest(
            usage_report.cached_input_tokens - coalesce(claude_code_api.cached_input_tokens, 0), 0
        ) as cached_input_tokens,
        greatest(
            usage_report.cache_write_tokens - coalesce(claude_code_api.cache_write_tokens, 0), 0
        ) as cache_write_tokens,
        greatest(usage_report.output_tokens - coalesce(claude_code_api.output_tokens, 0), 0) as output_tokens,
        cast(null as {{ type_usd() }}) as cost_usd,
        cast(usage_report.usage_date as {{ dbt.type_timestamp() }}) as occurred_at,
        usage_report.usage_date,
        greatest(usage_report._load_id, coalesce(claude_code_api._load_id, 0)) as _load_id,
        usage_report._landed_at,
        'anthropic' as vendor,
        usage_report.organization_id
    from usage_report
    left join claude_code_api
        on
            usage_report.organization_id = claude_code_api.organization_id
            and usage_report.usage_date = claude_code_api.usage_date
            and usage_report.model = claude_code_api.model

),

-- The rows whose tokens count: every per-user row (Claude Code, Cursor events, Copilot's CLI, the
-- OpenAI usage buckets, which no other source repeats) and the usage report's remainders. Cursor
-- events on the user's own key (BYOK) are billed and reported by the model's vendor: not here.
counted_tokens as (

    select
        source,
        event_id,
        actor_id,
        session_id,
        grain,
        cost_kind,
        source_tool,
        model,
        customer_type,
        charge_status,
        input_tokens,
        cached_input_tokens,
        cache_write_tokens,
        output_tokens,
        cast(cost_usd as {{ type_usd() }}) as cost_usd,
        occurred_at,
        usage_date,
        _load_id,
        _landed_at,
        vendor,
        organization_id
    from vendor_usage
    where
        record_kind = 'tokens'
        and source <> 'anthropic.usage_report'
        and coalesce(charge_status, '') <> 'byok'

    union all

    select
        source,
        event_id,
        actor_id,
        session_id,
        grain,
        cost_kind,
        source_tool,
        model,
        customer_type,
        charge_status,
        cast(input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(cached_input_tokens as {{ dbt.type_bigint() }}) as cached_input_tokens,
        cast(cache_write_tokens as {{ dbt.type_bigint() }}) as cache_write_tokens,
        cast(output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cost_usd,
        occurred_at,
        usage_date,
        _load_id,
        _landed_at,
        vendor,
        organization_id
    from report_remainders

),

-- Spend: where the vendor's billed cost report covers an organisation's day, it is the day's
-- spend on that vendor's API bill, shared over the rows on that bill by their list-price cost
-- (by tokens when none is priced). Claude Code on a subscription is not on the API bill.
priced as (

    select
        counted_tokens.*,
        counted_tokens.input_tokens
        + counted_tokens.cached_input_tokens
        + counted_tokens.cache_write_tokens
        + counted_tokens.output_tokens as total_tokens,
        (
            counted_tokens.source_tool = 'anthropic_api'
            or (counted_tokens.source_tool = 'claude_code' and counted_tokens.customer_type = 'api')
            or counted_tokens.source_tool = 'openai_api'
        ) as is_on_api_bill,
        counted_tokens.input_tokens
        * coalesce(exact_prices.input_usd_per_token, family_prices.input_usd_per_token)
        + counted_tokens.cached_input_tokens
        * coalesce(exact_prices.cached_input_usd_per_token, family_prices.cached_input_usd_per_token)
        + counted_tokens.cache_write_tokens
        * coalesce(exact_prices.cache_write_usd_per_token, family_prices.cache_write_usd_per_token)
        + counted_tokens.output_tokens
        * coalesce(exact_prices.output_usd_per_token, family_prices.output_usd_per_token) as list_cost_usd
    from counted_tokens
    left join model_prices as exact_prices
        on
            counted_tokens.model = exact_prices.model
            and counted_tokens.usage_date >= exact_prices.effective_from
            and (exact_prices.valid_to is null or counted_tokens.usage_date < exact_prices.valid_to)
    left join model_prices as family_prices
        on
            {{ model_base_name('counted_tokens.model') }} = family_prices.model
            and counted_tokens.usage_date >= family_prices.effective_from
            and (family_prices.valid_to is null or counted_tokens.usage_date < family_prices.valid_to)

),

billed as (

    select
        vendor,
        organization_id,
        usage_date,
        sum(cost_usd) as billed_usd,
        max(_load_id) as _load_id,
        max(_landed_at) as _landed_at
    from vendor_usage
    where record_kind = 'cost' and cost_kind = 'billed'
    group by vendor, organization_id, usage_date

),

bill_weights as (

    select
        vendor,
        organization_id,
        usage_date,
        sum(coalesce(list_cost_usd, 0)) as list_cost_usd,
        sum(total_tokens) as total_tokens
    from priced
    where is_on_api_bill
    group by vendor, organization_id, usage_date

),

allocated as (

    select
        priced.source,
        priced.event_id,
        priced.actor_id,
        priced.session_id,
        priced.grain,
        case
            when priced.is_on_api_bill and billed.billed_usd is not null then 'billed'
            else priced.cost_kind
        end as cost_kind,
        priced.source_tool,
        priced.model,
        priced.input_tokens,
        priced.cached_input_tokens,
        priced.cache_write_tokens,
        priced.output_tokens,
        priced.total_tokens,
        case
            when not priced.is_on_api_bill or billed.billed_usd is null then priced.cost_usd
            when bill_weights.list_cost_usd > 0
                then billed.billed_usd * coalesce(priced.list_cost_usd, 0) / bill_weights.list_cost_usd
            when bill_weights.total_tokens > 0
                then billed.billed_usd * priced.total_tokens / bill_weights.total_tokens
            else 0
        end as cost_usd,
        priced.occurred_at,
        greatest(priced._load_id, coalesce(billed._load_id, 0)) as _load_id,
        priced._landed_at,
        priced.vendor,
        priced.organization_id,
        priced.customer_type,
        priced.is_on_api_bill,
        priced.list_cost_usd
    from priced
    left join billed
        on
            priced.is_on_api_bill
            and priced.vendor = billed.vendor
            and priced.organization_id = billed.organization_id
            and priced.usage_date = billed.usage_date
    left join bill_weights
        on
            priced.vendor = bill_weights.vendor
            and priced.organization_id = bill_weights.organization_id
            and priced.usage_date = bill_weights.usage_date

),

-- Billed spend of a day with no usage row on the bill still counts, once, as a row without tokens.
unallocated_bills as (

    select
        billed.vendor || '.cost' as source,  -- noqa: RF04
        'unallocated|' || billed.organization_id || '|'
        || cast(billed.usage_date as {{ dbt.type_string() }}) as event_id,
        billed.vendor || '-org:' || billed.organization_id as actor_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        'day' as grain,
        'billed' as cost_kind,
        case when billed.vendor = 'anthropic' then 'anthropic_api' else 'openai_api' end as source_tool,
        'billed-without-usage' as model,
        0 as input_tokens,
        0 as cached_input_tokens,
        0 as cache_write_tokens,
        0 as output_tokens,
        0 as total_tokens,
        billed.billed_usd as cost_usd,
        cast(billed.usage_date as {{ dbt.type_timestamp() }}) as occurred_at,
        billed._load_id,
        billed._landed_at,
        billed.vendor,
        billed.organization_id,
        cast(null as {{ dbt.type_string() }}) as customer_type,
        true as is_on_api_bill,
        cast(null as {{ type_usd() }}) as list_cost_usd
    from billed
    left join bill_weights
        on
            billed.vendor = bill_weights.vendor
            and billed.organization_id = bill_weights.organization_id
            and billed.usage_date = bill_weights.usage_date
    where bill_weights.vendor is null

),

final as (

    select
        -- ids
        event_id,
        source_tool,
        actor_id,
        session_id,
        cast(null as {{ dbt.type_string() }}) as prompt_hash,

        -- strings
        source,
        grain,
        cost_kind,
        model,
        'other' as request_kind,

        -- numerics
        input_tokens,
        cached_input_tokens,
        cache_write_tokens,
        output_tokens,
        total_tokens,
        cast(cost_usd as {{ type_usd() }}) as cost_usd,
        cast(null as {{ dbt.type_bigint() }}) as lines_suggested,
        cast(null as {{ dbt.type_bigint() }}) as lines_accepted,

        -- timestamps
        occurred_at,

        -- lineage
        _load_id,
        _landed_at,

        -- reconciliation
        vendor,
        organization_id,
        customer_type,
        is_on_api_bill,
        cast(list_cost_usd as {{ type_usd() }}) as list_cost_usd
    from allocated

    union all

    select
        event_id,
        source_tool,
        actor_id,
        session_id,
        cast(null as {{ dbt.type_string() }}) as prompt_hash,
        source,
        grain,
        cost_kind,
        model,
        'other' as request_kind,
        input_tokens,
        cached_input_tokens,
        cache_write_tokens,
        output_tokens,
        total_tokens,
        cast(cost_usd as {{ type_usd() }}) as cost_usd,
        cast(null as {{ dbt.type_bigint() }}) as lines_suggested,
        cast(null as {{ dbt.type_bigint() }}) as lines_accepted,
        occurred_at,
        _load_id,
        _landed_at,
        vendor,
        organization_id,
        customer_type,
        is_on_api_bill,
        list_cost_usd
    from unallocated_bills

)

select * from final
