-- The four phases are consecutive: coding + pickup + review is the cycle time and cycle + deploy the
-- lead time, for every pull request that has them all. A row here is a phase computed from the wrong
-- boundary.
with

pull_requests as (

    select * from {{ ref('fct_pull_requests') }}

),

final as (

    select
        pull_request_id,
        coding_hours,
        pickup_hours,
        review_hours,
        deploy_hours,
        cycle_hours,
        lead_time_hours
    from pull_requests
    where
        abs(coding_hours + pickup_hours + review_hours - cycle_hours) > 0.000001
        or abs(cycle_hours + deploy_hours - lead_time_hours) > 0.000001

)

select * from final
