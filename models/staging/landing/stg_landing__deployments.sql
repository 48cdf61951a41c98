with

source as (

    select * from {{ source('landing', 'deployments') }}

),

renamed as (

    select

        -- ids
        trim(repo) as repo,
        trim(deployment_id) as deployment_id,
        lower(trim(sha)) as sha,

        -- strings
        lower(trim(environment)) as environment,
        lower(trim(status)) as status,

        -- booleans
        coalesce(lower(trim(environment)) in ('production', 'prod'), false) as is_production,

        -- timestamps
        started_at,
        finished_at,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
