"""Kestrel Air: a synthetic airline's engineering organisation, written as a landing zone.

The organisation
----------------
Kestrel Air is a mid-sized passenger and cargo airline that builds most of its own software. Its
engineers sit in six offices: Dublin (headquarters), Kraków, Toronto, Denver, Bengaluru and Singapore,
each with its own time zone, daylight-saving switches and public holidays (Irish bank holidays, Polish
Corpus Christi, Ontario's Civic Holiday, US Thanksgiving, Deepavali, Hari Raya Haji, ...). Teams of
roughly eight engineers and a manager belong to areas (Booking & Checkout, Fares & Pricing, Crew
Scheduling, Disruption Recovery, Maintenance Records, Site Reliability, Revenue ML, AI Enablement,
Compliance Engineering and more) grouped into departments under a director; each team owns GitHub
repositories under ``kestrel-air/`` and the services built from them. People are hired on Mondays and
leave on Fridays during the period; everyone takes leave (long summer holidays in Europe, Deepavali in
India, a few sick days) and teams crunch before releases (more merged PRs, more AI, evenings and the
odd weekend). Weather disruptions hit one region for one to three days at a time.

The AI tools
------------
Claude Code (per request, Anthropic prompt caching, Sonnet/Opus/Haiku), Cursor (agent and chat per
request, tab completions as hourly buckets), GitHub Copilot (hourly completion buckets, chat, code
review; seat-licensed, so no cost on the row), the OpenAI API (personal and team keys named
``kestrel-<login>``, ``ka-<area>-eval-<login>``, ...) and Jetstream, the internal agent on Bedrock
(Okta user ids). ``identities`` maps accounts to employees; a few Cursor accounts are left to the
email match (some typed with capitals), and two automation keys (CI release notes, support macros)
belong to nobody. Token shapes, caching
and prices are described in ``orchestration.kestrel.usage``; the organisation's prices (with one
mid-period discount) land in ``model_prices``.

The leaderboard
---------------
AI Enablement publishes weekly token leaderboards (see ``orchestration.kestrel.leaderboard``). Some
people game them. Nothing in the landing zone says when the snapshots are taken.

Personas (``persona_kind`` in the ground truth)
-----------------------------------------------
``ordinary``
    ``non_adopter`` (no AI at all), ``light_user``, ``steady_user``, ``late_adopter`` (starts mid-period
    and ramps up over a few weeks).
``legitimate_heavy`` -- heavy usage that is real work; never inflated
    ``power_user``: agent-heavy engineers who merge proportionally more pull requests.
    ``migration_lead``: weeks-long migrations driven through agents, with large merged PRs.
    ``oncall_responder``: Site Reliability engineers who resolve many incidents and work them with AI at
    any hour, nights and weekends included.
    ``staff_reviewer``: staff engineers whose output is reviews across their department, each prepared
    with an AI review session; few PRs of their own.
    ``new_hire_learner``: recent hires who ask a lot while they learn the codebase, with little history.
    ``certification_author``: engineers assembling regulatory evidence (EASA Part-CAMO, PCI DSS, IOSA)
    who read regulations and code in very long, cached contexts during audit windows and merge a few
    large documentation PRs into ``certification-evidence``.
    ``eval_harness_owner``: Revenue ML and Data engineers whose evaluation harness replays the same eval
    set through the OpenAI API every night after they commit, plus a weekly regression run on Saturday
    night: identical prompt hashes, night-time, API keys, and all of it real work.
    ``irops_analyst``: Disruption Recovery engineers who, during weather disruptions, use AI from dawn to
    midnight (weekends included) to write recovery scripts, ship hotfixes and resolve the rebooking
    incidents; bursty, episodic, and honest.
    ``enablement_coach``: AI Enablement engineers who run live workshops every few weeks, replaying the
    same demo prompts (often on premium models) dozens of times in front of a room, with few PRs that week.
    Release crunches raise everyone's usage in their team's crunch weeks, with the merged PRs to match.
``inflator`` -- each has one style (the persona's name is the style's)
    ``performative_topup`` (the most common): keep doing the normal job and top up with make-work
    sessions until the week lands just above the team-mates' average on the last board (some aim 2-12%
    above, some 10-45%); in weeks where real work already clears the bar they add nothing.
    ``leaderboard_burst``: bursts of parallel agent sessions in the hours before the snapshot, in the
    weeks they chase the board.
    ``background_agents``: agents left looping over pointless tasks, mostly evenings and nights, some
    over weekends and holidays, some while on leave.
    ``regenerating_code``: regenerating the same edits again and again, accepting almost none.
    ``context_stuffing``: pasting whole codebases into chats, uncached, hundreds of thousands of tokens a
    request.
    ``premium_model_for_trivia``: Opus, o3-pro or GPT-5 Pro for one-line questions, all day.
    ``prompt_replay_script``: a personal script on an OpenAI key replaying the same prompts on a timer.
    ``throwaway_prototypes``: agent-built prototypes nobody asked for, opened as draft PRs and closed
    unmerged.
    Inflators vary in intensity (subtle, moderate, blatant), start at different weeks, some stop, and
    most styles come in episodes.

The landing zone
----------------
``generate(out, ...)`` writes every canonical table of the contract as Parquet into its own folder of
``out`` (``people/``, ``teams/``, ``model_prices/``, ``repositories/``, ``services/``, ``identities/``,
``pull_requests/``, ``pr_reviews/``, ``commits/``, ``deployments/``, ``incidents/``) and the usage as
``ai_usage_events/date=YYYY-MM-DD/part-0.parquet``, one file per UTC day. Timestamps are UTC without a
zone. The only dirt is what the contract says the warehouse absorbs: on a few days the usage export ran
twice and re-delivered some rows identically (``part-1.parquet``), some accounts are matched by email
rather than listed, and two keys stay unmatched. Same seed, same bytes.

Ground truth
------------
``_ground_truth/engineer_weeks.parquet`` has one row per engineer (every employee but managers and
directors) and UTC ISO week they were employed in the period: ``employee_id``, ``week_start``,
``persona``, ``persona_kind``, ``is_inflated``, ``inflation_style`` and ``ai_total_tokens`` (input +
cached + cache-write + output tokens of the week's events). Every request is tagged, inside the
simulation, as inflating or not; **a week is inflated when the engineer is an inflator and the week's
inflating requests total at least 250,000 tokens and at least 20% of the week's tokens or of the week's
cost**. Legitimate heavy personas are never inflated; an inflator's weeks outside their episodes, or
whose top-up was negligible, are not inflated. ``_ground_truth/manifest.json`` records the parameters.
"""

from orchestration.kestrel.simulate import Summary, generate

__all__ = ["Summary", "generate"]
