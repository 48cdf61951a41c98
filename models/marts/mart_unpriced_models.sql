with

usage_events as (

    select * from {{ ref('fct_ai_usage_events') }}

),

final as (

    select
        model,
        count(*) as unpriced_events,
        cast(sum(total_tokens) as {{ dbt.type_bigint() }}) as unpriced_tokens,
        count(distinct employee_id) as engineers,
        min(usage_date) as first_usage_date,
        max(usage_date) as last_usage_date
    from usage_events
    where not is_priced
    group by model

)

select * from final
