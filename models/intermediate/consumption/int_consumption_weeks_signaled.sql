{#- A table: the flags and the adjusted demand both read it, and its baselines scan every week. -#}
{{ config(materialized='table') }}

{%- set step_ratio = var('airoi_consumption_step_ratio') -%}
{%- set burst_min_share = var('airoi_consumption_burst_min_share') -%}
{%- set burst_min_usual_weeks = var('airoi_consumption_burst_min_usual_weeks') -%}
{%- set burst_min_sessions = var('airoi_consumption_burst_min_sessions') -%}
{%- set night_min_requests = var('airoi_consumption_night_min_requests') -%}
{%- set repeat_min_prompts = var('airoi_consumption_repeat_min_prompts') -%}
{%- set repeat_share = var('airoi_consumption_repeat_share') -%}
{%- set some_repeat_share = var('airoi_consumption_some_repeat_share') -%}
{%- set low_acceptance = var('airoi_consumption_low_acceptance') -%}
{%- set no_outcome_max_acceptance = var('airoi_consumption_no_outcome_max_acceptance') -%}
{%- set min_suggested_lines = var('airoi_consumption_min_suggested_lines') -%}
{%- set pr_cost_min_own_z = var('airoi_consumption_pr_cost_min_own_z') -%}
{%- set pr_cost_min_team_z = var('airoi_consumption_pr_cost_min_team_z') -%}
{%- set pr_cost_min_weeks = var('airoi_consumption_pr_cost_min_weeks') -%}

with

measured_weeks as (

    select * from {{ ref('int_consumption_weeks_measured') }}

),

ratios as (

    select
        *,
        case
            when lines_suggested > 0
                then cast(lines_accepted as {{ type_double() }}) / lines_suggested
        end as acceptance_rate,
        case
            when prompted_requests > 0
                then cast(repeated_prompt_requests as {{ type_double() }}) / prompted_requests
        end as repeated_prompt_share,
        case
            when total_tokens > 0
                then cast(snapshot_window_tokens as {{ type_double() }}) / total_tokens
        end as snapshot_window_share,
        case
            when prs_merged > 0 and total_tokens > 0
                then cast(total_tokens as {{ type_double() }}) / prs_merged
        end as tokens_per_merged_pr
    from measured_weeks

),

-- What a week looks like on its own, before any comparison with the engineer's other weeks. A week
-- none of these marks is "clean": the weeks the engineer's usual volume is measured on.
behaviour as (

    select
        *,
        coalesce(snapshot_window_share >= {{ burst_min_share }}, false) as is_snapshot_concentrated,
        unfollowed_night_agent_requests >= {{ night_min_requests }} as is_night_heavy,
        prompted_requests >= {{ repeat_min_prompts }}
        and coalesce(repeated_prompt_share >= {{ some_repeat_share }}, false) as is_repetitive,
        coalesce(lines_suggested, 0) >= {{ min_suggested_lines }}
        and coalesce(acceptance_rate < {{ low_acceptance }}, false) as is_low_acceptance,
        commits = 0 and prs_opened = 0 and prs_merged = 0 as is_without_delivery,
        coalesce(lines_suggested, 0) = 0
        or coalesce(acceptance_rate <= {{ no_outcome_max_acceptance }}, false) as is_without_accepted_lines
    from ratios

),

marked as (

    select
        *,
        coalesce(
            is_snapshot_concentrated
            or is_night_heavy
            or is_repetitive
            or is_low_acceptance
            or (is_without_delivery and is_without_accepted_lines),
            false
        ) = false as is_clean
    from behaviour

),

-- The engineer's usual week: mean tokens over their clean weeks, so that inflated weeks, however
-- many, do not raise the bar they are measured against. An engineer with no clean week falls back
-- to the median of all their weeks.
baselines as (

    select
        employee_id,
        count(*) as usage_weeks,
        sum(case when is_clean then 1 else 0 end) as clean_weeks,
        avg(case when is_clean then total_tokens end) as clean_mean_tokens,
        {{ median('total_tokens') }} as median_tokens
    from marked
    group by employee_id

),

-- Tokens per merged pull request on a log scale, against the engineer's own clean weeks and the
-- team's clean engineer-weeks: a robust z-score, (x - median) / (1.4826 * median absolute deviation).
pr_weeks as (

    select
        employee_id,
        team_id,
        week_start,
        is_clean,
        ln(tokens_per_merged_pr) as log_tokens_per_pr
    from marked
    where tokens_per_merged_pr is not null

),

clean_pr_weeks as (

    select *
    from pr_weeks
    where is_clean

),

own_medians as (

    select
        employee_id,
        count(*) as pr_weeks,
        {{ median('log_tokens_per_pr') }} as median_log
    from clean_pr_weeks
    group by employee_id

),

own_spreads as (

    select
        clean_pr_weeks.employee_id,
        {{ median('abs(clean_pr_weeks.log_tokens_per_pr - own_medians.median_log)') }} as mad_log
    from clean_pr_weeks
    inner join own_medians
        on clean_pr_weeks.employee_id = own_medians.employee_id
    group by clean_pr_weeks.employee_id

),

team_medians as (

    select
        team_id,
        count(*) as pr_weeks,
        {{ median('log_tokens_per_pr') }} as median_log
    from clean_pr_weeks
    group by team_id

),

team_spreads as (

    select
        clean_pr_weeks.team_id,
        {{ median('abs(clean_pr_weeks.log_tokens_per_pr - team_medians.median_log)') }} as mad_log
    from clean_pr_weeks
    inner join team_medians
        on clean_pr_weeks.team_id = team_medians.team_id
    group by clean_pr_weeks.team_id

),

pr_scores as (

    select
        pr_weeks.employee_id,
        pr_weeks.week_start,
        case
            when own_medians.pr_weeks >= {{ pr_cost_min_weeks }} and own_spreads.mad_log > 0
                then (pr_weeks.log_tokens_per_pr - own_medians.median_log) / (1.4826 * own_spreads.mad_log)
        end as tokens_per_pr_own_z,
        case
            when team_medians.pr_weeks >= {{ pr_cost_min_weeks }} and team_spreads.mad_log > 0
                then (pr_weeks.log_tokens_per_pr - team_medians.median_log) / (1.4826 * team_spreads.mad_log)
        end as tokens_per_pr_team_z
    from pr_weeks
    inner join own_medians
        on pr_weeks.employee_id = own_medians.employee_id
    inner join own_spreads
        on pr_weeks.employee_id = own_spreads.employee_id
    inner join team_medians
        on pr_weeks.team_id = team_medians.team_id
    inner join team_spreads
        on pr_weeks.team_id = team_spreads.team_id

),

compared as (

    select
        marked.*,
        baselines.usage_weeks,
        baselines.clean_weeks,
        coalesce(baselines.clean_mean_tokens, baselines.median_tokens) as baseline_tokens,
        pr_scores.tokens_per_pr_own_z,
        pr_scores.tokens_per_pr_team_z
    from marked
    inner join baselines
        on marked.employee_id = baselines.employee_id
    left join pr_scores
        on
            marked.employee_id = pr_scores.employee_id
            and marked.week_start = pr_scores.week_start

),

signaled as (

    select
        *,
        case
            when baseline_tokens > 0 then total_tokens / baseline_tokens
        end as tokens_vs_baseline,
        case
            when baseline_tokens > 0 then snapshot_window_tokens / baseline_tokens
        end as snapshot_window_vs_baseline
    from compared

),

final as (

    select
        -- ids
        employee_id,
        team_id,

        -- dates
        week_start,

        -- numerics: usage
        cast(requests as {{ dbt.type_bigint() }}) as requests,
        cast(total_tokens as {{ dbt.type_bigint() }}) as total_tokens,
        cast(cost_usd as {{ type_usd() }}) as cost_usd,
        cast(baseline_tokens as {{ type_double() }}) as baseline_tokens,
        cast(tokens_vs_baseline as {{ type_double() }}) as tokens_vs_baseline,
        cast(usage_weeks as {{ dbt.type_bigint() }}) as usage_weeks,
        cast(clean_weeks as {{ dbt.type_bigint() }}) as clean_weeks,
        cast(prompted_requests as {{ dbt.type_bigint() }}) as prompted_requests,
        cast(repeated_prompt_requests as {{ dbt.type_bigint() }}) as repeated_prompt_requests,
        cast(repeated_prompt_share as {{ type_double() }}) as repeated_prompt_share,
        cast(snapshot_window_tokens as {{ dbt.type_bigint() }}) as snapshot_window_tokens,
        cast(snapshot_window_share as {{ type_double() }}) as snapshot_window_share,
        cast(snapshot_window_vs_baseline as {{ type_double() }}) as snapshot_window_vs_baseline,
        cast(snapshot_window_sessions as {{ dbt.type_bigint() }}) as snapshot_window_sessions,
        cast(unfollowed_night_runs as {{ dbt.type_bigint() }}) as unfollowed_night_runs,
        cast(unfollowed_night_agent_requests as {{ dbt.type_bigint() }}) as unfollowed_night_agent_requests,
        cast(unfollowed_night_tokens as {{ dbt.type_bigint() }}) as unfollowed_night_tokens,
        cast(lines_suggested as {{ dbt.type_bigint() }}) as lines_suggested,
        cast(lines_accepted as {{ dbt.type_bigint() }}) as lines_accepted,
        cast(acceptance_rate as {{ type_double() }}) as acceptance_rate,
        cast(tokens_per_merged_pr as {{ type_double() }}) as tokens_per_merged_pr,
        cast(tokens_per_pr_own_z as {{ type_double() }}) as tokens_per_pr_own_z,
        cast(tokens_per_pr_team_z as {{ type_double() }}) as tokens_per_pr_team_z,

        -- numerics: outcomes
        cast(commits as {{ dbt.type_bigint() }}) as commits,
        cast(ai_assisted_commits as {{ dbt.type_bigint() }}) as ai_assisted_commits,
        cast(prs_opened as {{ dbt.type_bigint() }}) as prs_opened,
        cast(prs_merged as {{ dbt.type_bigint() }}) as prs_merged,

        -- booleans: behaviour signals, each enough on its own
        is_snapshot_concentrated
        and coalesce(snapshot_window_vs_baseline >= {{ burst_min_usual_weeks }}, false)
        and snapshot_window_sessions >= {{ burst_min_sessions }} as has_snapshot_burst,
        is_night_heavy as has_unfollowed_night_runs,
        is_repetitive and repeated_prompt_share >= {{ repeat_share }} as has_repeated_prompts,
        coalesce(tokens_vs_baseline >= {{ step_ratio }}, false)
        and is_without_delivery
        and is_without_accepted_lines as has_spend_without_outcome,

        -- booleans: volume signals, which outcome evidence offsets
        coalesce(tokens_vs_baseline >= {{ step_ratio }}, false) as has_step_change,
        coalesce(
            tokens_per_pr_own_z >= {{ pr_cost_min_own_z }}
            and tokens_per_pr_team_z >= {{ pr_cost_min_team_z }},
            false
        ) as has_pr_cost_outlier,

        -- booleans: supporting signals, counted only at high volume
        coalesce(tokens_vs_baseline >= {{ step_ratio }}, false)
        and is_repetitive
        and repeated_prompt_share < {{ repeat_share }} as has_repeats_at_volume,
        coalesce(tokens_vs_baseline >= {{ step_ratio }}, false)
        and is_low_acceptance
        and not (is_without_delivery and is_without_accepted_lines) as has_low_acceptance_at_volume,

        -- booleans: outcome evidence
        commits > 0 as has_commits,
        ai_assisted_commits > 0 as has_ai_assisted_commits,
        prs_merged > 0 as has_merged_prs,
        coalesce(lines_suggested, 0) >= {{ min_suggested_lines }}
        and not is_low_acceptance as has_healthy_acceptance

    from signaled

)

select * from final
