with

-- The event fact, not staging: the usage range comes from the table that already holds every
-- event, so no model but that fact reads the landed events again.
ai_usage_events as (

    select * from {{ ref('fct_ai_usage_events') }}

),

pull_requests as (

    select * from {{ ref('stg_landing__pull_requests') }}

),

pr_reviews as (

    select * from {{ ref('stg_landing__pr_reviews') }}

),

deployments as (

    select * from {{ ref('stg_landing__deployments') }}

),

incidents as (

    select * from {{ ref('stg_landing__incidents') }}

),

-- The data's range is set by the activity the weekly measures count. Commit author times are left
-- out on purpose: a repository's history reaches back years before anyone's usage was logged.
activity_bounds as (

    select
        min(occurred_at) as first_at,
        max(occurred_at) as last_at
    from ai_usage_events

    union all

    select
        min(created_at) as first_at,
        max(coalesce(merged_at, created_at)) as last_at
    from pull_requests

    union all

    select
        min(submitted_at) as first_at,
        max(submitted_at) as last_at
    from pr_reviews

    union all

    select
        min(started_at) as first_at,
        max(started_at) as last_at
    from deployments

    union all

    select
        min(created_at) as first_at,
        max(coalesce(resolved_at, created_at)) as last_at
    from incidents

),

data_range as (

    select
        {{ iso_week_start('min(first_at)') }} as first_week_start,
        {{ iso_week_start('max(last_at)') }} as last_week_start
    from activity_bounds

),

digits as (

    select 0 as digit

    union all

    select 1 as digit

    union all

    select 2 as digit

    union all

    select 3 as digit

    union all

    select 4 as digit

    union all

    select 5 as digit

    union all

    select 6 as digit

    union all

    select 7 as digit

    union all

    select 8 as digit

    union all

    select 9 as digit

),

-- 0 to 9,999 weeks (about 190 years) without an engine-specific series generator.
week_offsets as (

    select ones.digit + 10 * tens.digit + 100 * hundreds.digit + 1000 * thousands.digit as week_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands

),

weeks as (

    select
        cast(
            {{ dbt.dateadd('day', '7 * week_offsets.week_offset', 'data_range.first_week_start') }}
            as date
        ) as week_start,
        data_range.first_week_start,
        data_range.last_week_start
    from data_range
    cross join week_offsets
    where
        week_offsets.week_offset
        <= {{ dbt.datediff('data_range.first_week_start', 'data_range.last_week_start', 'week') }}

),

final as (

    select
        week_start,
        cast({{ dbt.dateadd('day', '6', 'week_start') }} as date) as week_end,
        cast({{ dbt.date_trunc('month', 'week_start') }} as date) as month_start,
        week_start = first_week_start as is_first_week,
        week_start = last_week_start as is_last_week
    from weeks

)

select * from final
