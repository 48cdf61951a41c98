"""The lattice family: a synthetic organisation designed on its own assumptions.

Why a fourth family
-------------------
A detector of inflated AI consumption is only credible on organisations whose habits it has not
seen. Lattice is written from the landing-zone contract alone, with its own idea of how people use
AI tools, what legitimately heavy use looks like, and how people inflate usage.

The organisation
----------------
* Teams of 6-11 engineers, each with one manager (managers hold no AI seats and are not in the
  truth). Teams sit in one of ten IANA zones; one person in five lives in another zone. Everything
  a person does by hand happens in their own local hours (converted through `zoneinfo`, DST
  included); weekend work is rare. A few teams are reliability teams (role `sre`) that own more
  services and carry the noisier pager.
* Roles: engineer, senior_engineer, data_engineer, sre, staff_engineer, manager, director.
* About 8% of engineers are hired during the period (on a Monday), about 5% leave (on a Friday).
* Tools: claude_code (work email), cursor (a personal alias e-mail, mapped in identities),
  copilot (the GitHub login), openai_api (one or two API-key names) and internal_agent (a
  service account per person). Each adopter uses one to three of them with personal weights.
* Models and the organisation's own prices (model_prices): claude-opus-4-1 and o3-pro are the
  expensive top tier; claude-sonnet-4-5, gpt-5, gpt-4.1 are mid; claude-haiku-4-5, gpt-5-mini,
  gpt-4o-mini and cursor-small are cheap. claude_code, openai_api and internal_agent report a
  billed cost; cursor and copilot leave it null (priced by the warehouse).
* Request sizes depend on the kind: tab completions are tiny, chat moderate, agent steps read a
  large cached context, reviews read a diff.
* Calendar: round(W/13) organisation-wide holiday weeks (a third of the usual activity), round(W/10)
  quiet weeks (three quarters), and release crunches of two weeks each (half again as much usage
  and a third more shipped work). Each person also takes a few vacation weeks of near silence.
* Delivery: pull requests per engineer-week (merged 86%, closed unmerged 7%, the rest left open,
  a fifth opened as drafts), 1-5 commits each (commits carry a `Co-authored-by:` trailer of the
  tool the author mostly uses with a per-person probability once they adopted), reviews by
  teammates and staff engineers, staging and production deployments after merges (5% failures,
  2% errors), incidents per service (some caused by a failed deployment) resolved by the team's
  on-call of the week. Bot PRs from dependabot[bot] and renovate[bot]. A slice of one week's
  usage lands twice (a replayed export).

Ordinary personas
-----------------
non_adopter (no AI), light_user, steady_user (some adopt inside the data), late_adopter (adopts
in the second half). AI adoption lifts an adopter's PR rate by 5-20%.

Legitimately heavy personas (persona_kind = 'legitimate_heavy', never inflated)
-----------------------------------------------------------------------------
* power_user: 3-5x the requests of a steady user, mostly agent steps, and 1.8-2.6x the merged PRs.
* migration_lead: a 4-8 week migration window with ~4x usage and ~2.5x PRs (labelled migration).
* oncall_sre: in a reliability team; in their on-call weeks they resolve most of their services'
  incidents, which happen at any hour, and use AI heavily between acknowledging and resolving
  them (nights included).
* staff_reviewer: role staff_engineer; few PRs of their own, many reviews across the org, with a
  handful of large `review`/chat requests in the ninety minutes before each review.
* new_hire_learner: hired inside the period; the first 3-6 weeks are chat-heavy with little
  output, then they settle into steady use.
* platform_automator (this family's own): runs infrastructure changes in maintenance windows
  (Tuesday/Thursday from 22:00 local) with long agent sessions; the outcome lands as direct
  commits to the team's infra repository and production deployments, not as pull requests.
  A detector that only looks at PRs, or that distrusts late-night agent work, accuses them.

Inflation (about 11% of engineers; at least one per style)
----------------------------------------------------------
Inflators are drawn from the adopting ordinary personas and keep doing their normal job. Each
inflates in a pattern of weeks (sustained from some week, intermittent with 40-80% of weeks, or a
2-5 week episode), with a per-person intensity and a per-week log-normal jitter. Except for the
two unattended styles (idle_agents, prompt_replay), nothing is inflated in vacation weeks.

* idle_agents: 1-4 background agent runs a week, 3-14 hours each started in the evening or on a
  Friday afternoon, one agent step every 2-8 minutes, large cached context, nothing accepted;
  internal_agent or claude_code, sonnet (opus a quarter of the time).
* code_regeneration: 40-200 requests in work hours in bursts of 3-6 identical prompts minutes
  apart, large outputs and many suggested lines, almost none accepted.
* context_stuffing: 15-80 chat requests with ~250k (up to 900k) uncached input tokens each and
  ordinary outputs.
* premium_default: 80% of the week's ordinary requests moved to the top tier (opus or o3-pro)
  plus 80-300 tiny chat questions on it.
* prompt_replay: a script on an API key replays 1-5 fixed prompts (identical hash, near-identical
  token counts) every 10-30 minutes over 1-3 runs of 6-30 hours.
* throwaway_prototypes: 1-3 PRs a week of large AI-written features (AI trailers on commits),
  closed unmerged 1-4 days later, and 50-200 agent steps that wrote them.
* leaderboard_burst: the weekly token leaderboard is snapshotted on Wednesdays at 18:00
  America/Chicago; bursts of 60-400 requests in the 1-7 hours before it.
* peer_topping (the most common, about 30%): the only figure a person sees is their team's
  dashboard, last week's mean tokens per engineer of their team. They add ordinary-looking chat
  and agent requests, spread over their work hours, so that their own tokens land at about
  1.05-1.30x that mean (at least 15% on top of their own week). The padding is sized last, against
  what the team really used the week before, other inflators and heavy users included.

Truth
-----
`_ground_truth/engineer_weeks.parquet`: one row per engineer (not managers) and UTC ISO week
employed; an inflator's persona is their ordinary persona, persona_kind 'inflator', and a week is
inflated when the style's requests were written for it. Inflated requests are kept inside their
UTC week. `_ground_truth/manifest.json` has the seed, sizes, counts per persona and style and the
leaderboard snapshot schedule.
"""

from orchestration.lattice.simulate import Summary, generate

__all__ = ["Summary", "generate"]
