{%- set min_requests = var('airoi_consumption_min_requests') -%}
{%- set ratio = var('airoi_consumption_signature_ratio') -%}
{%- set extreme_ratio = var('airoi_consumption_extreme_ratio') -%}
{%- set step_ratio = var('airoi_consumption_step_ratio') -%}
{%- set flat_output_ratio = var('airoi_consumption_flat_output_ratio') -%}
{%- set repeat_share = var('airoi_consumption_repeat_share') -%}
{%- set some_repeat_share = var('airoi_consumption_some_repeat_share') -%}
{%- set max_cache_share = var('airoi_consumption_max_cache_share') -%}
{%- set premium_tiny_share = var('airoi_consumption_premium_tiny_share') -%}
{%- set burst_min_share = var('airoi_consumption_burst_min_share') -%}
{%- set burst_ratio = var('airoi_consumption_burst_ratio') -%}
{%- set burst_min_requests = var('airoi_consumption_burst_min_requests') -%}
{%- set burst_delivered_output = var('airoi_consumption_burst_delivered_output') -%}
{%- set burst_min_weeks = var('airoi_consumption_burst_min_weeks') -%}
{%- set burst_repeat_days = 7 * var('airoi_consumption_burst_repeat_weeks') -%}
{%- set off_hours_min_agent_requests = var('airoi_consumption_off_hours_min_agent_requests') -%}
{%- set off_hours_min_hours = var('airoi_consumption_off_hours_min_hours') -%}
{%- set around_the_clock_hours = var('airoi_consumption_around_the_clock_hours') -%}
{%- set unfollowed_share = var('airoi_consumption_unfollowed_share') -%}
{%- set idle_min_agent_sessions = var('airoi_consumption_idle_min_agent_sessions') -%}
{%- set throwaway_min_prs = var('airoi_consumption_throwaway_min_prs') -%}
{%- set replay_min_uses_per_prompt = var('airoi_consumption_replay_min_uses_per_prompt') -%}
{%- set suite_min_prompts = var('airoi_consumption_suite_min_prompts') -%}
{#- A test suite: many distinct prompts, each re-sent a few times (once per model and run). -#}
{%- set is_suite = '(repeated_prompts >= ' ~ suite_min_prompts
    ~ ' and uses_per_repeated_prompt < ' ~ replay_min_uses_per_prompt ~ ')' -%}
{%- set premium_default_share = var('airoi_consumption_premium_default_share') -%}
{%- set premium_default_max_output = var('airoi_consumption_premium_default_max_output') -%}
{%- set premium_habit_share = var('airoi_consumption_premium_habit_share') -%}
{%- set acceptance_ratio = var('airoi_consumption_acceptance_collapse_ratio') -%}
{%- set acceptance_min_lines = var('airoi_consumption_acceptance_min_lines') -%}
{%- set compared_columns = [
    'employee_id', 'team_id', 'role', 'requests',
    'prompted_requests', 'repeated_prompt_requests', 'repeated_prompts', 'premium_requests', 'agent_requests', 'premium_tiny_requests',
    'premium_tiny_cost_usd', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens',
    'output_tokens', 'total_tokens', 'cost_usd', 'lines_suggested',
    'lines_accepted', 'active_hours', 'off_hours_active_hours', 'off_hours_agent_requests',
    'off_hours_tokens', 'off_hours_unattended_agent_requests', 'busiest_window_tokens', 'busiest_window_end_hour', 'busiest_window_requests',
    'busiest_request_window_end_hour', 'sessions',
    'agent_sessions', 'unfollowed_sessions', 'unfollowed_tokens', 'unfollowed_agent_sessions',
    'idle_agent_sessions', 'commits', 'ai_assisted_commits', 'prs_opened',
    'prs_merged', 'prs_closed_unmerged', 'reviews_given', 'incidents_acknowledged',
    'incidents_resolved', 'is_full_week', 'week_start', 'output_units',
    'input_tokens_per_request', 'cache_share', 'repeated_prompt_share', 'premium_tiny_share',
    'busiest_window_share', 'snapshot_window_tokens', 'snapshot_window_share', 'snapshot_window_requests',
    'unfollowed_share', 'uses_per_repeated_prompt', 'premium_share', 'acceptance_rate',
    'peer_engineers', 'peer_median_tokens', 'peer_median_output_units', 'peer_median_input_per_request',
    'peer_median_repeated_share', 'peer_median_premium_tiny_share', 'peer_median_off_hours_agent_requests',
    'peer_median_busiest_window_requests', 'peer_median_premium_share', 'peer_median_acceptance_rate',
    'peer_median_lines_suggested', 'adopted_week_start',
    'history_weeks', 'has_history', 'usual_tokens', 'usual_output_units',
    'usual_input_per_request', 'usual_repeated_share', 'usual_premium_tiny_share', 'usual_premium_share',
    'usual_acceptance_rate', 'usual_busiest_share',
    'usual_snapshot_window_share', 'usual_snapshot_window_requests', 'usual_busiest_window_requests',
    'usual_idle_agent_sessions', 'usual_off_hours_agent_requests', 'usual_prs_closed_unmerged',
    'usual_code_outcomes', 'org_tokens_swing', 'org_output_swing', 'tokens_vs_usual',
    'output_vs_usual', 'snapshot_hour_of_week', 'is_snapshot_aligned',
    'team_prior_mean_tokens', 'tokens_vs_team_prior_mean', 'is_in_team_band', 'recent_weeks_in_team_band',
] -%}
{%- set signal_columns = [
    'has_replayed_prompts', 'has_context_stuffing', 'has_premium_for_trivia', 'has_premium_default',
    'has_acceptance_collapse',
    'has_unattended_agents', 'has_idle_agent_swarm',
    'has_some_replayed_prompts', 'has_usage_without_output', 'has_throwaway_pull_requests',
    'has_spend_without_outcome', 'has_team_average_tracked',
] -%}
{%- set no_outcome_max_acceptance = var('airoi_consumption_no_outcome_max_acceptance') -%}
{%- set learning_days = 7 * var('airoi_consumption_learning_weeks') -%}
{%- set stuffing_min_weeks = var('airoi_consumption_stuffing_min_weeks') -%}
{%- set stuffing_max_output_ratio = var('airoi_consumption_stuffing_max_output_ratio') -%}
{%- set band_min_weeks = var('airoi_consumption_team_band_min_weeks') -%}

with

compared_weeks as (

    select * from {{ ref('int_consumption_weeks_compared') }}

),

-- Each signal is one sentence a person can check against the numbers beside it. A signature must be
-- unusual twice over: against the engineer's own usual weeks (when they have enough history) and
-- against peers of the same role (always), so a habit someone has every week, or a role's normal
-- way of working, is never a signal.
signaled as (

    select
        *,

        -- behaviour signatures
        -- a replay re-sends a handful of prompts, or any number many times each; a test suite sends
        -- many prompts a few times each (once per model and run), and is not a replay
        coalesce(
            prompted_requests >= {{ min_requests }}
            and repeated_prompt_share >= {{ repeat_share }}
            and repeated_prompt_share >= {{ ratio }} * coalesce(peer_median_repeated_share, 0)
            and not {{ is_suite }},
            false
        ) as has_replayed_prompts,
        coalesce(
            requests >= {{ min_requests }}
            and coalesce(cache_share, 0) <= {{ max_cache_share }}
            and input_tokens_per_request >= {{ ratio }} * peer_median_input_per_request
            and (
                not has_history
                or input_tokens_per_request >= {{ ratio }} * usual_input_per_request
                or input_tokens_per_request >= {{ extreme_ratio }} * peer_median_input_per_request
            )
            -- logs and dumps pasted while handling an incident are the incident's work
            and incidents_acknowledged + incidents_resolved = 0
            -- the answers are a sliver of the context: questions about pasted code, not work on it
            -- (a batch job that writes a page for every page it reads is not this)
            and output_tokens <= {{ stuffing_max_output_ratio }} * (input_tokens + cache_write_tokens)
            -- material: the uncached context adds up to weeks of a typical engineer's tokens
            and input_tokens >= {{ stuffing_min_weeks }} * peer_median_tokens
            -- pasting code to ask about it is how people learn a codebase
            and (
                week_start >= {{ dbt.dateadd('day', learning_days, 'adopted_week_start') }}
                or input_tokens_per_request >= {{ extreme_ratio }} * peer_median_input_per_request
            ),
            false
        ) as has_context_stuffing,
        coalesce(
            premium_tiny_requests >= {{ min_requests }}
            and (
                premium_tiny_share >= {{ premium_tiny_share }}
                or (
                    premium_tiny_share >= 0.5 * {{ premium_tiny_share }}
                    and premium_tiny_share
                    >= {{ extreme_ratio }} * coalesce(peer_median_premium_tiny_share, 0)
                )
            )
            and premium_tiny_share >= {{ ratio }} * coalesce(peer_median_premium_tiny_share, 0)
            and (
                not has_history
                or premium_tiny_share >= {{ ratio }} * usual_premium_tiny_share
                or premium_tiny_share >= {{ extreme_ratio }} * coalesce(peer_median_premium_tiny_share, 0)
            ),
            false
        ) as has_premium_for_trivia,
        -- the most expensive tier by default: most of the week's requests, far above the role's share,
        -- as a habit (a week of many premium sessions among usual weeks of few is how models get
        -- tried), in a week whose work is no more than others'
        coalesce(
            premium_requests >= {{ min_requests }}
            and premium_share >= {{ premium_default_share }}
            and premium_share >= {{ ratio }} * coalesce(peer_median_premium_share, 0)
            and (not has_history or usual_premium_share >= {{ premium_habit_share }})
            and output_units <= {{ premium_default_max_output }} * peer_median_output_units,
            false
        ) as has_premium_default,
        -- the tools proposed code and the engineer kept a fraction of what they and their peers keep,
        -- in a week of at least their usual spend: usage not put to work
        coalesce(
            lines_suggested >= greatest(peer_median_lines_suggested, {{ acceptance_min_lines }})
            and acceptance_rate <= {{ acceptance_ratio }} * peer_median_acceptance_rate
            and (not has_history or acceptance_rate <= {{ acceptance_ratio }} * usual_acceptance_rate)
            and (not has_history or tokens_vs_usual >= 1),
            false
        ) as has_acceptance_collapse,
        coalesce(
            off_hours_unattended_agent_requests >= {{ off_hours_min_agent_requests }}
            and off_hours_agent_requests >= {{ ratio }} * coalesce(peer_median_off_hours_agent_requests, 0)
            and incidents_acknowledged + incidents_resolved = 0
            and (
                off_hours_active_hours >= {{ around_the_clock_hours }}
                or (
                    off_hours_active_hours >= {{ off_hours_min_hours }}
                    and (
                        not has_history
                        or (
                            tokens_vs_usual >= {{ step_ratio }}
                            and off_hours_agent_requests >= {{ ratio }} * usual_off_hours_agent_requests
                        )
                        or off_hours_unattended_agent_requests >= {{ extreme_ratio }}
                        * greatest(peer_median_off_hours_agent_requests, {{ min_requests }})
                    )
                )
            ),
            false
        ) as has_unattended_agents,
        coalesce(
            idle_agent_sessions >= {{ idle_min_agent_sessions }}
            and unfollowed_share >= {{ unfollowed_share }}
            and (
                not has_history
                or (
                    idle_agent_sessions >= {{ ratio }} * greatest(usual_idle_agent_sessions, 1)
                    and tokens_vs_usual >= {{ step_ratio }}
                )
            ),
            false
        ) as has_idle_agent_swarm,
        coalesce(
            snapshot_hour_of_week is not null
            -- a burst that came with twice the delivered work (lines accepted aside, which a burst
            -- makes by itself) of the usual week and of the role's is a push to ship (a migration, a
            -- crunch, an incident), not a climb up a board
            and not (
                (not has_history or delivered_units >= {{ burst_delivered_output }} * usual_delivered_units)
                and delivered_units >= {{ burst_delivered_output }} * peer_median_delivered_units
                and delivered_units > 0
            )
            and (
                (
                    is_snapshot_aligned
                    and snapshot_window_share >= {{ burst_min_share }}
                    and snapshot_window_tokens >= 0.5 * peer_median_tokens
                    and (not has_history or snapshot_window_tokens >= 0.5 * usual_tokens)
                )
                or (
                    snapshot_window_requests >= {{ burst_min_requests }}
                    and snapshot_window_requests >= {{ burst_ratio }} * peer_median_busiest_window_requests
                    and (
                        not has_history
                        or snapshot_window_requests >= {{ burst_ratio }}
                        * coalesce(usual_busiest_window_requests, peer_median_busiest_window_requests)
                        or snapshot_window_requests
                        >= {{ extreme_ratio }} * peer_median_busiest_window_requests
                    )
                )
            ),
            false
        ) as is_snapshot_burst_week,

        -- supporting signals, each half a flag
        coalesce(
            prompted_requests >= {{ min_requests }}
            and repeated_prompt_share >= {{ some_repeat_share }}
            and repeated_prompt_share < {{ repeat_share }}
            and repeated_prompt_share >= {{ ratio }} * coalesce(peer_median_repeated_share, 0)
            and not {{ is_suite }},
            false
        ) as has_some_replayed_prompts,
        coalesce(
            has_history
            and usual_tokens > 0
            and tokens_vs_usual >= {{ step_ratio }}
            and total_tokens >= peer_median_tokens
            and coalesce(output_vs_usual, 0) <= {{ flat_output_ratio }},
            false
        ) as has_usage_without_output,
        coalesce(
            prs_closed_unmerged >= {{ throwaway_min_prs }}
            and prs_closed_unmerged >= 0.5 * prs_opened
            and prs_closed_unmerged >= 2 * usual_prs_closed_unmerged
            and total_tokens >= {{ ratio }} * peer_median_tokens,
            false
        ) as has_throwaway_pull_requests,

        -- spend with none of the work the engineer usually shows, or (when that is their habit) far
        -- above the role's and with no more output than usual, once past the weeks of learning after
        -- they took AI up: a flag on its own
        coalesce(
            has_history
            and commits + prs_opened + prs_merged + incidents_acknowledged + incidents_resolved = 0
            and coalesce(lines_accepted, 0) <= {{ no_outcome_max_acceptance }} * coalesce(lines_suggested, 0)
            and (
                (
                    usual_code_outcomes >= 2
                    and tokens_vs_usual >= 1.5
                    and total_tokens >= peer_median_tokens
                )
                or (
                    total_tokens >= {{ ratio }} * peer_median_tokens
                    and output_units <= 0.5 * peer_median_output_units
                    and coalesce(output_vs_usual, 0) <= 1
                    and week_start >= {{ dbt.dateadd('day', learning_days, 'adopted_week_start') }}
                )
            ),
            false
        ) as has_spend_without_outcome,

        -- usage kept just above the team's average of the week before, week after week: a level
        -- aimed at, as a dashboard shows it, not one that work produces (which wanders)
        coalesce(
            is_in_team_band
            and recent_weeks_in_team_band >= {{ band_min_weeks }},
            false
        ) as has_team_average_tracked

    from compared_weeks

),

-- A board is chased more than once: one burst before the snapshot in a half-year is what chance gives
-- many people (the snapshot hour is where bursts end more often than chance, not only), so a burst is
-- a signal when the engineer has another within a few weeks either side.
burst_repeated as (

    select
        *,
        cast(sum(case when is_snapshot_burst_week then 1 else 0 end) over (
            partition by employee_id
            order by week_start
            range between interval '{{ burst_repeat_days }} days' preceding
            and interval '{{ burst_repeat_days }} days' following
        ) as {{ dbt.type_bigint() }}) as snapshot_burst_weeks_nearby
    from signaled

),

final as (

    select
        {% for column in compared_columns + signal_columns -%}
            {{ column }},
        {% endfor -%}
        coalesce(
            is_snapshot_burst_week and snapshot_burst_weeks_nearby >= {{ burst_min_weeks }}, false
        ) as has_snapshot_burst,
        is_snapshot_burst_week,
        snapshot_burst_weeks_nearby,
        -- Output that rose with the usage explains it: a volume signal then does not count.
        coalesce(output_vs_usual >= 0.8 * tokens_vs_usual, false) as has_proportional_output
    from burst_repeated

)

select * from final
