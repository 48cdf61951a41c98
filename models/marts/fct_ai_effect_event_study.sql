with

effects as (

    select * from {{ ref('int_ai_effects_estimated') }}

),

final as (

    select
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(outcome as {{ dbt.type_string() }}) as outcome,
        cast(estimator as {{ dbt.type_string() }}) as estimator,
        cast(relative_week as integer) as relative_week,
        cast(effect_relative as {{ type_double() }}) as effect_relative,
        cast(ci_low as {{ type_double() }}) as ci_low,
        cast(ci_high as {{ type_double() }}) as ci_high,
        cast(adopters as integer) as adopters,
        cast(comparison_engineers as integer) as comparison_engineers,
        cast(adopter_weeks as integer) as adopter_weeks,
        cast(comparison_weeks as integer) as comparison_weeks,
        cast(is_reportable as boolean) as is_reportable
    from effects
    where relative_week is not null

)

select * from final
