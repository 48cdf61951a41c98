with

source as (

    select * from {{ source('landing', 'pull_requests') }}

),

renamed as (

    select

        -- ids
        trim(repo) as repo,
        pr_number,
        trim(author_login) as author_login,
        lower(nullif(trim(merge_commit_sha), '')) as merge_commit_sha,

        -- strings
        nullif(trim(title), '') as title,
        nullif(trim(base_branch), '') as base_branch,
        nullif(trim(labels), '') as labels,

        -- numerics
        additions,
        deletions,
        changed_files,

        -- timestamps
        created_at,
        ready_for_review_at,
        first_commit_at,
        merged_at,
        closed_at,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
