{#- A table: the night-run check joins every night run with the engineer's commits, and the weekly
    measures and their tests read it. -#}
{{ config(materialized='table') }}

{%- set snapshot_hours = (var('airoi_consumption_snapshot_isodow') - 1) * 24
    + var('airoi_consumption_snapshot_hour_utc') -%}
{%- set window_hours = var('airoi_consumption_snapshot_window_hours') -%}
{%- set night_start_hour = var('airoi_consumption_night_start_hour') -%}
{%- set night_end_hour = var('airoi_consumption_night_end_hour') -%}
{%- set follow_hours = var('airoi_consumption_commit_follow_hours') -%}

with

sessions as (

    select * from {{ ref('fct_ai_sessions') }}

),

engineers as (

    select * from {{ ref('dim_engineers') }}

),

commits as (

    select * from {{ ref('int_consumption_commits_attributed') }}

),

engineer_sessions as (

    select
        sessions.employee_id,
        sessions.source_tool,
        sessions.session_id,
        sessions.requests,
        sessions.agent_requests,
        sessions.total_tokens,
        sessions.is_agent_session,
        sessions.started_at,
        sessions.ended_at,
        sessions.week_start,
        engineers.timezone,
        {{ local_timestamp('sessions.started_at', 'engineers.timezone') }} as local_started_at
    from sessions
    inner join engineers
        on sessions.employee_id = engineers.employee_id
    where not sessions.is_bot

),

classified as (

    select
        *,
        is_agent_session
        and (
            extract(hour from local_started_at) >= {{ night_start_hour }}
            or extract(hour from local_started_at) < {{ night_end_hour }}
        ) as is_night_agent_run,
        started_at >= {{ dbt.dateadd('hour', snapshot_hours - window_hours, 'week_start') }}
        and started_at < {{ dbt.dateadd('hour', snapshot_hours, 'week_start') }} as is_snapshot_window_start
    from engineer_sessions

),

-- A night run is followed when the engineer authored a commit while it ran or within the follow-up
-- hours after its last request: the sign that somebody used what the agent produced.
followed_runs as (

    select distinct
        classified.source_tool,
        classified.session_id
    from classified
    inner join commits
        on
            classified.employee_id = commits.employee_id
            and classified.started_at <= commits.authored_at
            and {{ dbt.dateadd('hour', follow_hours, 'classified.ended_at') }} >= commits.authored_at
    where classified.is_night_agent_run

),

final as (

    select
        -- ids
        classified.employee_id,
        classified.source_tool,
        classified.session_id,

        -- strings
        classified.timezone,

        -- numerics
        classified.requests,
        classified.agent_requests,
        classified.total_tokens,

        -- booleans
        classified.is_agent_session,
        classified.is_night_agent_run,
        classified.is_snapshot_window_start,
        followed_runs.session_id is not null as is_followed_by_commit,

        -- dates and timestamps
        classified.started_at,
        classified.ended_at,
        classified.local_started_at,
        classified.week_start

    from classified
    left join followed_runs
        on
            classified.source_tool = followed_runs.source_tool
            and classified.session_id = followed_runs.session_id

)

select * from final
