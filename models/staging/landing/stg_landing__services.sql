with

source as (

    select * from {{ source('landing', 'services') }}

),

renamed as (

    select

        -- ids
        trim(service) as service,
        trim(team_id) as team_id,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
