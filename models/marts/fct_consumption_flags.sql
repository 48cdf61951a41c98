{%- set flag_score = var('airoi_consumption_flag_score') -%}
{%- set burst_hours = var('airoi_consumption_burst_window_hours') -%}
{%- set repeat_uses = var('airoi_consumption_repeat_min_uses') -%}
{%- set tiny_output = var('airoi_consumption_tiny_output_tokens') -%}
{%- set behaviour = [
    'replayed_prompts', 'context_stuffing', 'premium_for_trivia', 'premium_default', 'acceptance_collapse',
    'unattended_agents', 'idle_agent_swarm', 'snapshot_burst', 'spend_without_outcome',
    'throwaway_pull_requests',
] -%}
{%- set band_weeks = var('airoi_consumption_team_band_weeks') -%}
{%- set supporting = ['some_replayed_prompts', 'usage_without_output', 'team_average_tracked'] -%}
{#- The engineer's usual busiest window in requests, or the role's median without history. -#}
{%- set own_window = 'case when has_history and usual_busiest_window_requests is not null'
    ~ ' then usual_busiest_window_requests else peer_median_busiest_window_requests end' -%}

with

signaled_weeks as (

    select * from {{ ref('int_consumption_weeks_signaled') }}

),

snapshot_hours as (

    select * from {{ ref('int_consumption_snapshot_inferred') }}

),

-- Points: a behaviour signature, or spend with none of the work the engineer usually shows, is worth a
-- flag on its own; a supporting signal half of one, and usage or pull requests that rose with the
-- week's output (has_proportional_output) count nothing. Usage kept just above the team's average is
-- circumstantial (many people sit a little above an average week after week): half a flag, never one.
scored as (

    select
        *,
        {% for signal in behaviour -%}
            (case when has_{{ signal }} then 1.0 else 0 end){{ " +" if not loop.last }}
        {% endfor -%} as behaviour_points,
        (case when has_some_replayed_prompts then 0.5 else 0 end)
        + (case when has_team_average_tracked then 0.5 else 0 end)
        + case
            when has_proportional_output then 0
            else (case when has_usage_without_output then 0.5 else 0 end)
        end as supporting_points
    from signaled_weeks

),

snapshot_label as (

    select
        snapshot_source,
        case isodow_utc
            when 1 then 'Monday' when 2 then 'Tuesday' when 3 then 'Wednesday' when 4 then 'Thursday'
            when 5 then 'Friday' when 6 then 'Saturday' else 'Sunday'
        end || ' ' || lpad(cast(hour_utc as {{ dbt.type_string() }}), 2, '0') || ':00 UTC' as snapshot_text
    from snapshot_hours
    where is_snapshot

),

totalled as (

    select
        scored.*,
        snapshot_label.snapshot_source,
        snapshot_label.snapshot_text,
        scored.behaviour_points + scored.supporting_points as inflation_score
    from scored
    left join snapshot_label
        on true

),

explained as (

    select
        *,
        case
            when has_replayed_prompts
                then
                    {{ format_share('repeated_prompt_share') }}
                    || ' of '
                    || {{ format_amount('prompted_requests') }}
                    || ' prompted requests re-sent a prompt used {{ repeat_uses }}+ times'
                    || ' that week (role median '
                    || {{ format_share('coalesce(peer_median_repeated_share, 0)') }}
                    || case
                        when has_history then ', usual week ' || {{ format_share('usual_repeated_share') }}
                        else ''
                    end || ')'
        end as replayed_prompts_reason,
        case
            when has_some_replayed_prompts
                then
                    {{ format_share('repeated_prompt_share') }}
                    || ' of '
                    || {{ format_amount('prompted_requests') }}
                    || ' prompted requests re-sent a prompt used {{ repeat_uses }}+ times'
                    || ' that week (role median '
                    || {{ format_share('coalesce(peer_median_repeated_share, 0)') }}
                    || ')'
        end as some_replayed_prompts_reason,
        case
            when has_context_stuffing
                then
                    {{ format_amount("input_tokens_per_request") }} || ' input tokens per request, '
                    || {{ format_share('coalesce(cache_share, 0)') }} || ' read from cache (role median '
                    || {{ format_amount('peer_median_input_per_request') }}
                    || case
                        when
                            has_history
                            then ', usual week ' || {{ format_amount('usual_input_per_request') }}
                        else ''
                    end || ')'
        end as context_stuffing_reason,
        case
            when has_premium_for_trivia
                then
                    {{ format_amount('premium_tiny_requests') }} || ' of ' || {{ format_amount('requests') }}
                    || ' requests on a premium model with at most {{ tiny_output }}'
                    || ' output tokens (role median '
                    || {{ format_share('coalesce(peer_median_premium_tiny_share, 0)') }}
                    || case
                        when
                            has_history
                            then ', usual week ' || {{ format_share('usual_premium_tiny_share') }}
                        else ''
                    end || ')'
        end as premium_for_trivia_reason,
        case
            when has_premium_default
                then
                    {{ format_amount('premium_requests') }} || ' of ' || {{ format_amount('requests') }}
                    || ' requests on a premium-tier model (' || {{ format_share('premium_share') }}
                    || '; role median ' || {{ format_share('coalesce(peer_median_premium_share, 0)') }}
                    || case
                        when has_history then ', usual week ' || {{ format_share('usual_premium_share') }}
                        else ''
                    end || '), with output '
                    || {{ format_multiple('output_units / nullif(peer_median_output_units, 0)') }}
                    || ' the role''s median week'
        end as premium_default_reason,
        case
            when has_acceptance_collapse
                then
                    {{ format_amount('lines_accepted') }} || ' of ' || {{ format_amount('lines_suggested') }}
                    || ' proposed lines kept (' || {{ format_share('acceptance_rate') }}
                    || '; role median ' || {{ format_share('peer_median_acceptance_rate') }}
                    || case
                        when has_history then ', usual week ' || {{ format_share('usual_acceptance_rate') }}
                        else ''
                    end || ')'
        end as acceptance_collapse_reason,
        case
            when has_unattended_agents
                then
                    {{ format_amount('off_hours_agent_requests') }} || ' agent requests in '
                    || {{ format_amount('off_hours_active_hours') }}
                    || ' hours at night or at the weekend, with no incident handled that week (role median '
                    || {{ format_amount('coalesce(peer_median_off_hours_agent_requests, 0)') }}
                    || case
                        when
                            has_history
                            then ', usual week ' || {{ format_amount('usual_off_hours_agent_requests') }}
                        else ''
                    end || '), ' || {{ format_amount('off_hours_unattended_agent_requests') }}
                    || ' of them with no work shown within '
                    || '{{ var("airoi_consumption_attended_hours") }} hours'
        end as unattended_agents_reason,
        case
            when has_idle_agent_swarm
                then
                    {{ format_amount('idle_agent_sessions') }}
                    || ' agent runs with no line accepted and no work shown within a working day after'
                    || case
                        when
                            has_history
                            then ' (usual week ' || {{ format_amount('usual_idle_agent_sessions') }} || ')'
                        else ''
                    end
        end as idle_agent_swarm_reason,
        case
            when has_snapshot_burst
                then
                    {{ format_share('snapshot_window_share') }}
                    || ' of '
                    || {{ format_amount('total_tokens') }}
                    || ' tokens in the {{ burst_hours }} hours before ' || snapshot_text
                    || ', the leaderboard snapshot (' || snapshot_source || ')'
                    || case
                        when has_history
                            then '; the usual week has '
                                || {{ format_share('usual_snapshot_window_share') }} || ' there'
                        else ''
                    end
                    || '; ' || {{ format_amount('snapshot_window_requests') }} || ' requests there, '
                    || {{ format_multiple('snapshot_window_requests / nullif(' ~ own_window ~ ', 0)') }}
                    || case
                        when has_history and usual_busiest_window_requests is not null then ' the usual'
                        else ' the role''s median'
                    end
                    || ' busiest {{ burst_hours }} hours (' || {{ format_amount(own_window) }} || ')'
                    || '; ' || cast(snapshot_burst_weeks_nearby as {{ dbt.type_string() }})
                    || ' weeks with such a burst within {{ var("airoi_consumption_burst_repeat_weeks") }}'
                    || ' weeks either side'
        end as snapshot_burst_reason,
        case
            when has_usage_without_output
                then
                    {{ format_amount('total_tokens') }}
                    || ' tokens, '
                    || {{ format_multiple('tokens_vs_usual') }}
                    || ' the usual week of ' || {{ format_amount('usual_tokens') }}
                    || ' net of the organisation''s swing, while output was '
                    || {{ format_multiple('coalesce(output_vs_usual, 0)') }} || ' the usual week''s'
        end as usage_without_output_reason,
        case
            when has_spend_without_outcome
                then
                    {{ format_amount('total_tokens') }}
                    || ' tokens (' || {{ format_multiple('tokens_vs_usual') }}
                    || ' the usual week, ' || {{ format_multiple('total_tokens / peer_median_tokens') }}
                    || ' the role''s median) with no commit, no pull request and no incident handled,'
                    || ' by someone who usually shows '
                    || cast(round(usual_code_outcomes, 1) as {{ dbt.type_string() }})
                    || ' commits and pull requests a week; output '
                    || {{ format_multiple('coalesce(output_vs_usual, 0)') }} || ' the usual week''s'
        end as spend_without_outcome_reason,
        case
            when has_throwaway_pull_requests
                then
                    {{ format_amount('prs_closed_unmerged') }} || ' of ' || {{ format_amount('prs_opened') }}
                    || ' pull requests opened that week closed unmerged, with '
                    || {{ format_amount('total_tokens') }} || ' tokens ('
                    || {{ format_multiple('total_tokens / peer_median_tokens') }}
                    || ' the role''s median week)'
        end as throwaway_pull_requests_reason,
        case
            when has_team_average_tracked
                then
                    {{ format_amount('total_tokens') }} || ' tokens, '
                    || {{ format_multiple('tokens_vs_team_prior_mean') }}
                    || ' the team''s average of the week before ('
                    || {{ format_amount('team_prior_mean_tokens') }} || '); '
                    || cast(recent_weeks_in_team_band as {{ dbt.type_string() }})
                    || ' of the last {{ band_weeks }} weeks just above that average'
        end as team_average_tracked_reason,
        case
            when has_usage_without_output and has_proportional_output
                then
                    'not counted: output rose with the usage ('
                    || {{ format_multiple('output_vs_usual') }} || ' the usual week against '
                    || {{ format_multiple('tokens_vs_usual') }} || ' the tokens)'
        end as offset_reason
    from totalled

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
                {% for signal in behaviour + supporting -%}
                    {{ signal }}_reason,
                {% endfor -%}
                offset_reason
            ),
            ''
        ) as reasons,
        nullif(
            concat_ws(
                ',',
                {% for signal in behaviour + supporting -%}
                    case when has_{{ signal }} then '{{ signal }}' end{{ "," if not loop.last }}
                {% endfor -%}
            ),
            ''
        ) as reason_codes,

        -- strings
        role,

        -- numerics: score parts
        cast(behaviour_points as {{ type_double() }}) as behaviour_points,
        cast(supporting_points as {{ type_double() }}) as supporting_points,

        -- numerics: usage, and what it was compared with
        total_tokens,
        cost_usd,
        requests,
        usual_tokens,
        tokens_vs_usual,
        org_tokens_swing,
        peer_median_tokens,
        history_weeks,
        output_units,
        usual_output_units,
        usual_code_outcomes,
        output_vs_usual,
        org_output_swing,
        prompted_requests,
        repeated_prompt_share,
        usual_repeated_share,
        peer_median_repeated_share,
        input_tokens_per_request,
        cache_share,
        usual_input_per_request,
        peer_median_input_per_request,
        premium_tiny_requests,
        premium_tiny_share,
        usual_premium_tiny_share,
        peer_median_premium_tiny_share,
        premium_requests,
        premium_share,
        usual_premium_share,
        peer_median_premium_share,
        repeated_prompts,
        uses_per_repeated_prompt,
        acceptance_rate,
        usual_acceptance_rate,
        peer_median_acceptance_rate,
        off_hours_agent_requests,
        usual_off_hours_agent_requests,
        peer_median_off_hours_agent_requests,
        off_hours_active_hours,
        off_hours_unattended_agent_requests,
        idle_agent_sessions,
        usual_idle_agent_sessions,
        unfollowed_share,
        busiest_window_share,
        busiest_window_end_hour,
        snapshot_window_tokens,
        snapshot_window_share,
        usual_snapshot_window_share,
        busiest_window_requests,
        snapshot_window_requests,
        usual_busiest_window_requests,
        peer_median_busiest_window_requests,
        snapshot_hour_of_week,
        snapshot_burst_weeks_nearby,
        team_prior_mean_tokens,
        tokens_vs_team_prior_mean,
        recent_weeks_in_team_band,
        lines_suggested,
        lines_accepted,

        -- numerics: outcomes
        commits,
        ai_assisted_commits,
        prs_opened,
        prs_merged,
        prs_closed_unmerged,
        reviews_given,
        incidents_acknowledged,
        incidents_resolved,

        -- booleans: signals
        {% for signal in behaviour + supporting -%}
            has_{{ signal }},
        {% endfor -%}
        has_proportional_output,
        has_history,
        is_full_week,
        is_snapshot_aligned

    from explained

)

select * from final
