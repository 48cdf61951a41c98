with

vendor_records as (

    select * from {{ ref('int_ai_usage_vendor_resolved') }}

),

vendor_usage as (

    select * from vendor_records
    where is_kept

),

counted_usage as (

    select * from {{ ref('int_ai_usage_vendor_counted') }}

),

-- Anthropic, per organisation and day: Claude Code's per-user figures of API customers against the
-- organisation's usage report (tokens) and billed cost report (spend), and what counts.
anthropic_sources as (

    select
        organization_id,
        usage_date,
        sum(
            case
                when source = 'anthropic.claude_code' and record_kind = 'tokens' and customer_type = 'api'
                    then total_tokens
            end
        ) as claude_code_tokens,
        sum(case when source = 'anthropic.usage_report' then total_tokens end) as usage_report_tokens,
        sum(
            case
                when source = 'anthropic.claude_code' and record_kind = 'tokens' and customer_type = 'api'
                    then cost_usd
            end
        ) as claude_code_estimated_usd,
        sum(case when source = 'anthropic.cost_report' then cost_usd end) as cost_report_usd
    from vendor_usage
    where vendor = 'anthropic'
    group by organization_id, usage_date

),

openai_sources as (

    select
        organization_id,
        usage_date,
        sum(case when source = 'openai.costs' then cost_usd end) as costs_usd
    from vendor_usage
    where vendor = 'openai'
    group by organization_id, usage_date

),

cursor_sources as (

    select
        usage_date,
        sum(case when source = 'cursor.daily' then requests end) as daily_requests,
        sum(case when source = 'cursor.events' then 1 else 0 end) as events,
        sum(case when source = 'cursor.events' and charge_status = 'byok' then total_tokens end)
            as byok_tokens
    from vendor_usage
    where vendor = 'cursor'
    group by usage_date

),

copilot_sources as (

    select
        usage_date,
        sum(case when organization_id like 'org:%' then 1 else 0 end) as organization_report_user_days,
        sum(case when organization_id like 'ent:%' then 1 else 0 end) as enterprise_report_user_days
    from vendor_records
    where source_tool = 'copilot' and record_kind = 'activity'
    group by usage_date

),

copilot_counted as (

    select
        usage_date,
        count(*) as user_days
    from vendor_usage
    where source_tool = 'copilot' and record_kind = 'activity'
    group by usage_date

),

counted_on_bill as (

    select
        vendor,
        organization_id,
        cast(occurred_at as date) as usage_date,
        sum(total_tokens) as counted_tokens,
        sum(cost_usd) as counted_usd,
        sum(list_cost_usd) as list_cost_usd
    from counted_usage
    where is_on_api_bill
    group by vendor, organization_id, cast(occurred_at as date)

),

comparisons as (

    select
        'claude_code_vs_usage_report' as comparison,
        'anthropic' as vendor,
        anthropic_sources.organization_id,
        anthropic_sources.usage_date,
        'tokens' as measure,
        'anthropic.claude_code' as source_a,
        cast(anthropic_sources.claude_code_tokens as decimal(38, 9)) as total_a,
        'anthropic.usage_report' as source_b,
        cast(anthropic_sources.usage_report_tokens as decimal(38, 9)) as total_b,
        case
            when anthropic_sources.usage_report_tokens is null then 'anthropic.claude_code'
            else 'anthropic.usage_report'
        end as counted_source,
        cast(counted_on_bill.counted_tokens as decimal(38, 9)) as counted_total
    from anthropic_sources
    left join counted_on_bill
        on
            counted_on_bill.vendor = 'anthropic'
            and anthropic_sources.organization_id = counted_on_bill.organization_id
            and anthropic_sources.usage_date = counted_on_bill.usage_date
    where
        anthropic_sources.claude_code_tokens is not null
        or anthropic_sources.usage_report_tokens is not null

    union all

    select
        'claude_code_estimate_vs_cost_report' as comparison,
        'anthropic' as vendor,
        anthropic_sources.organization_id,
        anthropic_sources.usage_date,
        'cost_usd' as measure,
        'anthropic.claude_code' as source_a,
        cast(anthropic_sources.claude_code_estimated_usd as decimal(38, 9)) as total_a,
        'anthropic.cost_report' as source_b,
        cast(anthropic_sources.cost_report_usd as decimal(38, 9)) as total_b,
        case
            when anthropic_sources.cost_report_usd is null then 'anthropic.claude_code'
            else 'anthropic.cost_report'
        end as counted_source,
        cast(counted_on_bill.counted_usd as decimal(38, 9)) as counted_total
    from anthropic_sources
    left join counted_on_bill
        on
            counted_on_bill.vendor = 'anthropic'
            and anthropic_sources.organization_id = counted_on_bill.organization_id
            and anthropic_sources.usage_date = counted_on_bill.usage_date
    where
        anthropic_sources.claude_code_estimated_usd is not null
        or anthropic_sources.cost_report_usd is not null

    union all

    select
        'openai_usage_at_list_vs_costs' as comparison,
        'openai' as vendor,
        coalesce(openai_sources.organization_id, counted_on_bill.organization_id) as organization_id,
        coalesce(openai_sources.usage_date, counted_on_bill.usage_date) as usage_date,
        'cost_usd' as measure,
        'openai.usage.completions' as source_a,
        cast(counted_on_bill.list_cost_usd as decimal(38, 9)) as total_a,
        'openai.costs' as source_b,
        cast(openai_sources.costs_usd as decimal(38, 9)) as total_b,
        case
            when openai_sources.costs_usd is null then 'openai.usage.completions'
            else 'openai.costs'
        end as counted_source,
        cast(counted_on_bill.counted_usd as decimal(38, 9)) as counted_total
    from openai_sources
    full outer join counted_on_bill
        on
            counted_on_bill.vendor = 'openai'
            and openai_sources.organization_id = counted_on_bill.organization_id
            and openai_sources.usage_date = counted_on_bill.usage_date
    where coalesce(counted_on_bill.vendor, 'openai') = 'openai'

    union all

    select
        'cursor_daily_vs_events' as comparison,
        'cursor' as vendor,
        'all' as organization_id,
        usage_date,
        'requests' as measure,
        'cursor.daily' as source_a,
        cast(daily_requests as decimal(38, 9)) as total_a,
        'cursor.events' as source_b,
        cast(events as decimal(38, 9)) as total_b,
        'cursor.events' as counted_source,
        cast(events as decimal(38, 9)) as counted_total
    from cursor_sources

    union all

    select
        'cursor_byok_vs_model_vendor' as comparison,
        'cursor' as vendor,
        'all' as organization_id,
        usage_date,
        'tokens' as measure,
        'cursor.events' as source_a,
        cast(byok_tokens as decimal(38, 9)) as total_a,
        'anthropic.usage_report, openai.usage.completions' as source_b,
        cast(null as decimal(38, 9)) as total_b,
        'anthropic.usage_report, openai.usage.completions' as counted_source,
        cast(0 as decimal(38, 9)) as counted_total
    from cursor_sources
    where byok_tokens is not null

    union all

    select
        'copilot_organizations_vs_enterprise' as comparison,
        'copilot' as vendor,
        'all' as organization_id,
        copilot_sources.usage_date,
        'user_days' as measure,
        'copilot.users_1_day (organisation reports)' as source_a,
        cast(copilot_sources.organization_report_user_days as decimal(38, 9)) as total_a,
        'copilot.users_1_day (enterprise report)' as source_b,
        cast(copilot_sources.enterprise_report_user_days as decimal(38, 9)) as total_b,
        'copilot.users_1_day, one report per user and day' as counted_source,
        cast(copilot_counted.user_days as decimal(38, 9)) as counted_total
    from copilot_sources
    left join copilot_counted
        on copilot_sources.usage_date = copilot_counted.usage_date

),

final as (

    select
        -- ids
        comparison,
        vendor,
        organization_id,

        -- strings
        measure,
        source_a,
        source_b,
        counted_source,

        -- numerics
        total_a,
        total_b,
        total_a - total_b as difference,
        counted_total,

        -- dates
        usage_date

    from comparisons

)

select * from final
