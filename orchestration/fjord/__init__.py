"""Fjord: a synthetic ferry-and-logistics software company, for `airoi generate --family fjord`.

The organisation
    Six business units (Voyages & Booking, Fleet & Port Operations, Payments & Loyalty, Platform &
    Reliability, Digital Channels, Data & ML) of teams of about eight engineers and a manager, each
    unit led by a director. People sit in Norway, Sweden, the UK, Estonia, Poland, Canada (Toronto,
    Halifax) and India, each with their own time zone, working hours (some start late) and public
    holidays; most of Norway takes three weeks of fellesferie in July, everyone else takes two
    summer weeks, and long weekends are scattered through the year. Some engineers join during the
    period (always on a Monday) and some leave; the SRE teams in Platform own the core services.
    The two weeks before each timetable release (ISO weeks 4, 14, 25, 36 and 44) are a crunch for
    everyone: more AI use, evenings and a Saturday, and more PRs.

Tools
    GitHub Copilot (tab completions as hourly usage buckets, chat, agent), Cursor (tab, chat, agent),
    Claude Code (chat, agent, review), the OpenAI API through personal or batch keys, and "Skipper",
    the internal agent platform on Bedrock. Each tool spells model names its own way and reports what
    it reports: Copilot no cache columns or prompt hashes, the OpenAI API no sessions or lines, Cursor
    and Skipper no cost. The organisation's negotiated prices land in `model_prices` (the OpenAI
    models get a discount half-way through the period).

Ordinary personas (`persona_kind` = ordinary)
    non_adopter (no AI; some try a single chat once), light_user, steady_user, autocomplete_only
    (tab completions only), late_adopter (nothing until a week in the period, then a four-week ramp).
    Within each persona intensity varies from person to person (log-normal) and week to week.

Legitimate heavy personas (`persona_kind` = legitimate_heavy, never inflated)
    power_user: agent sessions all day, several in parallel, and background agents whose work
    ships; about twice the merged PRs. migration_lead: a window of three to eight weeks of codemod
    agent runs every evening and large mechanical PRs (label `migration`). oncall_responder: SREs
    whose on-call weeks bring night-time chats full of pasted logs and agent investigations during
    the incidents they resolve. staff_reviewer: reviews across the unit (12-30 a week), each with an
    AI review of the diff, long design chats, and few PRs of their own. new_hire_learner: joins in or
    just before the period and asks the assistant about the codebase all day for ten weeks while
    their PRs ramp up. eval_harness_owner: runs the LLM feature's regression suite every night
    against two models through the API, the same fixed prompts over and over (the suite changes
    every few weeks), plus ad-hoc runs. localisation_engineer: translates the UI and timetable
    notices into nine languages in API batches whose output is as large as their input, each batch
    landing as a large `i18n` PR.

Inflation styles (`persona_kind` = inflator; `inflation_style` names the style of an inflated week)
    performative_topup: a normal job plus chats and agent runs that produce nothing, sized each week
    to sit just above the average the leaderboard showed last week for their unit or team (spread
    over the week, on Friday afternoon, or in the evening); the most common style. leaderboard_burst:
    parallel agent sessions piled into the 3-20 hours before their unit's leaderboard capture.
    background_agents: agents left running for hours on pointless tasks, nights and weekends included,
    whose edits nobody accepts (some open draft PRs that are closed). regenerate_existing: the same
    "rewrite this file" prompt retried three to ten times, large outputs, almost nothing accepted.
    context_stuffing: whole repositories pasted into chats (hundreds of thousands of input tokens a
    request). premium_for_trivial: the most expensive model and the slowest agent mode for every
    question, trivial ones included. prompt_replay: a script sending one to six fixed prompts at a
    steady interval during office hours, around the clock or at night. throwaway_prototypes: agent-
    built prototypes opened as large PRs (often drafts) and closed unmerged days later.
    Each inflator inflates in some weeks only or persistently, as their style goes.

Leaderboard ("Tidewater board") snapshots
    Until week round(0.55 x weeks) (periods of six weeks or more), each unit's board is captured
    weekly: Voyages and Fleet on Thursday 16:00 Europe/Oslo, Payments on Friday 11:30 Europe/London,
    Platform and Data on Monday 09:00 America/Toronto, Digital on Wednesday 18:00 Europe/Warsaw. From
    then on one company-wide board is captured every other Tuesday at 10:00 Europe/Oslo.

Output
    The landing zone of CONTRACT.md section 1, and `_ground_truth/engineer_weeks.parquet` (one row per
    engineer and UTC week employed: persona, persona_kind, is_inflated, inflation_style, tokens),
    `_ground_truth/people.parquet` and `_ground_truth/leaderboard_snapshots.csv`. The same seed
    writes the same bytes.
"""

from orchestration.fjord.build import Summary, default_start, generate

__all__ = ["Summary", "default_start", "generate"]
