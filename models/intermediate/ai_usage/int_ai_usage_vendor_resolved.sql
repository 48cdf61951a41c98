with

vendor_usage as (

    select * from {{ ref('stg_landing__vendor_ai_usage') }}

),

-- Anthropic's usage and cost reports do not name their organisation: a file outside an `org=`
-- folder belongs to the organisation of the Claude Code export when that export names exactly one.
claude_code_organizations as (

    select
        min(organization_id) as organization_id,
        count(distinct organization_id) as organizations
    from vendor_usage
    where source = 'anthropic.claude_code'

),

resolved as (

    select
        vendor_usage.source,
        vendor_usage.event_id,
        vendor_usage.actor_id,
        vendor_usage.session_id,
        vendor_usage.grain,
        vendor_usage.record_kind,
        vendor_usage.cost_kind,
        vendor_usage.source_tool,
        vendor_usage.model,
        vendor_usage.line_item,
        -- Claude Code Analytics covers Console (API) organisations: a record that does not say is
        -- an API customer's, whose tokens its organisation's usage report repeats.
        case
            when vendor_usage.source = 'anthropic.claude_code'
                then coalesce(vendor_usage.customer_type, 'api')
        end as customer_type,
        vendor_usage.charge_status,
        vendor_usage.input_tokens,
        vendor_usage.cached_input_tokens,
        vendor_usage.cache_write_tokens,
        vendor_usage.output_tokens,
        vendor_usage.total_tokens,
        vendor_usage.requests,
        vendor_usage.sessions,
        vendor_usage.suggestions_shown,
        vendor_usage.suggestions_accepted,
        vendor_usage.lines_suggested,
        vendor_usage.lines_accepted,
        vendor_usage.lines_added,
        vendor_usage.lines_removed,
        vendor_usage.measure_value,
        vendor_usage.cost_usd,
        vendor_usage.occurred_at,
        vendor_usage.usage_date,
        vendor_usage._load_id,
        vendor_usage._landed_at,
        case
            when vendor_usage.source_tool in ('claude_code', 'anthropic_api') then 'anthropic'
            when vendor_usage.source_tool = 'openai_api' then 'openai'
            else vendor_usage.source_tool
        end as vendor,
        case
            when vendor_usage.organization_id is not null then vendor_usage.organization_id
            when
                vendor_usage.source_tool = 'anthropic_api' and claude_code_organizations.organizations = 1
                then claude_code_organizations.organization_id
            else 'unknown'
        end as organization_id
    from vendor_usage
    cross join claude_code_organizations

),

-- A Copilot user is in the report of every organisation they belong to and once in the
-- enterprise's: one report per user and day counts, the enterprise's where it landed. (A user's
-- teams and the reports' day totals are kept as they are: they count nowhere.)
copilot_ranked as (

    select
        source,
        event_id,
        row_number() over (
            partition by record_kind, actor_id, usage_date
            order by case when organization_id like 'ent:%' then 0 else 1 end, organization_id
        ) as report_rank
    from resolved
    where source_tool = 'copilot' and record_kind in ('activity', 'tokens')

),

-- One bucket width per source, organisation and day: the widest landed (daily over hourly over
-- minute buckets of the same usage).
bucket_widths as (

    select
        source,
        organization_id,
        usage_date,
        min(case grain when 'day' then 1 when 'hour' then 2 else 3 end) as kept_width
    from resolved
    where grain in ('day', 'hour', 'minute')
    group by source, organization_id, usage_date

),

final as (

    select
        resolved.*,
        coalesce(copilot_ranked.report_rank, 1) = 1
        and (
            bucket_widths.kept_width is null
            or bucket_widths.kept_width = case resolved.grain when 'day' then 1 when 'hour' then 2 else 3 end
        ) as is_kept
    from resolved
    left join copilot_ranked
        on
            resolved.source = copilot_ranked.source
            and resolved.event_id = copilot_ranked.event_id
    left join bucket_widths
        on
            resolved.source = bucket_widths.source
            and resolved.organization_id = bucket_widths.organization_id
            and resolved.usage_date = bucket_widths.usage_date

)

select * from final
