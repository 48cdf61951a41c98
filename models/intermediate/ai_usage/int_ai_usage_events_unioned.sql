with

canonical_events as (

    select * from {{ ref('stg_landing__ai_usage_events') }}

),

vendor_events as (

    select * from {{ ref('int_ai_usage_vendor_counted') }}

),

final as (

    select
        -- ids
        event_id,
        source_tool,
        actor_id,
        session_id,
        prompt_hash,

        -- strings
        source_tool as source,  -- noqa: RF04
        'request' as grain,
        case when cost_usd is null then 'list' else 'billed' end as cost_kind,
        model,
        request_kind,

        -- numerics
        input_tokens,
        cached_input_tokens,
        cache_write_tokens,
        output_tokens,
        total_tokens,
        cost_usd,
        lines_suggested,
        lines_accepted,

        -- timestamps
        occurred_at,

        -- lineage
        _load_id,
        _landed_at
    from canonical_events

    union all

    select
        event_id,
        source_tool,
        actor_id,
        session_id,
        prompt_hash,
        source,
        grain,
        cost_kind,
        model,
        request_kind,
        input_tokens,
        cached_input_tokens,
        cache_write_tokens,
        output_tokens,
        total_tokens,
        cost_usd,
        lines_suggested,
        lines_accepted,
        occurred_at,
        _load_id,
        _landed_at
    from vendor_events

)

select * from final
