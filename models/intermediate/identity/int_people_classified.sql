with

people as (

    select * from {{ ref('stg_landing__people') }}

),

bot_accounts as (

    select * from {{ ref('bot_accounts') }}

),

bot_people as (

    select distinct people.employee_id
    from people
    inner join bot_accounts
        on (
            bot_accounts.match_kind = 'like'
            and {{ account_login('people.email') }} like bot_accounts.pattern
        )
        or (
            bot_accounts.match_kind = 'exact'
            and {{ account_login('people.email') }} = bot_accounts.pattern
        )

),

final as (

    select
        people.employee_id,
        people.email,
        people.full_name,
        people.team_id,
        people.manager_employee_id,
        people.role,
        people.timezone,
        people.hired_on,
        people.left_on,
        people.annual_loaded_cost_usd,
        coalesce(bot_people.employee_id is not null or people.role = 'bot', false) as is_bot

    from people
    left join bot_people
        on people.employee_id = bot_people.employee_id

)

select * from final
