"""Meridian: a synthetic organisation designed apart from the acme and harbor families, so the
consumption flags can be judged on assumptions they were not built around.

`airoi generate --family meridian` writes Meridian's landing zone (the contract's canonical tables)
and, beside it, `_ground_truth/engineer_weeks.parquet` and `_ground_truth/manifest.json`.

The organisation
    A payments and marketplace company of six departments: Payments, Platform, Reliability, Data,
    Mobile and Growth. Teams of about eight engineers each have a manager; department heads and a
    CTO complete the roster (role `manager`: in `people`, not in the truth). Each department has
    home zones (thirteen IANA zones from Los Angeles to Sydney) and one in seven people live away
    from their team's zone. Everyone works in their own local hours (starting between 7 and 11,
    for 7.5 to 9.5 hours), with an evening tail and rare weekends, across daylight-saving changes.
    Roles: engineer, senior_engineer, staff_engineer, sre, data_engineer, mobile_engineer, manager.
    Most people joined years ago; some join on a Monday inside the period, some leave on a Friday,
    and people take whole weeks of holiday.

    Tools and accounts: Claude Code (the work email, sometimes in mixed case, and for some a
    second account from an acquired company's domain), Cursor (work email or an alias), Copilot
    (the GitHub login; inline completions come as one bucket per account and day, as its metrics
    export does), the OpenAI API (one or two named keys) and an internal agent platform
    (`pilot/<login>`). Identities list every account that is not a work email. A CI job's shared
    key belongs to nobody and stays unmatched on purpose. Ten models, from a self-hosted coder and
    the tab models to the top tier (Opus, o3-pro); Claude Code, the OpenAI API and the internal
    platform report cost, Cursor and Copilot leave it to the price table, which Meridian supplies
    (its Sonnet price drops under an enterprise agreement halfway through).

    Delivery: pull requests (drafts, merges after the last review, about one in eleven abandoned,
    dependency bots), commits (AI co-author trailers by persona and adoption), reviews (teammates;
    the department's staff engineers take about 13% of review slots, managers 3%), deployments
    (staging, then production on working days after merges) and incidents (about 1.6 a week per
    Reliability service, 0.3 elsewhere), resolved by the owning team's weekly on-call; a quarter
    follow a recent production deployment. Each department has a two-week release crunch and the
    whole organisation a release week in the middle: a team's usage rises 35-90%, it ships 30-70%
    more, and works more evenings and weekends. Adopters merge about 12% more pull requests
    after adopting (light users about 4%).

Personas (share of engineers; the truth's `persona`, `persona_kind`)
    ordinary: non_adopter 15%, light_user 20% (active in about two weeks of three), steady_user
    27.5%, late_adopter 9% (adopts between week 3 and three weeks before the end, ramping up).
    legitimate_heavy, never inflated:
    - power_user 5%: long agent runs, some left working through the evening on a real task; about
      four times a steady user's tokens and three times the merged pull requests.
    - migration_lead 2%: a 3-6 week migration with three times the agent sessions, larger contexts
      and 3.5 times the merged pull requests, labelled `migration`, across the department's repos.
    - oncall_responder 3.5%: Reliability SREs on call about one week in four; when paged, at any
      hour, they work the incident with AI from minutes after acknowledging it until it is
      resolved, and the first requests paste tens of thousands of tokens of logs.
    - staff_reviewer 2.5%: about fifteen reviews a week across the department, each prepared in a
      review session over a large diff; half a steady engineer's pull requests.
    - new_hire_learner 4.5%: hired in the period; for 4-8 weeks long chats that start by pasting
      the code they are reading (large uncached inputs), few pull requests at first.
    - release_crunch: an ordinary adopter's week in their department's release crunch is labelled
      `release_crunch` (the only persona that changes from week to week).
    inflator 11%: otherwise a light, steady or power user who keeps doing the job; a main style
    (one in five also a second), starting at the beginning or later, inflating every week, some
    weeks or in one episode, with a personal intensity that also varies by week.

Inflation styles (`inflation_style`; what the token log shows)
    idle_agents: agent runs on the internal platform or Claude Code, mostly started at the end of
    the day and left for one to ten hours, a request every 45-150 s on a steady, barely growing
    context, looping over a handful of prompts and accepting no code.
    regeneration: the same prompt sent two to six times within seconds (same hash, context from
    the cache), long code answers of which at most the last is accepted; also in their ordinary
    chats and agent runs.
    context_stuffing: fresh chats that paste 60-195k tokens of code each time, nothing cached.
    premium_trivia: dozens to hundreds of one-line questions on Opus or o3-pro with tiny answers,
    and most of their ordinary sessions moved to the top tier.
    prompt_replay: a script on a personal API key (or `claude -p`) sends the same one to four
    prompts every 10-30 minutes through the working day or around the clock, identical inputs,
    no session.
    throwaway_prototypes: long agent runs writing code that is accepted onto branches, and one or
    more draft-heavy pull requests a week, large, closed unmerged after a few days.
    leaderboard_burst: a rush of long, verbose requests in the hours before the department's
    weekly leaderboard snapshot: Payments Friday 15:00 New York, Platform and Reliability Thursday
    17:00 Berlin, Data Tuesday 16:00 Los Angeles, Mobile Friday 12:00 Sao Paulo, Growth Wednesday
    10:00 Singapore.
    performative_topup (the most common): ordinary-looking agent sessions that accept almost no
    code, added until the week's tokens sit 5-35% above the team's average as last week's dashboard
    showed it; a week already above that target is not inflated.

The truth: one row per engineer and ISO week employed. `is_inflated` says that some of the week's
requests (by their UTC week) came from inflation, `inflation_style` the style of most of them.
Extra columns (base_persona, team, department, role, crunch and on-call flags, the week's tokens,
requests, cost and inflated requests) help to read results; the manifest counts all of it.
"""

from orchestration.meridian.generate import Summary, generate

__all__ = ["Summary", "generate"]
