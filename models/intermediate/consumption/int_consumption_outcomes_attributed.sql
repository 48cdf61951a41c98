with

commits as (

    select * from {{ ref('int_commits_ai_flagged') }}

),

accounts as (

    select * from {{ ref('int_accounts_resolved') }}

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

final as (

    select
        -- ids
        git_accounts.employee_id,
        commits.repo,
        commits.sha,

        -- booleans
        commits.is_ai_assisted,

        -- dates and timestamps
        commits.authored_at,
        {{ iso_week_start('commits.authored_at') }} as week_start

    from commits
    inner join git_accounts
        on commits.author_email = git_accounts.account_id

)

select * from final
