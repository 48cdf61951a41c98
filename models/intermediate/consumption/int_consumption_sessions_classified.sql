{#- A table: every session is matched with the engineer's outcomes by time, and the weekly measures
    and their tests read it. -#}
{{ config(materialized='table') }}

{%- set follow_hours = var('airoi_consumption_follow_hours') -%}

with

sessions as (

    select * from {{ ref('fct_ai_sessions') }}

),

engineers as (

    select * from {{ ref('dim_engineers') }}

),

outcomes as (

    select * from {{ ref('int_consumption_outcomes_attributed') }}

),

engineer_sessions as (

    select
        sessions.employee_id,
        sessions.source_tool,
        sessions.session_id,
        sessions.requests,
        sessions.agent_requests,
        sessions.total_tokens,
        sessions.lines_suggested,
        sessions.lines_accepted,
        sessions.duration_minutes,
        sessions.is_agent_session,
        sessions.started_at,
        sessions.ended_at,
        sessions.week_start,
        {{ local_timestamp('sessions.ended_at', "coalesce(engineers.timezone, 'UTC')") }} as local_ended_at
    from sessions
    inner join engineers
        on sessions.employee_id = engineers.employee_id
    where not sessions.is_bot

),

-- What follows a session within a working day: the follow-up hours after its last request, and over
-- a weekend until the next Monday (a Friday-evening run is judged by what Monday brings).
windowed as (

    select
        *,
        {{ dbt.dateadd(
            'hour',
            follow_hours ~ " + case extract(isodow from local_ended_at) when 5 then 48 when 6 then 48"
                ~ " when 7 then 24 else 0 end",
            'ended_at',
        ) }} as follow_until
    from engineer_sessions

),

followed as (

    select distinct
        windowed.source_tool,
        windowed.session_id
    from windowed
    inner join outcomes
        on
            windowed.employee_id = outcomes.employee_id
            and windowed.started_at <= outcomes.occurred_at
            and windowed.follow_until >= outcomes.occurred_at
    where outcomes.is_delivery

),

final as (

    select
        -- ids
        windowed.employee_id,
        windowed.source_tool,
        windowed.session_id,

        -- numerics
        windowed.requests,
        windowed.agent_requests,
        windowed.total_tokens,
        windowed.lines_suggested,
        windowed.lines_accepted,
        windowed.duration_minutes,

        -- booleans
        windowed.is_agent_session,
        followed.session_id is not null as is_followed_by_outcome,

        -- dates and timestamps
        windowed.started_at,
        windowed.ended_at,
        windowed.follow_until,
        windowed.week_start

    from windowed
    left join followed
        on
            windowed.source_tool = followed.source_tool
            and windowed.session_id = followed.session_id

)

select * from final
