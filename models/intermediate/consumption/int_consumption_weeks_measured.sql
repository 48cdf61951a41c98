with

usage_hours as (

    select * from {{ ref('int_consumption_hours_aggregated') }}

),

sessions as (

    select * from {{ ref('int_consumption_sessions_classified') }}

),

commits as (

    select * from {{ ref('int_consumption_commits_attributed') }}

),

pull_requests as (

    select * from {{ ref('fct_pull_requests') }}

),

engineers as (

    select * from {{ ref('dim_engineers') }}

),

employed_weeks as (

    select * from {{ ref('int_engineer_weeks_spined') }}

),

usage_weeks as (

    select
        employee_id,
        week_start,
        sum(requests) as requests,
        sum(prompted_requests) as prompted_requests,
        sum(repeated_prompt_requests) as repeated_prompt_requests,
        sum(agent_requests) as agent_requests,
        sum(total_tokens) as total_tokens,
        sum(cost_usd) as cost_usd,
        sum(lines_suggested) as lines_suggested,
        sum(lines_accepted) as lines_accepted,
        sum(case when is_snapshot_window then total_tokens else 0 end) as snapshot_window_tokens
    from usage_hours
    group by
        employee_id,
        week_start

),

session_weeks as (

    select
        employee_id,
        week_start,
        sum(case when is_snapshot_window_start then 1 else 0 end) as snapshot_window_sessions,
        sum(case when is_night_agent_run and not is_followed_by_commit then 1 else 0 end)
            as unfollowed_night_runs,
        sum(case when is_night_agent_run and not is_followed_by_commit then agent_requests else 0 end)
            as unfollowed_night_agent_requests,
        sum(case when is_night_agent_run and not is_followed_by_commit then total_tokens else 0 end)
            as unfollowed_night_tokens
    from sessions
    group by
        employee_id,
        week_start

),

commit_weeks as (

    select
        employee_id,
        week_start,
        count(*) as commits,
        sum(case when is_ai_assisted then 1 else 0 end) as ai_assisted_commits
    from commits
    group by
        employee_id,
        week_start

),

opened_weeks as (

    select
        author_employee_id as employee_id,
        created_week_start as week_start,
        count(*) as prs_opened
    from pull_requests
    where author_employee_id is not null
    group by
        author_employee_id,
        created_week_start

),

merged_weeks as (

    select
        author_employee_id as employee_id,
        merged_week_start as week_start,
        count(*) as prs_merged
    from pull_requests
    where
        author_employee_id is not null
        and is_merged
    group by
        author_employee_id,
        merged_week_start

),

final as (

    select
        -- ids
        usage_weeks.employee_id,
        engineers.team_id,

        -- numerics: usage
        usage_weeks.requests,
        usage_weeks.prompted_requests,
        usage_weeks.repeated_prompt_requests,
        usage_weeks.agent_requests,
        usage_weeks.total_tokens,
        usage_weeks.cost_usd,
        usage_weeks.lines_suggested,
        usage_weeks.lines_accepted,
        usage_weeks.snapshot_window_tokens,
        coalesce(session_weeks.snapshot_window_sessions, 0) as snapshot_window_sessions,
        coalesce(session_weeks.unfollowed_night_runs, 0) as unfollowed_night_runs,
        coalesce(session_weeks.unfollowed_night_agent_requests, 0) as unfollowed_night_agent_requests,
        coalesce(session_weeks.unfollowed_night_tokens, 0) as unfollowed_night_tokens,

        -- numerics: outcomes
        coalesce(commit_weeks.commits, 0) as commits,
        coalesce(commit_weeks.ai_assisted_commits, 0) as ai_assisted_commits,
        coalesce(opened_weeks.prs_opened, 0) as prs_opened,
        coalesce(merged_weeks.prs_merged, 0) as prs_merged,

        -- dates
        usage_weeks.week_start

    from usage_weeks
    inner join engineers
        on usage_weeks.employee_id = engineers.employee_id
    inner join employed_weeks
        on
            usage_weeks.employee_id = employed_weeks.employee_id
            and usage_weeks.week_start = employed_weeks.week_start
    left join session_weeks
        on
            usage_weeks.employee_id = session_weeks.employee_id
            and usage_weeks.week_start = session_weeks.week_start
    left join commit_weeks
        on
            usage_weeks.employee_id = commit_weeks.employee_id
            and usage_weeks.week_start = commit_weeks.week_start
    left join opened_weeks
        on
            usage_weeks.employee_id = opened_weeks.employee_id
            and usage_weeks.week_start = opened_weeks.week_start
    left join merged_weeks
        on
            usage_weeks.employee_id = merged_weeks.employee_id
            and usage_weeks.week_start = merged_weeks.week_start
    where
        usage_weeks.total_tokens > 0
        or usage_weeks.cost_usd > 0

)

select * from final
