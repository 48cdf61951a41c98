with

source as (

    select * from {{ source('landing', 'pr_reviews') }}

),

renamed as (

    select

        -- ids
        trim(repo) as repo,
        pr_number,
        trim(review_id) as review_id,
        trim(reviewer_login) as reviewer_login,

        -- strings
        upper(trim(state)) as state,

        -- timestamps
        submitted_at,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
