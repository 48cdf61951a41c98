with

usage_events as (

    select * from {{ ref('fct_ai_usage_events') }}

),

final as (

    select
        employee_id,
        week_start,
        count(*) as ai_unpriced_events,
        sum(total_tokens) as ai_unpriced_tokens
    from usage_events
    where
        not is_priced
        and employee_id is not null
    group by
        employee_id,
        week_start

)

select * from final
