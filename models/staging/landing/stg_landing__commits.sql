with

source as (

    select * from {{ source('landing', 'commits') }}

),

renamed as (

    select

        -- ids
        trim(repo) as repo,
        lower(trim(sha)) as sha,
        nullif(trim(author_login), '') as author_login,
        pr_number,

        -- strings
        lower(trim(author_email)) as author_email,
        nullif(trim(message), '') as message,

        -- numerics
        additions,
        deletions,

        -- timestamps
        authored_at,
        committed_at,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
