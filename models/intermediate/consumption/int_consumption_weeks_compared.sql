{#- A table: every week is set against the engineer's usual weeks, their role's peers and the
    organisation's swing that week, and the signals and the flags read it. -#}
{{ config(materialized='table') }}

{%- set usual_percentile = var('airoi_consumption_usual_percentile') -%}
{%- set adoption_share = var('airoi_consumption_adoption_share') -%}
{%- set min_history_weeks = var('airoi_consumption_min_history_weeks') -%}
{#- The delivered work of a week, each kind valued at the organisation's rate (exchange_rates); its
    output adds the accepted lines. -#}
{%- set delivered_kinds = ['prs_merged', 'prs_opened', 'commits', 'reviews_given', 'incidents_resolved'] -%}
{%- set delivered_units -%}
    {% for kind in delivered_kinds -%}
        coalesce(measured_weeks.{{ kind }} / exchange_rates.{{ kind }}_rate, 0){{ " +" if not loop.last }}
    {% endfor -%}
{%- endset -%}

{%- set burst_hours = var('airoi_consumption_burst_window_hours') -%}
{%- set band_low = var('airoi_consumption_team_band_low') -%}
{%- set band_high = var('airoi_consumption_team_band_high') -%}
{%- set band_weeks = var('airoi_consumption_team_band_weeks') -%}
{%- set band_min_spread = var('airoi_consumption_team_band_min_spread') -%}
{%- set measured_columns = [
    'employee_id', 'team_id', 'role', 'requests', 'prompted_requests',
    'repeated_prompt_requests', 'repeated_prompts', 'premium_requests', 'agent_requests', 'premium_tiny_requests', 'premium_tiny_cost_usd', 'input_tokens',
    'cached_input_tokens', 'cache_write_tokens', 'output_tokens', 'total_tokens', 'cost_usd',
    'lines_suggested', 'lines_accepted', 'active_hours', 'off_hours_active_hours', 'off_hours_agent_requests',
    'off_hours_tokens', 'off_hours_unattended_agent_requests', 'busiest_window_tokens', 'busiest_window_end_hour', 'busiest_window_requests',
    'busiest_request_window_end_hour', 'sessions', 'agent_sessions',
    'unfollowed_sessions', 'unfollowed_tokens', 'unfollowed_agent_sessions', 'idle_agent_sessions', 'commits',
    'ai_assisted_commits', 'prs_opened', 'prs_merged', 'prs_closed_unmerged', 'reviews_given',
    'incidents_acknowledged', 'incidents_resolved', 'is_full_week', 'week_start', 'output_units',
    'input_tokens_per_request', 'cache_share', 'repeated_prompt_share', 'premium_tiny_share', 'busiest_window_share',
    'snapshot_window_tokens', 'snapshot_window_share', 'snapshot_window_requests', 'unfollowed_share',
    'uses_per_repeated_prompt', 'premium_share', 'acceptance_rate', 'delivered_units',
] -%}

with

measured_weeks as (

    select * from {{ ref('int_consumption_weeks_measured') }}

),

usage_hours as (

    select * from {{ ref('int_consumption_hours_aggregated') }}

),

snapshot_hours as (

    select * from {{ ref('int_consumption_snapshot_inferred') }}

),

snapshot as (

    select hour_of_week as snapshot_hour_of_week
    from snapshot_hours
    where is_snapshot

),

-- Tokens and requests in the hours before the snapshot, one hour more to allow for daylight saving:
-- every week's, so that a burst there is measured against the engineer's usual share of it.
snapshot_windows as (

    select
        usage_hours.employee_id,
        usage_hours.week_start,
        cast(sum(usage_hours.total_tokens) as {{ dbt.type_bigint() }}) as snapshot_window_tokens,
        cast(sum(usage_hours.requests) as {{ dbt.type_bigint() }}) as snapshot_window_requests
    from usage_hours
    inner join snapshot
        on (snapshot.snapshot_hour_of_week - usage_hours.hour_of_week + 168)
            % 168 between 1 and {{ burst_hours + 1 }}
    group by
        usage_hours.employee_id,
        usage_hours.week_start

),

-- What one unit of each kind of work is worth: the organisation's mean per engineer-week, so a week's
-- output adds up pull requests, reviews, incidents and accepted lines on one scale.
exchange_rates as (

    select
        nullif(avg(cast(prs_merged as {{ type_double() }})), 0) as prs_merged_rate,
        nullif(avg(cast(prs_opened as {{ type_double() }})), 0) as prs_opened_rate,
        nullif(avg(cast(commits as {{ type_double() }})), 0) as commits_rate,
        nullif(avg(cast(reviews_given as {{ type_double() }})), 0) as reviews_given_rate,
        nullif(avg(cast(incidents_resolved as {{ type_double() }})), 0) as incidents_resolved_rate,
        nullif(avg(cast(lines_accepted as {{ type_double() }})), 0) as lines_accepted_rate
    from measured_weeks

),

valued as (

    select
        measured_weeks.*,
        {{ delivered_units }}
        + coalesce(measured_weeks.lines_accepted / exchange_rates.lines_accepted_rate, 0) as output_units,
        {{ delivered_units }} as delivered_units,
        cast(measured_weeks.input_tokens + measured_weeks.cache_write_tokens as {{ type_double() }})
        / nullif(measured_weeks.requests, 0) as input_tokens_per_request,
        cast(measured_weeks.cached_input_tokens as {{ type_double() }})
        / nullif(
            measured_weeks.input_tokens
            + measured_weeks.cached_input_tokens
            + measured_weeks.cache_write_tokens,
            0
        ) as cache_share,
        cast(measured_weeks.repeated_prompt_requests as {{ type_double() }})
        / nullif(measured_weeks.prompted_requests, 0) as repeated_prompt_share,
        cast(measured_weeks.premium_tiny_requests as {{ type_double() }})
        / nullif(measured_weeks.requests, 0) as premium_tiny_share,
        cast(measured_weeks.busiest_window_tokens as {{ type_double() }})
        / nullif(measured_weeks.total_tokens, 0) as busiest_window_share,
        coalesce(snapshot_windows.snapshot_window_tokens, 0) as snapshot_window_tokens,
        cast(coalesce(snapshot_windows.snapshot_window_tokens, 0) as {{ type_double() }})
        / nullif(measured_weeks.total_tokens, 0) as snapshot_window_share,
        coalesce(snapshot_windows.snapshot_window_requests, 0) as snapshot_window_requests,
        cast(measured_weeks.unfollowed_tokens as {{ type_double() }})
        / nullif(measured_weeks.total_tokens, 0) as unfollowed_share,
        cast(measured_weeks.repeated_prompt_requests as {{ type_double() }})
        / nullif(measured_weeks.repeated_prompts, 0) as uses_per_repeated_prompt,
        cast(measured_weeks.premium_requests as {{ type_double() }})
        / nullif(measured_weeks.requests, 0) as premium_share,
        cast(measured_weeks.lines_accepted as {{ type_double() }})
        / nullif(measured_weeks.lines_suggested, 0) as acceptance_rate
    from measured_weeks
    cross join exchange_rates
    left join snapshot_windows
        on
            measured_weeks.employee_id = snapshot_windows.employee_id
            and measured_weeks.week_start = snapshot_windows.week_start

),

-- Peers: the engineers of the same role, over their full weeks.
peers as (

    select
        role,
        count(distinct employee_id) as peer_engineers,
        {{ median('total_tokens') }} as peer_median_tokens,
        {{ median('output_units') }} as peer_median_output_units,
        {{ median('delivered_units') }} as peer_median_delivered_units,
        {{ median('input_tokens_per_request') }} as peer_median_input_per_request,
        {{ median('repeated_prompt_share') }} as peer_median_repeated_share,
        {{ median('premium_tiny_share') }} as peer_median_premium_tiny_share,
        {{ median('off_hours_agent_requests') }} as peer_median_off_hours_agent_requests,
        {{ median('busiest_window_requests') }} as peer_median_busiest_window_requests,
        {{ median('premium_share') }} as peer_median_premium_share,
        {{ median('acceptance_rate') }} as peer_median_acceptance_rate,
        {{ median('lines_suggested') }} as peer_median_lines_suggested
    from valued
    where is_full_week
    group by role

),

-- An engineer's AI use counts from the first full week at a quarter of the role's median tokens:
-- the weeks before are before they took it up, and a step from nothing is adoption, not inflation.
adoption as (

    select
        valued.employee_id,
        min(valued.week_start) as adopted_week_start
    from valued
    inner join peers
        on valued.role = peers.role
    where
        valued.is_full_week
        and valued.total_tokens >= {{ adoption_share }} * peers.peer_median_tokens
    group by valued.employee_id

),

history_weeks as (

    select valued.*
    from valued
    inner join adoption
        on
            valued.employee_id = adoption.employee_id
            and valued.week_start >= adoption.adopted_week_start
    where valued.is_full_week

),

-- The usual week: a low percentile of the weeks since adoption, so that inflated weeks, unless they
-- are most weeks, do not raise the bar they are measured against; output as the mean, which counts
-- sparse work (an incident a month) fairly.
usual as (

    select
        employee_id,
        count(*) as history_weeks,
        {{ percentile('total_tokens', usual_percentile) }} as usual_tokens,
        avg(output_units) as usual_output_units,
        avg(delivered_units) as usual_delivered_units,
        {{ percentile('input_tokens_per_request', usual_percentile) }} as usual_input_per_request,
        {{ percentile('repeated_prompt_share', usual_percentile) }} as usual_repeated_share,
        {{ percentile('premium_tiny_share', usual_percentile) }} as usual_premium_tiny_share,
        {{ percentile('premium_share', usual_percentile) }} as usual_premium_share,
        -- a rate where lower is the signal: the mirror percentile, so low weeks do not lower the bar
        {{ percentile('acceptance_rate', 1 - usual_percentile) }} as usual_acceptance_rate,
        {{ percentile('busiest_window_share', usual_percentile) }} as usual_busiest_share,
        {{ percentile('snapshot_window_share', usual_percentile) }} as usual_snapshot_window_share,
        {{ percentile('snapshot_window_requests', usual_percentile) }} as usual_snapshot_window_requests,
        {{ percentile('idle_agent_sessions', usual_percentile) }} as usual_idle_agent_sessions,
        {{ percentile('off_hours_agent_requests', usual_percentile) }} as usual_off_hours_agent_requests,
        {{ percentile('prs_closed_unmerged', usual_percentile) }} as usual_prs_closed_unmerged,
        avg(cast(commits + prs_opened + prs_merged as {{ type_double() }})) as usual_code_outcomes
    from history_weeks
    group by employee_id

),

-- How many requests the engineer's busiest hours usually hold, over the weeks whose busiest window does
-- not end at the snapshot (a burst there every week is no habit to measure bursts against).
usual_windows as (

    select
        history_weeks.employee_id,
        {{ median('history_weeks.busiest_window_requests') }} as usual_busiest_window_requests
    from history_weeks
    left join snapshot
        on true
    where
        snapshot.snapshot_hour_of_week is null
        or (history_weeks.busiest_request_window_end_hour - snapshot.snapshot_hour_of_week + 169) % 168 > 2
    group by history_weeks.employee_id

),

-- The organisation's swing each week (holidays, release crunches): the median engineer's tokens and
-- output that week against their own usual week.
swings as (

    select
        valued.week_start,
        {{ median('valued.total_tokens / usual.usual_tokens') }} as org_tokens_swing,
        {{ median('valued.output_units / usual.usual_output_units') }} as org_output_swing
    from valued
    inner join usual
        on valued.employee_id = usual.employee_id
    where
        usual.history_weeks >= {{ min_history_weeks }}
        and usual.usual_tokens > 0
        and usual.usual_output_units > 0
    group by valued.week_start

),

-- The team's average week as a dashboard would have shown it: the mean tokens of the team's engineers
-- in the week before (full weeks, teams of at least four), and how widely their weeks spread around it
-- (the coefficient of variation): only where weeks spread widely does a week just above the mean, again
-- and again, say anything.
team_weeks as (

    select
        team_id,
        week_start,
        avg(total_tokens) as team_mean_tokens,
        stddev_samp(total_tokens) / nullif(avg(total_tokens), 0) as team_spread
    from valued
    where is_full_week and team_id is not null
    group by team_id, week_start
    having count(*) >= 4

),

-- Where each week sat against that average, and how many of the engineer's last five weeks sat in the
-- band just above it.
team_relative as (

    select
        valued.employee_id,
        valued.week_start,
        prior_weeks.team_mean_tokens as team_prior_mean_tokens,
        prior_weeks.team_spread as team_prior_spread,
        valued.total_tokens / nullif(prior_weeks.team_mean_tokens, 0) as tokens_vs_team_prior_mean
    from valued
    left join team_weeks as prior_weeks
        on
            valued.team_id = prior_weeks.team_id
            and prior_weeks.week_start = {{ dbt.dateadd('day', -7, 'valued.week_start') }}

),

team_banded as (

    select
        *,
        coalesce(
            tokens_vs_team_prior_mean >= {{ band_low }}
            and tokens_vs_team_prior_mean <= {{ band_high }}
            and team_prior_spread >= {{ band_min_spread }},
            false
        ) as is_in_team_band
    from team_relative

),

team_streaks as (

    select
        *,
        cast(sum(case when is_in_team_band then 1 else 0 end) over (
            partition by employee_id
            order by week_start
            rows between {{ band_weeks - 1 }} preceding and current row
        ) as {{ dbt.type_bigint() }}) as recent_weeks_in_team_band
    from team_banded

),

final as (

    select
        {% for column in measured_columns -%}
            valued.{{ column }},
        {% endfor -%}
        peers.peer_engineers,
        peers.peer_median_tokens,
        peers.peer_median_output_units,
        peers.peer_median_delivered_units,
        peers.peer_median_input_per_request,
        peers.peer_median_repeated_share,
        peers.peer_median_premium_tiny_share,
        peers.peer_median_off_hours_agent_requests,
        peers.peer_median_busiest_window_requests,
        peers.peer_median_premium_share,
        peers.peer_median_acceptance_rate,
        peers.peer_median_lines_suggested,
        adoption.adopted_week_start,
        coalesce(usual.history_weeks, 0) as history_weeks,
        coalesce(usual.history_weeks, 0) >= {{ min_history_weeks }} as has_history,
        usual.usual_tokens,
        usual.usual_output_units,
        usual.usual_delivered_units,
        usual.usual_input_per_request,
        usual.usual_repeated_share,
        usual.usual_premium_tiny_share,
        usual.usual_premium_share,
        usual.usual_acceptance_rate,
        usual.usual_busiest_share,
        usual.usual_snapshot_window_share,
        usual.usual_snapshot_window_requests,
        usual_windows.usual_busiest_window_requests,
        usual.usual_idle_agent_sessions,
        usual.usual_off_hours_agent_requests,
        usual.usual_prs_closed_unmerged,
        usual.usual_code_outcomes,
        coalesce(swings.org_tokens_swing, 1) as org_tokens_swing,
        coalesce(swings.org_output_swing, 1) as org_output_swing,
        valued.total_tokens
        / nullif(usual.usual_tokens * greatest(coalesce(swings.org_tokens_swing, 1), 0.1), 0)
            as tokens_vs_usual,
        valued.output_units
        / nullif(usual.usual_output_units * greatest(coalesce(swings.org_output_swing, 1), 0.1), 0)
            as output_vs_usual,
        snapshot.snapshot_hour_of_week,
        coalesce(
            (valued.busiest_window_end_hour - snapshot.snapshot_hour_of_week + 169) % 168 <= 2
            or (valued.busiest_request_window_end_hour - snapshot.snapshot_hour_of_week + 169) % 168 <= 2,
            false
        ) as is_snapshot_aligned,
        team_streaks.team_prior_mean_tokens,
        team_streaks.tokens_vs_team_prior_mean,
        team_streaks.is_in_team_band,
        team_streaks.recent_weeks_in_team_band
    from valued
    left join peers
        on valued.role = peers.role
    left join adoption
        on valued.employee_id = adoption.employee_id
    left join usual
        on valued.employee_id = usual.employee_id
    left join usual_windows
        on valued.employee_id = usual_windows.employee_id
    left join swings
        on valued.week_start = swings.week_start
    left join snapshot
        on true
    left join team_streaks
        on
            valued.employee_id = team_streaks.employee_id
            and valued.week_start = team_streaks.week_start

)

select * from final
