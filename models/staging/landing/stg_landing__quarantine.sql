with

source as (

    select * from {{ source('landing', '_quarantine') }}

),

renamed as (

    select

        -- ids
        _load_id,

        -- strings
        table_name,
        source_file,
        column_name,
        reason_code,
        reason,
        row_content,

        -- numerics
        source_row,

        -- timestamps
        quarantined_at

    from source

)

select * from renamed
