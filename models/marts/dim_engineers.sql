with

people as (

    select * from {{ ref('int_people_classified') }}

),

teams as (

    select * from {{ ref('stg_landing__teams') }}

),

accounts as (

    select * from {{ ref('int_accounts_resolved') }}

),

github_accounts as (

    select
        employee_id,
        {{ dbt.listagg('account_id', "', '", 'order by account_id') }} as github_logins
    from accounts
    where
        source_system = 'github'
        and employee_id is not null
    group by employee_id

),

final as (

    select
        -- ids
        people.employee_id,
        people.team_id,
        people.manager_employee_id,

        -- strings
        people.email,
        people.full_name,
        teams.team_name,
        teams.department,
        people.role,
        people.timezone,
        github_accounts.github_logins,

        -- numerics
        people.annual_loaded_cost_usd,

        -- booleans
        people.is_bot,

        -- dates
        people.hired_on,
        people.left_on

    from people
    left join teams
        on people.team_id = teams.team_id
    left join github_accounts
        on people.employee_id = github_accounts.employee_id
    where not people.is_bot

)

select * from final
