with

engineer_weeks as (

    select * from {{ ref('int_engineer_weeks_measured') }}

),

adoptions as (

    select * from {{ ref('int_engineers_adopted') }}

),

consumption_flags as (

    select * from {{ ref('fct_consumption_flags') }}

),

-- Adopters with a baseline, and the engineers who never took AI up: the comparison group. Everyone
-- else (AI users from their first observed week, adopters with too short a baseline) is left out, so
-- no one who was already using AI stands in for what an adopter would have done without it.
grouped as (

    select
        employee_id,
        adoption_week_start,
        pending_adoption_week_start,
        case
            when is_effect_adopter then 'adopter'
            when not is_adopter then 'comparison'
        end as effect_group
    from adoptions

),

phased as (

    select
        -- ids
        engineer_weeks.employee_id,
        engineer_weeks.team_id,

        -- dates
        engineer_weeks.week_start,
        grouped.adoption_week_start,

        -- adoption
        grouped.effect_group,
        coalesce(
            grouped.effect_group = 'adopter' and engineer_weeks.week_start >= grouped.adoption_week_start,
            false
        ) as is_post_adoption,
        coalesce(consumption_flags.is_flagged, false) as is_flagged,
        grouped.pending_adoption_week_start,

        -- outcomes
        cast(engineer_weeks.prs_merged as {{ type_double() }}) as prs_merged,
        cast(engineer_weeks.median_pr_cycle_hours as {{ type_double() }}) as median_pr_cycle_hours,
        cast(engineer_weeks.reviews_given as {{ type_double() }}) as reviews_given,
        cast(engineer_weeks.median_incident_resolve_hours as {{ type_double() }})
            as median_incident_resolve_hours

    from engineer_weeks
    inner join grouped
        on engineer_weeks.employee_id = grouped.employee_id
    left join consumption_flags
        on
            engineer_weeks.employee_id = consumption_flags.employee_id
            and engineer_weeks.week_start = consumption_flags.week_start
    where
        engineer_weeks.is_fully_observed
        and grouped.effect_group is not null

),

-- A week without AI is the counterfactual's raw material, so a week of inflated consumption is none
-- (an adopter's flagged weeks after adoption stay: what they delivered then is part of the effect),
-- and neither is a week of an adoption that may be under way at the end of the data.
final as (

    select
        employee_id,
        team_id,
        week_start,
        adoption_week_start,
        effect_group,
        -- both are Mondays, so whole weeks apart; null for comparison engineers
        cast(
            {{ dbt.datediff('adoption_week_start', 'week_start', 'day') }}
            / 7 as integer
        ) as relative_week,
        is_post_adoption,
        prs_merged,
        median_pr_cycle_hours,
        reviews_given,
        median_incident_resolve_hours
    from phased
    where
        (is_post_adoption or not is_flagged)
        and (pending_adoption_week_start is null or week_start < pending_adoption_week_start)

)

select * from final
