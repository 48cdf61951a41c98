with

consumption_flags as (

    select * from {{ ref('fct_consumption_flags') }}

),

-- The part of a flagged week above the engineer's usual week: what inflation added on top of the
-- demand the engineer would have had anyway.
weeks as (

    select
        team_id,
        week_start,
        is_flagged,
        total_tokens,
        cost_usd,
        case
            when is_flagged and usual_tokens is not null
                then greatest(total_tokens - usual_tokens, 0)
            when is_flagged
                then total_tokens
            else 0
        end as excess_tokens
    from consumption_flags

),

teams as (

    select
        team_id,
        week_start,
        count(*) as engineers_with_usage,
        sum(case when is_flagged then 1 else 0 end) as engineers_flagged,
        sum(total_tokens) as total_tokens,
        sum(case when is_flagged then total_tokens else 0 end) as flagged_tokens,
        sum(excess_tokens) as flagged_excess_tokens,
        sum(cost_usd) as cost_usd,
        sum(case when is_flagged then cost_usd else 0 end) as flagged_cost_usd,
        sum(case when total_tokens > 0 then cost_usd * excess_tokens / total_tokens else 0 end)
            as flagged_excess_cost_usd
    from weeks
    group by
        team_id,
        week_start

),

final as (

    select
        -- ids
        team_id,

        -- dates
        week_start,

        -- numerics: engineers
        cast(engineers_with_usage as {{ dbt.type_bigint() }}) as engineers_with_usage,
        cast(engineers_flagged as {{ dbt.type_bigint() }}) as engineers_flagged,

        -- numerics: tokens
        cast(total_tokens as {{ dbt.type_bigint() }}) as total_tokens,
        cast(flagged_tokens as {{ dbt.type_bigint() }}) as flagged_tokens,
        cast(total_tokens - flagged_tokens as {{ dbt.type_bigint() }}) as adjusted_tokens,
        case
            when total_tokens > 0 then cast(flagged_tokens as {{ type_double() }}) / total_tokens
        end as flagged_token_share,
        cast(round(flagged_excess_tokens) as {{ dbt.type_bigint() }}) as flagged_excess_tokens,

        -- numerics: spend
        cast(cost_usd as {{ type_usd() }}) as cost_usd,
        cast(flagged_cost_usd as {{ type_usd() }}) as flagged_cost_usd,
        cast(cost_usd - flagged_cost_usd as {{ type_usd() }}) as adjusted_cost_usd,
        case
            when cost_usd > 0 then cast(flagged_cost_usd as {{ type_double() }}) / cost_usd
        end as flagged_cost_share,
        cast(flagged_excess_cost_usd as {{ type_usd() }}) as flagged_excess_cost_usd

    from teams

)

select * from final
