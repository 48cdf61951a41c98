with

source as (

    select * from {{ source('landing', 'incidents') }}

),

renamed as (

    select

        -- ids
        trim(incident_id) as incident_id,
        trim(service) as service,
        nullif(trim(caused_by_deployment_id), '') as caused_by_deployment_id,
        nullif(trim(repo), '') as repo,

        -- strings
        nullif(trim(title), '') as title,
        lower(nullif(trim(severity), '')) as severity,
        lower(nullif(trim(responder_email), '')) as responder_email,

        -- timestamps
        created_at,
        acknowledged_at,
        resolved_at,

        -- lineage
        _load_id,
        _landed_at

    from source

)

select * from renamed
