with

engineer_weeks as (

    select * from {{ ref('int_engineer_weeks_measured') }}

),

adoptions as (

    select * from {{ ref('int_engineers_adopted') }}

),

unpriced_weeks as (

    select * from {{ ref('int_ai_usage_unpriced_weekly') }}

),

final as (

    select
        -- the published measures (CONTRACT.md section 2), in its order
        engineer_weeks.employee_id,
        engineer_weeks.team_id,
        engineer_weeks.week_start,
        cast(engineer_weeks.ai_total_tokens as {{ dbt.type_bigint() }}) as ai_total_tokens,
        cast(engineer_weeks.ai_cost_usd as {{ type_usd() }}) as ai_cost_usd,
        cast(engineer_weeks.prs_merged as {{ dbt.type_bigint() }}) as prs_merged,
        cast(engineer_weeks.median_pr_cycle_hours as {{ type_double() }}) as median_pr_cycle_hours,
        cast(engineer_weeks.reviews_given as {{ dbt.type_bigint() }}) as reviews_given,
        cast(engineer_weeks.incidents_resolved as {{ dbt.type_bigint() }}) as incidents_resolved,
        cast(engineer_weeks.median_incident_resolve_hours as {{ type_double() }})
            as median_incident_resolve_hours,
        cast(engineer_weeks.ai_total_tokens as {{ type_double() }})
        / nullif(engineer_weeks.prs_merged, 0) as tokens_per_merged_pr,
        cast(
            engineer_weeks.ai_cost_usd / nullif(engineer_weeks.prs_merged, 0) as {{ type_usd() }}
        ) as cost_per_merged_pr,

        -- dates
        engineer_weeks.month_start,
        adoptions.adoption_week_start,

        -- more outcomes
        cast(engineer_weeks.ai_assisted_prs_merged as {{ dbt.type_bigint() }}) as ai_assisted_prs_merged,

        -- spend against people cost
        cast(engineer_weeks.ai_cost_usd as {{ type_double() }})
        / nullif(cast(engineer_weeks.annual_loaded_cost_usd as {{ type_double() }}) / 52.0, 0)
            as ai_cost_share_of_loaded_cost,

        -- adoption
        engineer_weeks.adoption_cohort,
        coalesce(engineer_weeks.week_start >= adoptions.adoption_week_start, false) as is_post_adoption,

        -- cost completeness: tokens of models in no price table count above but have no cost
        cast(coalesce(unpriced_weeks.ai_unpriced_tokens, 0) as {{ dbt.type_bigint() }}) as ai_unpriced_tokens,
        coalesce(unpriced_weeks.ai_unpriced_events, 0) = 0 as is_ai_cost_complete

    from engineer_weeks
    left join adoptions
        on engineer_weeks.employee_id = adoptions.employee_id
    left join unpriced_weeks
        on
            engineer_weeks.employee_id = unpriced_weeks.employee_id
            and engineer_weeks.week_start = unpriced_weeks.week_start

)

select * from final
