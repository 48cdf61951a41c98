-- The team's counts, tokens and headcount are the sums over its engineers' weeks: a row here is a
-- team-week whose totals lost or double-counted an engineer.
with

team_weekly as (

    select * from {{ ref('fct_team_weekly') }}

),

engineer_weekly as (

    select * from {{ ref('fct_engineer_weekly') }}

),

engineer_sums as (

    select
        team_id,
        week_start,
        count(*) as engineers,
        sum(ai_total_tokens) as ai_total_tokens,
        sum(prs_merged) as prs_merged,
        sum(reviews_given) as reviews_given,
        sum(incidents_resolved) as incidents_resolved
    from engineer_weekly
    group by
        team_id,
        week_start

),

final as (

    select
        team_weekly.team_id,
        team_weekly.week_start,
        team_weekly.engineers,
        engineer_sums.engineers as summed_engineers,
        team_weekly.prs_merged,
        engineer_sums.prs_merged as summed_prs_merged
    from team_weekly
    left join engineer_sums
        on
            team_weekly.team_id = engineer_sums.team_id
            and team_weekly.week_start = engineer_sums.week_start
    where
        team_weekly.engineers <> coalesce(engineer_sums.engineers, 0)
        or team_weekly.ai_total_tokens <> coalesce(engineer_sums.ai_total_tokens, 0)
        or team_weekly.prs_merged <> coalesce(engineer_sums.prs_merged, 0)
        or team_weekly.reviews_given <> coalesce(engineer_sums.reviews_given, 0)
        or team_weekly.incidents_resolved <> coalesce(engineer_sums.incidents_resolved, 0)

)

select * from final
