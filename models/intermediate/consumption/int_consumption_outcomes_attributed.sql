{#- Every piece of work an engineer can show, one row each, at its own time: the outcome evidence the
    consumption signals weigh AI usage against. A table: sessions are matched with it by time. -#}
{{ config(materialized='table') }}

with

commits as (

    select * from {{ ref('int_commits_ai_flagged') }}

),

accounts as (

    select * from {{ ref('int_accounts_resolved') }}

),

pull_requests as (

    select * from {{ ref('fct_pull_requests') }}

),

reviews as (

    select * from {{ ref('int_pr_reviews_attributed') }}

),

incidents as (

    select * from {{ ref('int_incidents_attributed') }}

),

git_accounts as (

    select
        account_id,
        employee_id
    from accounts
    where
        source_system = 'git'
        and employee_id is not null
        and not is_bot

),

commit_outcomes as (

    select
        git_accounts.employee_id,
        case when commits.is_ai_assisted then 'ai_assisted_commit' else 'commit' end as outcome_kind,
        commits.repo || '@' || commits.sha as outcome_key,
        commits.authored_at as occurred_at
    from commits
    inner join git_accounts
        on commits.author_email = git_accounts.account_id

),

opened_outcomes as (

    select
        author_employee_id as employee_id,
        'pr_opened' as outcome_kind,
        pull_request_id as outcome_key,
        created_at as occurred_at
    from pull_requests
    where author_employee_id is not null

),

merged_outcomes as (

    select
        author_employee_id as employee_id,
        'pr_merged' as outcome_kind,
        pull_request_id as outcome_key,
        merged_at as occurred_at
    from pull_requests
    where
        author_employee_id is not null
        and is_merged

),

-- A pull request later closed without merging counts when it was opened: the work (and the AI usage
-- behind it) came before it, whenever someone got round to closing it.
abandoned_outcomes as (

    select
        author_employee_id as employee_id,
        'pr_closed_unmerged' as outcome_kind,
        pull_request_id as outcome_key,
        created_at as occurred_at
    from pull_requests
    where
        author_employee_id is not null
        and not is_merged
        and closed_at is not null

),

review_outcomes as (

    select
        reviewer_employee_id as employee_id,
        'review_given' as outcome_kind,
        repo || '#' || cast(review_id as {{ dbt.type_string() }}) as outcome_key,
        submitted_at as occurred_at
    from reviews
    where
        reviewer_employee_id is not null
        and counts_as_review_given

),

acknowledged_outcomes as (

    select
        responder_employee_id as employee_id,
        'incident_acknowledged' as outcome_kind,
        incident_id as outcome_key,
        acknowledged_at as occurred_at
    from incidents
    where
        responder_employee_id is not null
        and acknowledged_at is not null

),

resolved_outcomes as (

    select
        responder_employee_id as employee_id,
        'incident_resolved' as outcome_kind,
        incident_id as outcome_key,
        resolved_at as occurred_at
    from incidents
    where
        responder_employee_id is not null
        and resolved_at is not null

),

unioned as (

    select * from commit_outcomes
    union all
    select * from opened_outcomes
    union all
    select * from merged_outcomes
    union all
    select * from abandoned_outcomes
    union all
    select * from review_outcomes
    union all
    select * from acknowledged_outcomes
    union all
    select * from resolved_outcomes

),

final as (

    select
        -- ids
        employee_id,
        outcome_kind,
        outcome_key,

        -- booleans
        outcome_kind != 'pr_closed_unmerged' as is_delivery,

        -- dates and timestamps
        occurred_at,
        {{ iso_week_start('occurred_at') }} as week_start

    from unioned
    where occurred_at is not null

)

select * from final
