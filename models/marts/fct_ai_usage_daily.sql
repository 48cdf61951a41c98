with

usage_events as (

    select * from {{ ref('fct_ai_usage_events') }}

),

engineers as (

    select * from {{ ref('dim_engineers') }}

),

engineer_events as (

    select
        usage_events.*,
        engineers.team_id
    from usage_events
    inner join engineers
        on usage_events.employee_id = engineers.employee_id
    where not usage_events.is_bot

),

final as (

    select
        -- ids
        employee_id,
        team_id,
        source_tool,
        model,

        -- dates
        usage_date,
        week_start,

        -- numerics
        cast(count(*) as {{ dbt.type_bigint() }}) as events,
        cast(count(distinct session_id) as {{ dbt.type_bigint() }}) as sessions,
        cast(sum(input_tokens) as {{ dbt.type_bigint() }}) as input_tokens,
        cast(sum(cached_input_tokens) as {{ dbt.type_bigint() }}) as cached_input_tokens,
        cast(sum(cache_write_tokens) as {{ dbt.type_bigint() }}) as cache_write_tokens,
        cast(sum(output_tokens) as {{ dbt.type_bigint() }}) as output_tokens,
        cast(sum(total_tokens) as {{ dbt.type_bigint() }}) as total_tokens,
        cast(sum(cost_usd) as {{ type_usd() }}) as cost_usd,
        cast(sum(case when is_priced then 0 else 1 end) as {{ dbt.type_bigint() }}) as unpriced_events,
        cast(sum(lines_suggested) as {{ dbt.type_bigint() }}) as lines_suggested,
        cast(sum(lines_accepted) as {{ dbt.type_bigint() }}) as lines_accepted,
        case
            when sum(lines_suggested) > 0
                then cast(sum(lines_accepted) as {{ type_double() }}) / sum(lines_suggested)
        end as acceptance_rate

    from engineer_events
    group by
        employee_id,
        team_id,
        source_tool,
        model,
        usage_date,
        week_start

)

select * from final
