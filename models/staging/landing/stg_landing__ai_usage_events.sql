with

source as (

    select * from {{ source('landing', 'ai_usage_events') }}

),

renamed as (

    select

        -- ids
        trim(event_id) as event_id,
        lower(trim(source_tool)) as source_tool,
        case
            when trim(actor_id) like '%@%' then lower(trim(actor_id))
            else trim(actor_id)
        end as actor_id,
        nullif(trim(session_id), '') as session_id,
        nullif(trim(prompt_hash), '') as prompt_hash,

        -- strings
        lower(trim(model)) as model,
        case
            when lower(trim(request_kind)) in ('chat', 'completion', 'agent', 'tab', 'review')
                then lower(trim(request_kind))
            else 'other'
        end as request_kind,

        -- numerics
        input_tokens,
        coalesce(cached_input_tokens, 0) as cached_input_tokens,
        coalesce(cache_write_tokens, 0) as cache_write_tokens,
        output_tokens,
        input_tokens
        + coalesce(cached_input_tokens, 0)
        + coalesce(cache_write_tokens, 0)
        + output_tokens as total_tokens,
        cost_usd,
        lines_suggested,
        lines_accepted,

        -- timestamps
        occurred_at,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
