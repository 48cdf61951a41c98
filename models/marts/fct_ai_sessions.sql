with

usage_events as (

    select * from {{ ref('fct_ai_usage_events') }}

),

session_events as (

    select *
    from usage_events
    where session_id is not null

),

sessions as (

    select
        source_tool,
        session_id,
        min(actor_id) as actor_id,
        min(employee_id) as employee_id,
        count(distinct actor_id) as actors,
        max(case when is_bot then 1 else 0 end) as has_bot,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        count(*) as requests,
        count(distinct model) as models,
        sum(case when request_kind = 'agent' then 1 else 0 end) as agent_requests,
        sum(case when request_kind = 'chat' then 1 else 0 end) as chat_requests,
        sum(case when request_kind = 'completion' then 1 else 0 end) as completion_requests,
        sum(case when request_kind = 'tab' then 1 else 0 end) as tab_requests,
        sum(case when request_kind = 'review' then 1 else 0 end) as review_requests,
        sum(case when request_kind = 'other' then 1 else 0 end) as other_requests,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(output_tokens) as output_tokens,
        sum(total_tokens) as total_tokens,
        sum(cost_usd) as cost_usd,
        sum(case when is_priced then 0 else 1 end) as unpriced_requests,
        sum(lines_suggested) as lines_suggested,
        sum(lines_accepted) as lines_accepted
    from session_events
    group by source_tool, session_id

),

final as (

    select
        -- ids
        source_tool,
        session_id,
        actor_id,
        employee_id,

        -- numerics
        cast(actors as {{ dbt.type_bigint() }}) as actors,
        cast(requests as {{ dbt.type_bigint() }}) as requests,
        cast(models as {{ dbt.type_bigint() }}) as models,
        cast(agent_requests as {{ dbt.type_bigint() }}) as agent_requests,
        cast(chat_requests as {{ dbt.type_bigint() }}) as chat_requests,
        cast(completion_requests as {{ dbt.type_bigint() }}) as completion_requests,
        cast(tab_requests as {{ dbt.type_bigint() }}) as tab_requests,
        cast(review_requests as {{ dbt.type_bigint() }}) as review_requests,
        cast(other_requests as {{ dbt.type_bigint() }}) as other_requests,
        cast(input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(cached_input_tokens as {{ dbt.type_bigint() }}) as cached_input_tokens,
        cast(cache_write_tokens as {{ dbt.type_bigint() }}) as cache_write_tokens,
        cast(output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(total_tokens as {{ dbt.type_bigint() }}) as total_tokens,
        cast(cost_usd as {{ type_usd() }}) as cost_usd,
        cast(unpriced_requests as {{ dbt.type_bigint() }}) as unpriced_requests,
        cast(lines_suggested as {{ dbt.type_bigint() }}) as lines_suggested,
        cast(lines_accepted as {{ dbt.type_bigint() }}) as lines_accepted,
        {{ hours_between('started_at', 'ended_at') }} * 60 as duration_minutes,

        -- booleans
        has_bot = 1 as is_bot,
        agent_requests > 0 as is_agent_session,

        -- dates and timestamps
        started_at,
        ended_at,
        cast(started_at as date) as session_date,
        {{ iso_week_start('started_at') }} as week_start

    from sessions

)

select * from final
