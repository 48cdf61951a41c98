{#- A table, not a view: the AI usage fact, the unmatched-accounts mart and the delivery models all
    join it, and it aggregates every event once to list the accounts. -#}
{{ config(materialized='table') }}

with

usage_events as (

    select * from {{ ref('int_ai_usage_events_unioned') }}

),

vendor_usage as (

    select * from {{ ref('int_ai_usage_vendor_resolved') }}

),

pull_requests as (

    select * from {{ ref('stg_landing__pull_requests') }}

),

pr_reviews as (

    select * from {{ ref('stg_landing__pr_reviews') }}

),

commits as (

    select * from {{ ref('stg_landing__commits') }}

),

incidents as (

    select * from {{ ref('stg_landing__incidents') }}

),

identities as (

    select * from {{ ref('stg_landing__identities') }}

),

people as (

    select * from {{ ref('int_people_classified') }}

),

bot_accounts as (

    select * from {{ ref('bot_accounts') }}

),

-- Every account any source names, with when it was seen and what it did outside the AI tools.
-- AI usage itself is counted from the usage fact, never here.
activity as (

    select
        source_tool as source_system,
        actor_id as account_id,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at,
        0 as pull_requests_authored,
        0 as reviews_submitted,
        0 as commits_authored,
        0 as incidents_resolved
    from usage_events
    group by source_tool, actor_id

    union all

    -- A vendor's activity record (a Copilot user's day) names its account without any token usage.
    select
        source_tool as source_system,
        actor_id as account_id,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at,
        0 as pull_requests_authored,
        0 as reviews_submitted,
        0 as commits_authored,
        0 as incidents_resolved
    from vendor_usage
    where record_kind = 'activity'
    group by source_tool, actor_id

    union all

    select
        'github' as source_system,
        author_login as account_id,
        min(created_at) as first_seen_at,
        max(coalesce(merged_at, closed_at, created_at)) as last_seen_at,
        count(*) as pull_requests_authored,
        0 as reviews_submitted,
        0 as commits_authored,
        0 as incidents_resolved
    from pull_requests
    group by author_login

    union all

    select
        'github' as source_system,
        reviewer_login as account_id,
        min(submitted_at) as first_seen_at,
        max(submitted_at) as last_seen_at,
        0 as pull_requests_authored,
        count(*) as reviews_submitted,
        0 as commits_authored,
        0 as incidents_resolved
    from pr_reviews
    group by reviewer_login

    union all

    select
        'github' as source_system,
        author_login as account_id,
        min(authored_at) as first_seen_at,
        max(authored_at) as last_seen_at,
        0 as pull_requests_authored,
        0 as reviews_submitted,
        count(*) as commits_authored,
        0 as incidents_resolved
    from commits
    where author_login is not null
    group by author_login

    union all

    select
        'git' as source_system,
        author_email as account_id,
        min(authored_at) as first_seen_at,
        max(authored_at) as last_seen_at,
        0 as pull_requests_authored,
        0 as reviews_submitted,
        count(*) as commits_authored,
        0 as incidents_resolved
    from commits
    group by author_email

    union all

    select
        'pagerduty' as source_system,
        responder_email as account_id,
        min(coalesce(resolved_at, created_at)) as first_seen_at,
        max(coalesce(resolved_at, created_at)) as last_seen_at,
        0 as pull_requests_authored,
        0 as reviews_submitted,
        0 as commits_authored,
        count(resolved_at) as incidents_resolved
    from incidents
    where responder_email is not null
    group by responder_email

),

accounts as (

    select
        source_system,
        account_id,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        sum(pull_requests_authored) as pull_requests_authored,
        sum(reviews_submitted) as reviews_submitted,
        sum(commits_authored) as commits_authored,
        sum(incidents_resolved) as incidents_resolved
    from activity
    where account_id is not null
    group by source_system, account_id

),

-- Logins are case-insensitive in every tool we read, so the map is too. Should it list one account
-- twice in different cases, the most recently landed row wins.
identity_map as (

    select
        source_system,
        lower(account_id) as account_key,
        employee_id,
        row_number() over (
            partition by source_system, lower(account_id)
            order by _landed_at desc, employee_id asc
        ) as landed_rank
    from identities

),

-- Two people rows with one email would make the email match ambiguous: the current employee wins,
-- then the latest hire.
email_directory as (

    select
        email,
        employee_id,
        row_number() over (
            partition by email
            order by
                case when left_on is null then 0 else 1 end asc,
                hired_on desc,
                employee_id asc
        ) as email_rank
    from people

),

bot_logins as (

    select distinct
        accounts.source_system,
        accounts.account_id
    from accounts
    inner join bot_accounts
        on (
            bot_accounts.match_kind = 'like'
            and {{ account_login('accounts.account_id') }} like bot_accounts.pattern
        )
        or (
            bot_accounts.match_kind = 'exact'
            and {{ account_login('accounts.account_id') }} = bot_accounts.pattern
        )

),

matched as (

    select
        accounts.source_system,
        accounts.account_id,
        identity_map.employee_id as mapped_employee_id,
        mapped_people.employee_id as identity_employee_id,
        email_directory.employee_id as email_employee_id,
        coalesce(mapped_people.employee_id, email_directory.employee_id) as candidate_employee_id,
        bot_logins.account_id is not null as is_bot_login,
        accounts.first_seen_at,
        accounts.last_seen_at,
        accounts.pull_requests_authored,
        accounts.reviews_submitted,
        accounts.commits_authored,
        accounts.incidents_resolved

    from accounts
    left join identity_map
        on
            accounts.source_system = identity_map.source_system
            and lower(accounts.account_id) = identity_map.account_key
            and identity_map.landed_rank = 1
    left join people as mapped_people
        on identity_map.employee_id = mapped_people.employee_id
    left join email_directory
        on
            accounts.account_id like '%@%'
            and lower(accounts.account_id) = email_directory.email
            and email_directory.email_rank = 1
    left join bot_logins
        on
            accounts.source_system = bot_logins.source_system
            and accounts.account_id = bot_logins.account_id

),

-- An account is a bot by its login, or by belonging to a people row that is a bot.
classified as (

    select
        matched.*,
        coalesce(matched.is_bot_login or candidate_people.is_bot, false) as is_bot
    from matched
    left join people as candidate_people
        on matched.candidate_employee_id = candidate_people.employee_id

),

-- A login and an email that author commits together belong to one person. A GitHub login nobody
-- mapped takes the employee of the emails on its commits, and a commit email that matches no one
-- (a personal address) the employee of the logins on its commits, when that is exactly one employee.
commit_authors as (

    select distinct
        lower(author_login) as login_key,
        author_email
    from commits
    where author_login is not null

),

directly_matched as (

    select
        source_system,
        lower(account_id) as account_key,
        candidate_employee_id as employee_id
    from classified
    where
        not is_bot
        and candidate_employee_id is not null
        and source_system in ('github', 'git')

),

logins_via_commits as (

    select
        commit_authors.login_key,
        min(directly_matched.employee_id) as employee_id
    from commit_authors
    inner join directly_matched
        on
            directly_matched.source_system = 'git'
            and commit_authors.author_email = directly_matched.account_key
    group by commit_authors.login_key
    having count(distinct directly_matched.employee_id) = 1

),

emails_via_commits as (

    select
        commit_authors.author_email,
        min(directly_matched.employee_id) as employee_id
    from commit_authors
    inner join directly_matched
        on
            directly_matched.source_system = 'github'
            and commit_authors.login_key = directly_matched.account_key
    group by commit_authors.author_email
    having count(distinct directly_matched.employee_id) = 1

),

resolved as (

    select
        classified.*,
        case
            when classified.is_bot or classified.candidate_employee_id is not null then null
            when classified.source_system = 'github' then logins_via_commits.employee_id
            when classified.source_system = 'git' then emails_via_commits.employee_id
        end as commit_employee_id
    from classified
    left join logins_via_commits
        on lower(classified.account_id) = logins_via_commits.login_key
    left join emails_via_commits
        on classified.account_id = emails_via_commits.author_email

),

final as (

    select
        source_system,
        account_id,
        case when not is_bot then coalesce(candidate_employee_id, commit_employee_id) end as employee_id,
        is_bot,
        case
            when is_bot then 'bot'
            when identity_employee_id is not null then 'identity_map'
            when email_employee_id is not null then 'email'
            when commit_employee_id is not null then 'commit_author'
            else 'unmatched'
        end as match_method,
        mapped_employee_id,
        first_seen_at,
        last_seen_at,
        cast(pull_requests_authored as {{ dbt.type_bigint() }}) as pull_requests_authored,
        cast(reviews_submitted as {{ dbt.type_bigint() }}) as reviews_submitted,
        cast(commits_authored as {{ dbt.type_bigint() }}) as commits_authored,
        cast(incidents_resolved as {{ dbt.type_bigint() }}) as incidents_resolved

    from resolved

)

select * from final
