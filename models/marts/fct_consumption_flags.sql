{%- set flag_score = var('airoi_consumption_flag_score') -%}
{%- set weekdays = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] -%}
{%- set snapshot_label = weekdays[var('airoi_consumption_snapshot_isodow')] ~ ' '
    ~ '%02d' | format(var('airoi_consumption_snapshot_hour_utc')) ~ ':00 UTC' -%}
{%- set night_label = '%02d' | format(var('airoi_consumption_night_start_hour')) ~ ':00-'
    ~ '%02d' | format(var('airoi_consumption_night_end_hour')) ~ ':00 local' -%}
{%- set amounts = ['total_tokens', 'baseline_tokens', 'unfollowed_night_tokens', 'tokens_per_merged_pr'] -%}
{%- set shares = ['snapshot_window_share', 'repeated_prompt_share', 'acceptance_rate'] -%}
{%- set multiples = [
    'tokens_vs_baseline', 'snapshot_window_vs_baseline', 'tokens_per_pr_own_z', 'tokens_per_pr_team_z',
] -%}
{%- set counts = [
    'snapshot_window_sessions', 'unfollowed_night_runs', 'unfollowed_night_agent_requests', 'prompted_requests',
    'lines_suggested', 'commits', 'ai_assisted_commits', 'prs_merged',
] -%}

with

signaled_weeks as (

    select * from {{ ref('int_consumption_weeks_signaled') }}

),

-- Points: a behaviour signal is worth a flag on its own (1); a volume signal half of one, less a
-- quarter for each kind of outcome evidence the week shows (commits, AI-assisted commits, merged
-- pull requests, healthy acceptance); a supporting signal half of one, and it only fires at high
-- volume.
scored as (

    select
        *,
        (case when has_snapshot_burst then 1.0 else 0 end)
        + (case when has_unfollowed_night_runs then 1.0 else 0 end)
        + (case when has_repeated_prompts then 1.0 else 0 end)
        + (case when has_spend_without_outcome then 1.0 else 0 end) as behaviour_points,
        (case when has_step_change then 0.5 else 0 end)
        + (case when has_pr_cost_outlier then 0.5 else 0 end) as volume_points,
        0.25 * (
            (case when has_commits then 1 else 0 end)
            + (case when has_ai_assisted_commits then 1 else 0 end)
            + (case when has_merged_prs then 1 else 0 end)
            + (case when has_healthy_acceptance then 1 else 0 end)
        ) as outcome_credit,
        (case when has_repeats_at_volume then 0.5 else 0 end)
        + (case when has_low_acceptance_at_volume then 0.5 else 0 end) as supporting_points
    from signaled_weeks

),

totalled as (

    select
        *,
        behaviour_points
        + greatest(volume_points - outcome_credit, 0)
        + supporting_points as inflation_score
    from scored

),

-- Numbers as people read them in a sentence: 4.1M tokens, 92%, 3.2x.
formatted as (

    select
        *,
        {% for column in amounts -%}
            case
                when {{ column }} >= 1000000000
                    then cast(round({{ column }} / 1000000000.0, 1) as {{ dbt.type_string() }}) || 'B'
                when {{ column }} >= 1000000
                    then cast(round({{ column }} / 1000000.0, 1) as {{ dbt.type_string() }}) || 'M'
                when {{ column }} >= 1000
                    then cast(round({{ column }} / 1000.0, 1) as {{ dbt.type_string() }}) || 'k'
                else cast(cast(round({{ column }}) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
            end as {{ column }}_text,
        {% endfor -%}
        {% for column in shares -%}
            cast(cast(round(100 * {{ column }}) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
            || '%' as {{ column }}_text,
        {% endfor -%}
        {% for column in multiples -%}
            cast(round({{ column }}, 1) as {{ dbt.type_string() }}) as {{ column }}_text,
        {% endfor -%}
        {% for column in counts -%}
            cast({{ column }} as {{ dbt.type_string() }}) as {{ column }}_text,
        {% endfor -%}
        cast(round(100 * acceptance_rate, 1) as {{ dbt.type_string() }})
        || '%' as acceptance_rate_precise_text
    from totalled

),

explained as (

    select
        *,
        case
            when has_snapshot_burst
                then
                    snapshot_window_share_text || ' of ' || total_tokens_text || ' tokens in the '
                    || '{{ var("airoi_consumption_snapshot_window_hours") }} hours before '
                    || '{{ snapshot_label }} ('
                    || snapshot_window_sessions_text
                    || case when snapshot_window_sessions = 1 then ' session, ' else ' sessions, ' end
                    || snapshot_window_vs_baseline_text || 'x a usual week)'
        end as burst_reason,
        case
            when has_unfollowed_night_runs
                then
                    unfollowed_night_runs_text
                    || case when unfollowed_night_runs = 1 then ' agent run' else ' agent runs' end
                    || ' started at night ({{ night_label }}) with '
                    || unfollowed_night_agent_requests_text || ' requests and '
                    || unfollowed_night_tokens_text || ' tokens, no commit within '
                    || '{{ var("airoi_consumption_commit_follow_hours") }} hours after'
        end as night_reason,
        case
            when has_repeated_prompts or has_repeats_at_volume
                then
                    repeated_prompt_share_text || ' of ' || prompted_requests_text
                    || ' prompted requests re-sent a prompt used '
                    || '{{ var("airoi_consumption_repeat_min_uses") }}+ times that week'
        end as repeat_reason,
        case
            when has_spend_without_outcome
                then
                    total_tokens_text || ' tokens (' || tokens_vs_baseline_text
                    || 'x the usual week) with no commit and no pull request; '
                    || case
                        when coalesce(lines_suggested, 0) = 0 then 'no suggested lines reported'
                        else
                            acceptance_rate_precise_text || ' of ' || lines_suggested_text
                            || ' suggested lines accepted'
                    end
        end as no_outcome_reason,
        case
            when has_step_change and not has_spend_without_outcome
                then
                    total_tokens_text || ' tokens, ' || tokens_vs_baseline_text
                    || 'x the usual week of ' || baseline_tokens_text
        end as step_reason,
        case
            when has_pr_cost_outlier
                then
                    tokens_per_merged_pr_text || ' tokens per merged pull request (robust z '
                    || tokens_per_pr_own_z_text || ' against own weeks, '
                    || tokens_per_pr_team_z_text || ' against the team)'
        end as pr_cost_reason,
        case
            when has_low_acceptance_at_volume
                then
                    'only ' || acceptance_rate_precise_text || ' of ' || lines_suggested_text
                    || ' suggested lines accepted'
        end as acceptance_reason,
        case
            when (has_step_change or has_pr_cost_outlier) and outcome_credit > 0
                then
                    'offset by outcome: '
                    || concat_ws(
                        ', ',
                        case
                            when commits > 0
                                then
                                    commits_text
                                    || case when commits = 1 then ' commit (' else ' commits (' end
                                    || ai_assisted_commits_text || ' AI-assisted)'
                        end,
                        case
                            when prs_merged > 0
                                then
                                    prs_merged_text
                                    || case
                                        when prs_merged = 1 then ' merged pull request'
                                        else ' merged pull requests'
                                    end
                        end,
                        case
                            when has_healthy_acceptance
                                then acceptance_rate_text || ' of suggested lines accepted'
                        end
                    )
        end as offset_reason
    from formatted

),

final as (

    select
        -- ids
        employee_id,
        team_id,

        -- dates
        week_start,

        -- the contract
        cast(inflation_score as {{ type_double() }}) as inflation_score,
        inflation_score >= {{ flag_score }} as is_flagged,
        nullif(
            concat_ws(
                '; ',
                burst_reason,
                night_reason,
                repeat_reason,
                no_outcome_reason,
                acceptance_reason,
                step_reason,
                pr_cost_reason,
                offset_reason
            ),
            ''
        ) as reasons,

        -- numerics: score parts
        cast(behaviour_points as {{ type_double() }}) as behaviour_points,
        cast(volume_points as {{ type_double() }}) as volume_points,
        cast(outcome_credit as {{ type_double() }}) as outcome_credit,
        cast(supporting_points as {{ type_double() }}) as supporting_points,

        -- numerics: usage and the values behind the signals
        total_tokens,
        cost_usd,
        baseline_tokens,
        tokens_vs_baseline,
        usage_weeks,
        clean_weeks,
        requests,
        prompted_requests,
        repeated_prompt_requests,
        repeated_prompt_share,
        snapshot_window_tokens,
        snapshot_window_share,
        snapshot_window_vs_baseline,
        snapshot_window_sessions,
        unfollowed_night_runs,
        unfollowed_night_agent_requests,
        unfollowed_night_tokens,
        lines_suggested,
        lines_accepted,
        acceptance_rate,
        tokens_per_merged_pr,
        tokens_per_pr_own_z,
        tokens_per_pr_team_z,

        -- numerics: outcomes
        commits,
        ai_assisted_commits,
        prs_opened,
        prs_merged,

        -- booleans: signals
        has_snapshot_burst,
        has_unfollowed_night_runs,
        has_repeated_prompts,
        has_spend_without_outcome,
        has_step_change,
        has_pr_cost_outlier,
        has_repeats_at_volume,
        has_low_acceptance_at_volume,

        -- booleans: outcome evidence
        has_commits,
        has_ai_assisted_commits,
        has_merged_prs,
        has_healthy_acceptance

    from explained

)

select * from final
