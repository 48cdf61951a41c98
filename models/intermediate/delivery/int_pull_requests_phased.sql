{#- A table: the weekly engineer and team measures, DORA and the marts all read it, and its joins
    to reviews, commits and deployments are the delivery models' heaviest. -#}
{{ config(materialized='table') }}

with

pull_requests as (

    select * from {{ ref('stg_landing__pull_requests') }}

),

reviews as (

    select * from {{ ref('int_pr_reviews_attributed') }}

),

commits as (

    select * from {{ ref('int_commits_ai_flagged') }}

),

deployments as (

    select * from {{ ref('int_deployments_classified') }}

),

accounts as (

    select * from {{ ref('int_accounts_resolved') }}

),

repositories as (

    select * from {{ ref('stg_landing__repositories') }}

),

github_accounts as (

    select
        account_id,
        employee_id,
        is_bot
    from accounts
    where source_system = 'github'

),

-- A commit belongs to a pull request by its pr_number, and a squash or merge commit also by being
-- the pull request's merge_commit_sha: the squash commit is where the squashed trailers survive.
linked_commits as (

    select
        repo,
        pr_number,
        sha,
        is_ai_assisted
    from commits
    where pr_number is not null

    union

    select
        commits.repo,
        pull_requests.pr_number,
        commits.sha,
        commits.is_ai_assisted
    from commits
    inner join pull_requests
        on
            commits.repo = pull_requests.repo
            and commits.sha = pull_requests.merge_commit_sha

),

commit_summary as (

    select
        repo,
        pr_number,
        count(*) as commit_count,
        sum(case when is_ai_assisted then 1 else 0 end) as ai_assisted_commit_count
    from linked_commits
    group by
        repo,
        pr_number

),

authored as (

    select
        pull_requests.repo,
        pull_requests.pr_number,
        repositories.team_id as repo_team_id,
        pull_requests.author_login,
        github_accounts.employee_id as author_employee_id,
        coalesce(github_accounts.is_bot, false) as is_bot,
        pull_requests.title,
        pull_requests.base_branch,
        pull_requests.labels,
        pull_requests.merge_commit_sha,
        pull_requests.additions,
        pull_requests.deletions,
        pull_requests.changed_files,
        pull_requests.created_at,
        pull_requests.ready_for_review_at,
        pull_requests.first_commit_at,
        pull_requests.merged_at,
        pull_requests.closed_at,
        coalesce(pull_requests.first_commit_at, pull_requests.created_at) as cycle_started_at,
        coalesce(pull_requests.ready_for_review_at, pull_requests.created_at) as ready_at
    from pull_requests
    left join repositories
        on pull_requests.repo = repositories.repo
    left join github_accounts
        on pull_requests.author_login = github_accounts.account_id

),

-- Pickup ends at the first review by a person other than the author, submitted once the pull
-- request was ready and, for a merged one, by the merge. Reviews on a draft are coding-time
-- feedback, a bot's review is nobody picking the work up, and a review after the merge is not
-- part of getting it merged.
first_reviews as (

    select
        authored.repo,
        authored.pr_number,
        min(reviews.submitted_at) as first_review_at
    from authored
    inner join reviews
        on
            authored.repo = reviews.repo
            and authored.pr_number = reviews.pr_number
    where
        not reviews.is_on_own_pr
        and not reviews.is_reviewer_bot
        and reviews.submitted_at >= authored.ready_at
        and (authored.merged_at is null or reviews.submitted_at <= authored.merged_at)
    group by
        authored.repo,
        authored.pr_number

),

first_production_deployments as (

    select
        authored.repo,
        authored.pr_number,
        min(deployments.started_at) as first_production_deploy_at
    from authored
    inner join deployments
        on
            authored.repo = deployments.repo
            and authored.merged_at <= deployments.started_at
    where
        deployments.is_production
        and deployments.status = 'success'
    group by
        authored.repo,
        authored.pr_number

),

final as (

    select
        authored.repo,
        authored.pr_number,
        authored.repo || '#' || cast(authored.pr_number as {{ dbt.type_string() }}) as pull_request_id,
        authored.repo_team_id,
        authored.author_login,
        authored.author_employee_id,
        authored.is_bot,
        coalesce(commit_summary.ai_assisted_commit_count, 0) > 0 as is_ai_assisted,
        authored.ready_for_review_at is not null as was_draft,
        authored.merged_at is not null as is_merged,
        first_reviews.first_review_at is not null as has_review,
        authored.title,
        authored.base_branch,
        authored.labels,
        authored.merge_commit_sha,
        coalesce(commit_summary.commit_count, 0) as commit_count,
        coalesce(commit_summary.ai_assisted_commit_count, 0) as ai_assisted_commit_count,
        authored.additions,
        authored.deletions,
        authored.changed_files,
        authored.created_at,
        authored.ready_for_review_at,
        authored.first_commit_at,
        authored.cycle_started_at,
        authored.ready_at,
        first_reviews.first_review_at,
        authored.merged_at,
        first_production_deployments.first_production_deploy_at,
        authored.closed_at,
        {{ iso_week_start('authored.created_at') }} as created_week_start,
        {{ iso_week_start('authored.merged_at') }} as merged_week_start,
        {{ hours_between('authored.cycle_started_at', 'authored.ready_at') }} as coding_hours,
        {{ hours_between('authored.ready_at', 'first_reviews.first_review_at') }} as pickup_hours,
        {{ hours_between('first_reviews.first_review_at', 'authored.merged_at') }} as review_hours,
        {{ hours_between('authored.merged_at', 'first_production_deployments.first_production_deploy_at') }}
            as deploy_hours,
        {{ hours_between('authored.cycle_started_at', 'authored.merged_at') }} as cycle_hours,
        {{
            hours_between('authored.cycle_started_at', 'first_production_deployments.first_production_deploy_at')
        }} as lead_time_hours
    from authored
    left join commit_summary
        on
            authored.repo = commit_summary.repo
            and authored.pr_number = commit_summary.pr_number
    left join first_reviews
        on
            authored.repo = first_reviews.repo
            and authored.pr_number = first_reviews.pr_number
    left join first_production_deployments
        on
            authored.repo = first_production_deployments.repo
            and authored.pr_number = first_production_deployments.pr_number

)

select * from final
