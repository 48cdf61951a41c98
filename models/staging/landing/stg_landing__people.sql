with

source as (

    select * from {{ source('landing', 'people') }}

),

renamed as (

    select

        -- ids
        trim(employee_id) as employee_id,
        trim(team_id) as team_id,
        nullif(trim(manager_employee_id), '') as manager_employee_id,

        -- strings
        lower(trim(email)) as email,
        nullif(trim(full_name), '') as full_name,
        lower(nullif(trim(role), '')) as role,
        coalesce(nullif(trim(timezone), ''), 'UTC') as timezone,

        -- numerics
        annual_loaded_cost_usd,

        -- dates
        hired_on,
        left_on,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
