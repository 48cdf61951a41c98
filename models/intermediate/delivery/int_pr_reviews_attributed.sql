with

reviews as (

    select * from {{ ref('stg_landing__pr_reviews') }}

),

pull_requests as (

    select * from {{ ref('stg_landing__pull_requests') }}

),

accounts as (

    select * from {{ ref('int_accounts_resolved') }}

),

github_accounts as (

    select
        account_id,
        employee_id,
        is_bot
    from accounts
    where source_system = 'github'

),

attributed as (

    select
        reviews.repo,
        reviews.review_id,
        reviews.pr_number,
        reviews.reviewer_login,
        reviewer_accounts.employee_id as reviewer_employee_id,
        coalesce(reviewer_accounts.is_bot, false) as is_reviewer_bot,
        pull_requests.author_login as pr_author_login,
        author_accounts.employee_id as pr_author_employee_id,
        coalesce(author_accounts.is_bot, false) as is_on_bot_pr,
        reviews.state,
        reviews.submitted_at
    from reviews
    left join pull_requests
        on
            reviews.repo = pull_requests.repo
            and reviews.pr_number = pull_requests.pr_number
    left join github_accounts as reviewer_accounts
        on reviews.reviewer_login = reviewer_accounts.account_id
    left join github_accounts as author_accounts
        on pull_requests.author_login = author_accounts.account_id

),

-- The same person under two logins is still reviewing their own work.
own_pr_flagged as (

    select
        *,
        coalesce(
            lower(reviewer_login) = lower(pr_author_login)
            or reviewer_employee_id = pr_author_employee_id,
            false
        ) as is_on_own_pr
    from attributed

),

final as (

    select
        repo,
        review_id,
        pr_number,
        reviewer_login,
        reviewer_employee_id,
        pr_author_login,
        pr_author_employee_id,
        is_reviewer_bot,
        is_on_bot_pr,
        is_on_own_pr,
        -- A bot's review counts in no measure and a review of one's own work is no review given; a
        -- person's review of a bot's pull request is that person's work and counts.
        not is_reviewer_bot and not is_on_own_pr as counts_as_review_given,
        state,
        submitted_at,
        {{ iso_week_start('submitted_at') }} as submitted_week_start
    from own_pr_flagged

)

select * from final
