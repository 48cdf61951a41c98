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

pull_requests as (

    select * from {{ ref('int_pull_requests_phased') }}

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
    where vendor = 'cursor' and source in ('cursor.daily', 'cursor.events')
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

-- Copilot's team rows are its users joined to their teams of the day: a user of two teams is in
-- both (and teams under five seats are missing), so they never add up to the organisation's users.
copilot_team_rows as (

    select
        memberships.organization_id,
        memberships.usage_date,
        count(*) as team_user_days
    from vendor_records as memberships
    inner join vendor_records as activity
        on
            memberships.organization_id = activity.organization_id
            and memberships.actor_id = activity.actor_id
            and memberships.usage_date = activity.usage_date
    where
        memberships.source = 'copilot.user_teams_1_day'
        and activity.source = 'copilot.users_1_day'
        and activity.record_kind = 'activity'
    group by memberships.organization_id, memberships.usage_date

),

copilot_entity_user_days as (

    select
        organization_id,
        usage_date,
        count(*) as user_days
    from vendor_records
    where source = 'copilot.users_1_day' and record_kind = 'activity'
    group by organization_id, usage_date

),

-- Copilot's day totals of pull requests count every pull request of the organisation (or of the
-- enterprise, which holds its organisations), not only Copilot's.
copilot_pull_request_totals as (

    select
        usage_date,
        line_item as measure,
        sum(case when organization_id like 'ent:%' then measure_value end) as enterprise_total,
        sum(case when organization_id like 'org:%' then measure_value end) as organizations_total
    from vendor_usage
    where
        source_tool = 'copilot'
        and record_kind = 'total'
        and line_item in ('pull_requests.total_created', 'pull_requests.total_merged')
    group by usage_date, line_item

),

github_pull_requests as (

    select
        cast(created_at as date) as usage_date,
        'pull_requests.total_created' as measure,
        count(*) as pull_requests
    from pull_requests
    group by cast(created_at as date)

    union all

    select
        cast(merged_at as date) as usage_date,
        'pull_requests.total_merged' as measure,
        count(*) as pull_requests
    from pull_requests
    where merged_at is not null
    group by cast(merged_at as date)

),

-- Cursor's spend per member of a billing cycle: a cycle runs a month from its start, or to the next
-- landed cycle's start when that comes sooner.
cursor_cycles as (

    select
        occurred_at as cycle_started_at,
        sum(cost_usd) as spend_usd
    from vendor_usage
    where source = 'cursor.spend'
    group by occurred_at

),

cursor_cycle_windows as (

    select
        cycle_started_at,
        spend_usd,
        least(
            coalesce(
                lead(cycle_started_at) over (order by cycle_started_at),
                {{ dbt.dateadd('month', 1, 'cycle_started_at') }}
            ),
            {{ dbt.dateadd('month', 1, 'cycle_started_at') }}
        ) as cycle_ended_at
    from cursor_cycles

),

cursor_cycle_charges as (

    select
        cursor_cycle_windows.cycle_started_at,
        sum(vendor_usage.cost_usd) as charged_usd
    from cursor_cycle_windows
    inner join vendor_usage
        on
            cursor_cycle_windows.cycle_started_at <= vendor_usage.occurred_at
            and cursor_cycle_windows.cycle_ended_at > vendor_usage.occurred_at
            and vendor_usage.source = 'cursor.events'
    group by cursor_cycle_windows.cycle_started_at

),

cursor_cycle_counted as (

    select
        cursor_cycle_windows.cycle_started_at,
        sum(counted_usage.cost_usd) as counted_usd
    from cursor_cycle_windows
    inner join counted_usage
        on
            cursor_cycle_windows.cycle_started_at <= counted_usage.occurred_at
            and cursor_cycle_windows.cycle_ended_at > counted_usage.occurred_at
            and counted_usage.source_tool = 'cursor'
    group by cursor_cycle_windows.cycle_started_at

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

    union all

    select
        'copilot_teams_vs_organization' as comparison,
        'copilot' as vendor,
        copilot_team_rows.organization_id,
        copilot_team_rows.usage_date,
        'user_days' as measure,
        'copilot.users_1_day by copilot.user_teams_1_day (team rows)' as source_a,
        cast(copilot_team_rows.team_user_days as decimal(38, 9)) as total_a,
        'copilot.users_1_day (the organisation report)' as source_b,
        cast(copilot_entity_user_days.user_days as decimal(38, 9)) as total_b,
        'copilot.users_1_day, one report per user and day' as counted_source,
        cast(copilot_entity_user_days.user_days as decimal(38, 9)) as counted_total
    from copilot_team_rows
    left join copilot_entity_user_days
        on
            copilot_team_rows.organization_id = copilot_entity_user_days.organization_id
            and copilot_team_rows.usage_date = copilot_entity_user_days.usage_date

    union all

    select
        case copilot_pull_request_totals.measure
            when 'pull_requests.total_created' then 'copilot_pull_requests_created_vs_github'
            else 'copilot_pull_requests_merged_vs_github'
        end as comparison,
        'copilot' as vendor,
        'all' as organization_id,
        copilot_pull_request_totals.usage_date,
        'pull_requests' as measure,
        case
            when copilot_pull_request_totals.enterprise_total is not null then 'copilot.enterprise_1_day'
            else 'copilot.organization_1_day'
        end || ' ' || copilot_pull_request_totals.measure as source_a,
        cast(
            coalesce(
                copilot_pull_request_totals.enterprise_total,
                copilot_pull_request_totals.organizations_total
            ) as decimal(38, 9)
        ) as total_a,
        'github pulls' as source_b,
        cast(coalesce(github_pull_requests.pull_requests, 0) as decimal(38, 9)) as total_b,
        'github pulls' as counted_source,
        cast(coalesce(github_pull_requests.pull_requests, 0) as decimal(38, 9)) as counted_total
    from copilot_pull_request_totals
    left join github_pull_requests
        on
            copilot_pull_request_totals.usage_date = github_pull_requests.usage_date
            and copilot_pull_request_totals.measure = github_pull_requests.measure

    union all

    select
        'cursor_events_vs_spend' as comparison,
        'cursor' as vendor,
        'all' as organization_id,
        cast(cursor_cycle_windows.cycle_started_at as date) as usage_date,
        'cost_usd' as measure,
        'cursor.events' as source_a,
        cast(cursor_cycle_charges.charged_usd as decimal(38, 9)) as total_a,
        'cursor.spend' as source_b,
        cast(cursor_cycle_windows.spend_usd as decimal(38, 9)) as total_b,
        'cursor.events' as counted_source,
        cast(coalesce(cursor_cycle_counted.counted_usd, 0) as decimal(38, 9)) as counted_total
    from cursor_cycle_windows
    left join cursor_cycle_charges
        on cursor_cycle_windows.cycle_started_at = cursor_cycle_charges.cycle_started_at
    left join cursor_cycle_counted
        on cursor_cycle_windows.cycle_started_at = cursor_cycle_counted.cycle_started_at

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
