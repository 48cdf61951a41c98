with

teams as (

    select * from {{ ref('stg_landing__teams') }}

),

engineers as (

    select * from {{ ref('dim_engineers') }}

),

team_sizes as (

    select
        team_id,
        count(*) as engineers
    from engineers
    group by team_id

),

final as (

    select
        -- ids
        teams.team_id,

        -- strings
        teams.team_name,
        teams.department,

        -- numerics
        cast(coalesce(team_sizes.engineers, 0) as {{ dbt.type_bigint() }}) as engineers

    from teams
    left join team_sizes
        on teams.team_id = team_sizes.team_id

)

select * from final
