{#- A table: the snapshot inference, the comparisons and the signals all read it. -#}
{{ config(materialized='table') }}

{%- set burst_hours = var('airoi_consumption_burst_window_hours') -%}
{%- set attended_hours = var('airoi_consumption_attended_hours') -%}

with

usage_hours as (

    select * from {{ ref('int_consumption_hours_aggregated') }}

),

sessions as (

    select * from {{ ref('int_consumption_sessions_classified') }}

),

outcomes as (

    select * from {{ ref('int_consumption_outcomes_attributed') }}

),

engineers as (

    select * from {{ ref('dim_engineers') }}

),

employed_weeks as (

    select * from {{ ref('int_engineer_weeks_spined') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

-- Agent hours at night or at the weekend in which the engineer showed work (a commit, a pull request,
-- a review, an incident handled) within a few hours: attended, as in a maintenance window.
attended_hours as (

    select distinct
        usage_hours.employee_id,
        usage_hours.hour_at
    from usage_hours
    inner join outcomes
        on
            usage_hours.employee_id = outcomes.employee_id
            and usage_hours.hour_at <= outcomes.occurred_at
            and {{ dbt.dateadd('hour', attended_hours + 1, 'usage_hours.hour_at') }} > outcomes.occurred_at
    where
        usage_hours.is_off_hours
        and usage_hours.agent_requests > 0
        and outcomes.is_delivery

),

usage_weeks as (

    select
        usage_hours.employee_id,
        usage_hours.week_start,
        sum(usage_hours.requests) as requests,
        sum(usage_hours.prompted_requests) as prompted_requests,
        sum(usage_hours.repeated_prompt_requests) as repeated_prompt_requests,
        sum(usage_hours.repeated_prompts) as repeated_prompts,
        sum(usage_hours.premium_requests) as premium_requests,
        sum(usage_hours.agent_requests) as agent_requests,
        sum(usage_hours.premium_tiny_requests) as premium_tiny_requests,
        sum(usage_hours.premium_tiny_cost_usd) as premium_tiny_cost_usd,
        sum(usage_hours.input_tokens) as input_tokens,
        sum(usage_hours.cached_input_tokens) as cached_input_tokens,
        sum(usage_hours.cache_write_tokens) as cache_write_tokens,
        sum(usage_hours.output_tokens) as output_tokens,
        sum(usage_hours.total_tokens) as total_tokens,
        sum(usage_hours.cost_usd) as cost_usd,
        sum(usage_hours.lines_suggested) as lines_suggested,
        sum(usage_hours.lines_accepted) as lines_accepted,
        count(*) as active_hours,
        sum(case when usage_hours.is_off_hours then 1 else 0 end) as off_hours_active_hours,
        sum(case when usage_hours.is_off_hours then usage_hours.agent_requests else 0 end)
            as off_hours_agent_requests,
        sum(case when usage_hours.is_off_hours then usage_hours.total_tokens else 0 end) as off_hours_tokens,
        sum(
            case
                when usage_hours.is_off_hours and attended_hours.hour_at is null
                    then usage_hours.agent_requests
                else 0
            end
        ) as off_hours_unattended_agent_requests
    from usage_hours
    left join attended_hours
        on
            usage_hours.employee_id = attended_hours.employee_id
            and usage_hours.hour_at = attended_hours.hour_at
    group by
        usage_hours.employee_id,
        usage_hours.week_start

),

-- The busiest few hours of each week: tokens and requests in the window ending at each active hour,
-- and the window that holds the most of each (a burst of many small requests holds few tokens; a
-- few requests with whole codebases in them hold many).
rolling_windows as (

    select
        employee_id,
        week_start,
        hour_of_week,
        sum(total_tokens) over (
            partition by employee_id, week_start
            order by hour_at
            range between interval '{{ burst_hours - 1 }} hours' preceding and current row
        ) as window_tokens,
        sum(requests) over (
            partition by employee_id, week_start
            order by hour_at
            range between interval '{{ burst_hours - 1 }} hours' preceding and current row
        ) as window_requests
    from usage_hours

),

busiest_windows as (

    select
        employee_id,
        week_start,
        window_tokens as busiest_window_tokens,
        hour_of_week + 1 as busiest_window_end_hour
    from (
        select
            *,
            row_number() over (
                partition by employee_id, week_start
                order by window_tokens desc, hour_of_week asc
            ) as busiest_rank
        from rolling_windows
    ) as ranked
    where busiest_rank = 1

),

busiest_request_windows as (

    select
        employee_id,
        week_start,
        window_requests as busiest_window_requests,
        hour_of_week + 1 as busiest_request_window_end_hour
    from (
        select
            *,
            row_number() over (
                partition by employee_id, week_start
                order by window_requests desc, hour_of_week asc
            ) as busiest_rank
        from rolling_windows
    ) as ranked
    where busiest_rank = 1

),

session_weeks as (

    select
        employee_id,
        week_start,
        count(*) as sessions,
        sum(case when is_agent_session then 1 else 0 end) as agent_sessions,
        sum(case when not is_followed_by_outcome then 1 else 0 end) as unfollowed_sessions,
        sum(case when not is_followed_by_outcome then total_tokens else 0 end) as unfollowed_tokens,
        sum(case when is_agent_session and not is_followed_by_outcome then 1 else 0 end)
            as unfollowed_agent_sessions,
        sum(
            case
                when is_agent_session and not is_followed_by_outcome and coalesce(lines_accepted, 0) = 0
                    then 1
                else 0
            end
        ) as idle_agent_sessions
    from sessions
    group by
        employee_id,
        week_start

),

outcome_weeks as (

    select
        employee_id,
        week_start,
        sum(case when outcome_kind in ('commit', 'ai_assisted_commit') then 1 else 0 end) as commits,
        sum(case when outcome_kind = 'ai_assisted_commit' then 1 else 0 end) as ai_assisted_commits,
        sum(case when outcome_kind = 'pr_opened' then 1 else 0 end) as prs_opened,
        sum(case when outcome_kind = 'pr_merged' then 1 else 0 end) as prs_merged,
        sum(case when outcome_kind = 'pr_closed_unmerged' then 1 else 0 end) as prs_closed_unmerged,
        sum(case when outcome_kind = 'review_given' then 1 else 0 end) as reviews_given,
        sum(case when outcome_kind = 'incident_acknowledged' then 1 else 0 end) as incidents_acknowledged,
        sum(case when outcome_kind = 'incident_resolved' then 1 else 0 end) as incidents_resolved
    from outcomes
    group by
        employee_id,
        week_start

),

final as (

    select
        -- ids
        usage_weeks.employee_id,
        engineers.team_id,

        -- strings
        coalesce(engineers.role, 'engineer') as role,

        -- numerics: usage
        cast(usage_weeks.requests as {{ dbt.type_bigint() }}) as requests,
        cast(usage_weeks.prompted_requests as {{ dbt.type_bigint() }}) as prompted_requests,
        cast(usage_weeks.repeated_prompt_requests as {{ dbt.type_bigint() }}) as repeated_prompt_requests,
        cast(usage_weeks.repeated_prompts as {{ dbt.type_bigint() }}) as repeated_prompts,
        cast(usage_weeks.premium_requests as {{ dbt.type_bigint() }}) as premium_requests,
        cast(usage_weeks.agent_requests as {{ dbt.type_bigint() }}) as agent_requests,
        cast(usage_weeks.premium_tiny_requests as {{ dbt.type_bigint() }}) as premium_tiny_requests,
        cast(usage_weeks.premium_tiny_cost_usd as {{ type_usd() }}) as premium_tiny_cost_usd,
        cast(usage_weeks.input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(usage_weeks.cached_input_tokens as {{ dbt.type_bigint() }}) as cached_input_tokens,
        cast(usage_weeks.cache_write_tokens as {{ dbt.type_bigint() }}) as cache_write_tokens,
        cast(usage_weeks.output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(usage_weeks.total_tokens as {{ dbt.type_bigint() }}) as total_tokens,
        cast(usage_weeks.cost_usd as {{ type_usd() }}) as cost_usd,
        cast(usage_weeks.lines_suggested as {{ dbt.type_bigint() }}) as lines_suggested,
        cast(usage_weeks.lines_accepted as {{ dbt.type_bigint() }}) as lines_accepted,
        cast(usage_weeks.active_hours as {{ dbt.type_bigint() }}) as active_hours,
        cast(usage_weeks.off_hours_active_hours as {{ dbt.type_bigint() }}) as off_hours_active_hours,
        cast(usage_weeks.off_hours_agent_requests as {{ dbt.type_bigint() }}) as off_hours_agent_requests,
        cast(usage_weeks.off_hours_tokens as {{ dbt.type_bigint() }}) as off_hours_tokens,
        cast(usage_weeks.off_hours_unattended_agent_requests as {{ dbt.type_bigint() }})
            as off_hours_unattended_agent_requests,
        cast(busiest_windows.busiest_window_tokens as {{ dbt.type_bigint() }}) as busiest_window_tokens,
        busiest_windows.busiest_window_end_hour,
        cast(busiest_request_windows.busiest_window_requests as {{ dbt.type_bigint() }})
            as busiest_window_requests,
        busiest_request_windows.busiest_request_window_end_hour,
        cast(coalesce(session_weeks.sessions, 0) as {{ dbt.type_bigint() }}) as sessions,
        cast(coalesce(session_weeks.agent_sessions, 0) as {{ dbt.type_bigint() }}) as agent_sessions,
        cast(coalesce(session_weeks.unfollowed_sessions, 0) as {{ dbt.type_bigint() }})
            as unfollowed_sessions,
        cast(coalesce(session_weeks.unfollowed_tokens, 0) as {{ dbt.type_bigint() }}) as unfollowed_tokens,
        cast(coalesce(session_weeks.unfollowed_agent_sessions, 0) as {{ dbt.type_bigint() }})
            as unfollowed_agent_sessions,
        cast(coalesce(session_weeks.idle_agent_sessions, 0) as {{ dbt.type_bigint() }})
            as idle_agent_sessions,

        -- numerics: outcomes
        cast(coalesce(outcome_weeks.commits, 0) as {{ dbt.type_bigint() }}) as commits,
        cast(coalesce(outcome_weeks.ai_assisted_commits, 0) as {{ dbt.type_bigint() }})
            as ai_assisted_commits,
        cast(coalesce(outcome_weeks.prs_opened, 0) as {{ dbt.type_bigint() }}) as prs_opened,
        cast(coalesce(outcome_weeks.prs_merged, 0) as {{ dbt.type_bigint() }}) as prs_merged,
        cast(coalesce(outcome_weeks.prs_closed_unmerged, 0) as {{ dbt.type_bigint() }})
            as prs_closed_unmerged,
        cast(coalesce(outcome_weeks.reviews_given, 0) as {{ dbt.type_bigint() }}) as reviews_given,
        cast(coalesce(outcome_weeks.incidents_acknowledged, 0) as {{ dbt.type_bigint() }})
            as incidents_acknowledged,
        cast(coalesce(outcome_weeks.incidents_resolved, 0) as {{ dbt.type_bigint() }}) as incidents_resolved,

        -- booleans
        not(
            weeks.is_first_week
            or weeks.is_last_week
            or (engineers.hired_on is not null and usage_weeks.week_start <= engineers.hired_on)
            or (
                engineers.left_on is not null
                and usage_weeks.week_start >= {{ iso_week_start('engineers.left_on') }}
            )
        ) as is_full_week,

        -- dates
        usage_weeks.week_start

    from usage_weeks
    inner join engineers
        on usage_weeks.employee_id = engineers.employee_id
    inner join employed_weeks
        on
            usage_weeks.employee_id = employed_weeks.employee_id
            and usage_weeks.week_start = employed_weeks.week_start
    inner join weeks
        on usage_weeks.week_start = weeks.week_start
    left join busiest_windows
        on
            usage_weeks.employee_id = busiest_windows.employee_id
            and usage_weeks.week_start = busiest_windows.week_start
    left join busiest_request_windows
        on
            usage_weeks.employee_id = busiest_request_windows.employee_id
            and usage_weeks.week_start = busiest_request_windows.week_start
    left join session_weeks
        on
            usage_weeks.employee_id = session_weeks.employee_id
            and usage_weeks.week_start = session_weeks.week_start
    left join outcome_weeks
        on
            usage_weeks.employee_id = outcome_weeks.employee_id
            and usage_weeks.week_start = outcome_weeks.week_start
    where
        usage_weeks.total_tokens > 0
        or usage_weeks.cost_usd > 0

)

select * from final
