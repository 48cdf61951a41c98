with

source as (

    select * from {{ source('landing', 'model_prices') }}

),

renamed as (

    select

        -- strings
        lower(trim(model)) as model,

        -- numerics
        input_usd_per_mtok,
        cached_input_usd_per_mtok,
        cache_write_usd_per_mtok,
        output_usd_per_mtok,

        -- dates
        effective_from,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
