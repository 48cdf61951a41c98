with

accounts as (

    select * from {{ ref('int_accounts_resolved') }}

),

usage_events as (

    select * from {{ ref('fct_ai_usage_events') }}

),

unmatched_usage as (

    select
        source_tool,
        actor_id,
        count(*) as usage_events,
        sum(total_tokens) as total_tokens,
        sum(cost_usd) as cost_usd
    from usage_events
    where match_method = 'unmatched'
    group by source_tool, actor_id

),

final as (

    select
        -- ids
        accounts.source_system,
        accounts.account_id,
        accounts.mapped_employee_id,

        -- numerics
        cast(coalesce(unmatched_usage.usage_events, 0) as {{ dbt.type_bigint() }}) as usage_events,
        cast(coalesce(unmatched_usage.total_tokens, 0) as {{ dbt.type_bigint() }}) as total_tokens,
        cast(unmatched_usage.cost_usd as {{ type_usd() }}) as cost_usd,
        accounts.pull_requests_authored,
        accounts.reviews_submitted,
        accounts.commits_authored,
        accounts.incidents_resolved,

        -- timestamps
        accounts.first_seen_at,
        accounts.last_seen_at

    from accounts
    left join unmatched_usage
        on
            accounts.source_system = unmatched_usage.source_tool
            and accounts.account_id = unmatched_usage.actor_id
    where accounts.match_method = 'unmatched'

)

select * from final
