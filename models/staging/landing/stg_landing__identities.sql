with

source as (

    select * from {{ source('landing', 'identities') }}

),

renamed as (

    select

        -- ids
        lower(trim(source_system)) as source_system,
        case
            when trim(account_id) like '%@%' then lower(trim(account_id))
            else trim(account_id)
        end as account_id,
        trim(employee_id) as employee_id,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
