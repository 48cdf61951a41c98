with

snapshot_hours as (

    select * from {{ ref('int_consumption_snapshot_inferred') }}

),

final as (

    select
        -- ids
        hour_of_week,

        -- numerics
        isodow_utc,
        hour_utc,
        burst_weeks,
        burst_engineers,
        ending_weeks,
        expected_burst_weeks,
        excess_burst_weeks,
        lift,

        -- booleans
        is_snapshot,

        -- strings
        snapshot_source

    from snapshot_hours

)

select * from final
