with

source as (

    select * from {{ source('landing', 'repositories') }}

),

renamed as (

    select

        -- ids
        trim(repo) as repo,
        trim(team_id) as team_id,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
