with

org_prices as (

    select * from {{ ref('stg_landing__model_prices') }}

),

list_prices as (

    select * from {{ ref('model_list_prices') }}

),

org_price_starts as (

    select
        model,
        min(effective_from) as first_org_effective_from
    from org_prices
    group by model

),

-- The organisation's timeline for a model replaces the list timeline from its first org price on:
-- a negotiated price holds until the organisation's next one, not until the vendor's next list
-- price. List prices still cover the days before it, and every model the organisation never priced.
combined as (

    select
        model,
        effective_from,
        'org' as price_source,
        input_usd_per_mtok,
        cached_input_usd_per_mtok,
        cache_write_usd_per_mtok,
        output_usd_per_mtok
    from org_prices

    union all

    select
        list_prices.model,
        list_prices.effective_from,
        'list' as price_source,
        list_prices.input_usd_per_mtok,
        list_prices.cached_input_usd_per_mtok,
        list_prices.cache_write_usd_per_mtok,
        list_prices.output_usd_per_mtok
    from list_prices
    left join org_price_starts
        on list_prices.model = org_price_starts.model
    where
        org_price_starts.model is null
        or list_prices.effective_from < org_price_starts.first_org_effective_from

),

final as (

    select
        model,
        effective_from,
        lead(effective_from) over (partition by model order by effective_from) as valid_to,
        price_source,
        cast(input_usd_per_mtok as decimal(18, 6)) as input_usd_per_mtok,
        cast(cached_input_usd_per_mtok as decimal(18, 6)) as cached_input_usd_per_mtok,
        cast(cache_write_usd_per_mtok as decimal(18, 6)) as cache_write_usd_per_mtok,
        cast(output_usd_per_mtok as decimal(18, 6)) as output_usd_per_mtok,
        -- Prices per single token, exact in decimal: dividing decimals yields a float on some engines.
        cast(input_usd_per_mtok * 0.000001 as decimal(18, 12)) as input_usd_per_token,
        cast(cached_input_usd_per_mtok * 0.000001 as decimal(18, 12)) as cached_input_usd_per_token,
        cast(cache_write_usd_per_mtok * 0.000001 as decimal(18, 12)) as cache_write_usd_per_token,
        cast(output_usd_per_mtok * 0.000001 as decimal(18, 12)) as output_usd_per_token,
        -- Fingerprint of the price as applied, so the usage fact can tell when a stored event's price
        -- has since changed (a corrected or newly landed org price) and price it again.
        {{ dbt.hash(dbt.concat([
            "price_source", "'|'",
            "model", "'|'",
            "cast(effective_from as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(input_usd_per_mtok as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(cached_input_usd_per_mtok as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(cache_write_usd_per_mtok as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(output_usd_per_mtok as " ~ dbt.type_string() ~ ")",
        ])) }} as price_id

    from combined

)

select * from final
