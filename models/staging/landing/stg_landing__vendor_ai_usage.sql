with

source as (

    select * from {{ source('landing', 'vendor_ai_usage') }}

),

renamed as (

    select

        -- ids
        source,
        event_id,
        nullif(trim(organization_id), '') as organization_id,
        case
            when actor_kind = 'email' then lower(trim(actor_id))
            else nullif(trim(actor_id), '')
        end as actor_id,
        actor_kind,
        session_id,

        -- strings
        grain,
        record_kind,
        cost_kind,
        lower(source_tool) as source_tool,
        lower(trim(model)) as model,
        line_item,
        customer_type,
        charge_status,

        -- numerics
        coalesce(input_tokens, 0) as input_tokens,
        coalesce(cached_input_tokens, 0) as cached_input_tokens,
        coalesce(cache_write_tokens, 0) as cache_write_tokens,
        coalesce(output_tokens, 0) as output_tokens,
        coalesce(input_tokens, 0)
        + coalesce(cached_input_tokens, 0)
        + coalesce(cache_write_tokens, 0)
        + coalesce(output_tokens, 0) as total_tokens,
        requests,
        cost_usd,
        sessions,
        suggestions_shown,
        suggestions_accepted,
        lines_suggested,
        lines_accepted,
        lines_added,
        lines_removed,
        measure_value,

        -- dates and timestamps
        occurred_at,
        cast(occurred_at as date) as usage_date,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
