with

people as (

    select * from {{ ref('int_people_classified') }}

),

-- Engineers are the roster's people; a roster row that is a bot counts in no measure.
engineers as (

    select * from people
    where not is_bot

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

-- A week counts as employed when any day of it falls between hired_on and left_on, both included;
-- a missing hired_on means employed since before the data begins, a missing left_on still employed.
-- It is fully observed when the data cover all of it for the engineer: not the data's first or last
-- week (either may hold a day or two of events only), employed from its Monday to its Sunday.
final as (

    select
        engineers.employee_id,
        weeks.week_start,
        engineers.team_id,
        weeks.month_start,
        engineers.annual_loaded_cost_usd,
        (
            not weeks.is_first_week
            and not weeks.is_last_week
            and (engineers.hired_on is null or engineers.hired_on <= weeks.week_start)
            and (engineers.left_on is null or engineers.left_on >= weeks.week_end)
        ) as is_fully_observed
    from engineers
    inner join weeks
        on
            (engineers.hired_on is null or weeks.week_start >= {{ iso_week_start('engineers.hired_on') }})
            and (engineers.left_on is null or weeks.week_start <= {{ iso_week_start('engineers.left_on') }})

)

select * from final
