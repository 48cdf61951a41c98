with

deployments as (

    select * from {{ ref('stg_landing__deployments') }}

),

repositories as (

    select * from {{ ref('stg_landing__repositories') }}

),

incidents as (

    select * from {{ ref('stg_landing__incidents') }}

),

-- An incident names its deployment by id and, when it knows it, by repo; without a repo the id
-- alone decides, since deployment ids are unique within a repo and rarely repeat across repos.
incident_causes as (

    select
        deployments.repo,
        deployments.deployment_id,
        count(*) as caused_incident_count
    from deployments
    inner join incidents
        on
            deployments.deployment_id = incidents.caused_by_deployment_id
            and (incidents.repo is null or deployments.repo = incidents.repo)
    group by
        deployments.repo,
        deployments.deployment_id

),

final as (

    select
        deployments.repo,
        deployments.deployment_id,
        repositories.team_id,
        deployments.sha,
        deployments.environment,
        deployments.status,
        deployments.is_production,
        deployments.status in ('failure', 'error') as is_failed,
        incident_causes.deployment_id is not null as caused_incident,
        coalesce(incident_causes.caused_incident_count, 0) as caused_incident_count,
        deployments.status in ('failure', 'error') or incident_causes.deployment_id is not null
            as is_change_failure,
        deployments.started_at,
        deployments.finished_at,
        {{ iso_week_start('deployments.started_at') }} as started_week_start
    from deployments
    left join repositories
        on deployments.repo = repositories.repo
    left join incident_causes
        on
            deployments.repo = incident_causes.repo
            and deployments.deployment_id = incident_causes.deployment_id

)

select * from final
