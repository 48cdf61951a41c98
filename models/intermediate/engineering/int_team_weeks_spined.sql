with

teams as (

    select * from {{ ref('stg_landing__teams') }}

),

people as (

    select * from {{ ref('int_people_classified') }}

),

-- Engineers are the roster's people; a roster row that is a bot counts in no measure.
engineers as (

    select * from people
    where not is_bot

),

repositories as (

    select * from {{ ref('stg_landing__repositories') }}

),

services as (

    select * from {{ ref('stg_landing__services') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

-- Every team anybody refers to gets its weeks, even one missing from the teams roster, so no
-- engineer, repository or service falls out of the team measures.
team_ids as (

    select team_id from teams

    union

    select team_id from engineers

    union

    select team_id from repositories

    union

    select team_id from services

),

final as (

    select
        team_ids.team_id,
        weeks.week_start,
        weeks.month_start
    from team_ids
    cross join weeks
    where team_ids.team_id is not null

)

select * from final
