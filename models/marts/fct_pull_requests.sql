with

pull_requests as (

    select * from {{ ref('int_pull_requests_phased') }}

),

people as (

    select * from {{ ref('int_people_classified') }}

),

-- Engineers are the roster's people; a roster row that is a bot counts in no measure.
engineers as (

    select * from people
    where not is_bot

),

final as (

    select
        -- ids
        pull_requests.pull_request_id,
        pull_requests.repo,
        cast(pull_requests.pr_number as {{ dbt.type_bigint() }}) as pr_number,
        pull_requests.author_login,
        pull_requests.author_employee_id,
        engineers.team_id,
        pull_requests.repo_team_id,
        pull_requests.merge_commit_sha,

        -- strings
        pull_requests.title,
        pull_requests.base_branch,

        -- numerics
        cast(pull_requests.commit_count as {{ dbt.type_bigint() }}) as commit_count,
        cast(pull_requests.ai_assisted_commit_count as {{ dbt.type_bigint() }}) as ai_assisted_commit_count,
        cast(pull_requests.additions as {{ dbt.type_bigint() }}) as additions,
        cast(pull_requests.deletions as {{ dbt.type_bigint() }}) as deletions,
        cast(pull_requests.changed_files as {{ dbt.type_bigint() }}) as changed_files,
        pull_requests.coding_hours,
        pull_requests.pickup_hours,
        pull_requests.review_hours,
        pull_requests.deploy_hours,
        pull_requests.cycle_hours,
        pull_requests.lead_time_hours,

        -- booleans
        pull_requests.is_bot,
        pull_requests.is_ai_assisted,
        pull_requests.was_draft,
        pull_requests.is_merged,
        pull_requests.has_review,

        -- dates
        pull_requests.created_week_start,
        pull_requests.merged_week_start,

        -- timestamps
        pull_requests.created_at,
        pull_requests.ready_for_review_at,
        pull_requests.first_commit_at,
        pull_requests.cycle_started_at,
        pull_requests.ready_at,
        pull_requests.first_review_at,
        pull_requests.merged_at,
        pull_requests.first_production_deploy_at,
        pull_requests.closed_at

    from pull_requests
    left join engineers
        on pull_requests.author_employee_id = engineers.employee_id

)

select * from final
