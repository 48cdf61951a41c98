with

source as (

    select * from {{ source('landing', 'teams') }}

),

renamed as (

    select

        -- ids
        trim(team_id) as team_id,

        -- strings
        trim(team_name) as team_name,
        nullif(trim(department), '') as department,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
