{#- A table: matching every line against every trailer pattern is the costliest step of the
    delivery models, and everything downstream of the pull requests reads its result. -#}
{{ config(materialized='table') }}

with

commits as (

    select * from {{ ref('stg_landing__commits') }}

),

ai_coauthor_trailers as (

    select * from {{ ref('ai_coauthor_trailers') }}

),

commit_lines as (

    select
        repo,
        sha,
        {{ split_lines('message') }} as message_line
    from commits
    where message is not null

),

-- Engines compile a pattern that comes from a column once per row, so each distinct line is
-- matched once: trailers repeat across thousands of commits.
distinct_lines as (

    select distinct message_line
    from commit_lines

),

line_matches as (

    select
        distinct_lines.message_line,
        ai_coauthor_trailers.tool
    from distinct_lines
    inner join ai_coauthor_trailers
        on {{ regexp_matches_ci('distinct_lines.message_line', 'ai_coauthor_trailers.pattern') }}

),

trailer_matches as (

    select
        commit_lines.repo,
        commit_lines.sha,
        min(line_matches.tool) as ai_tool,
        count(distinct line_matches.tool) as ai_tool_count
    from commit_lines
    inner join line_matches
        on commit_lines.message_line = line_matches.message_line
    group by
        commit_lines.repo,
        commit_lines.sha

),

final as (

    select
        commits.repo,
        commits.sha,
        commits.pr_number,
        commits.author_login,
        commits.author_email,
        trailer_matches.ai_tool,
        coalesce(trailer_matches.ai_tool_count, 0) as ai_tool_count,
        trailer_matches.sha is not null as is_ai_assisted,
        commits.additions,
        commits.deletions,
        commits.authored_at,
        commits.committed_at
    from commits
    left join trailer_matches
        on
            commits.repo = trailer_matches.repo
            and commits.sha = trailer_matches.sha

)

select * from final
