"""Harbor: a synthetic organisation designed apart from the project's first generator family.

Harbor exists so the consumption flags can be judged on an organisation whose assumptions they
have never seen. It shares no code with the other family: its own roster, its own idea of how
people use AI tools, and its own mechanics for inflated use.

The organisation
----------------
About nine engineers per team and one manager each (managers are people, not engineers in the
truth). A few teams are SRE teams (department `Infrastructure`) that own shared services; the
rest own product repositories and services. Teams sit in one of ten IANA zones from Los Angeles to
Sydney, and about a fifth of people live elsewhere than their team. Roles: `engineer`, `sre`,
`staff_engineer`, `manager`. Engineers use one to four tools under their own accounts:
`claude_code` (the work email, or an API key named `cc-<login>`), `cursor` (the email, or a
personal Gmail address), `copilot` (the GitHub login), `openai_api` (key names such as
`key-<login>-cli`) and `internal_agent` (`agent/<login>`); `identities` maps every account that
is not the work email, and some that are. Commits written with an agent carry its co-author
trailer (Claude, Cursor Agent, Copilot). `dependabot[bot]` opens dependency pull requests.

Every request belongs to a session: a start, a number of requests, a mean gap and how regular
the gaps are, and a token profile. People open sessions in their own working hours (local time,
weekdays, rarely weekends); their gaps vary; agents read large cached contexts, tab completions
are small and come from a small model (`gpt-5-mini`, Copilot's `gpt-4.1`), chats sit between.
The organisation's own prices are in `model_prices`; Cursor rows carry their billed cost.

Personas (shares of engineers)
------------------------------
Ordinary (76%): `non_adopter` (no AI use), `light_user`, `steady_user`, `late_adopter` (no use
until a week between a fifth and seven tenths of the period, a partial first week, then steady).

Legitimate heavy (about 10%), never inflated:
- `power_user`: nearly three times the steady requests, more of them agent work, and 2.8 times
  the pull requests.
- `migration_lead`: a 3-6 week migration with five to eight times the usage, mostly agent
  sessions, and three times the merged pull requests (labelled `migration`, three times larger).
- `oncall_sre`: every second to fourth week on call; one or more incidents a night, created
  between 23:00 and 04:30 in their zone and resolved before morning, with `responder_email` =
  them, and a burst of large-context chat requests between creation and resolution.
- `staff_reviewer`: a staff engineer who submits 14-30 reviews a week across the organisation
  and few pull requests; before each review a short `request_kind='review'` session with inputs
  of about 20k tokens.
- `new_hire`: hired inside the period; chat-heavy usage (three times normal, falling over four
  weeks) while merged pull requests ramp up from none over five weeks.
- Release crunch: one week (two when the period has 12 weeks or more) in which everyone's usage
  rises 1.6-2.1 times and pull requests 1.5 times. It is an organisation-wide week, not a persona.

Inflators (about 13%), each with one style. Each inflates in some weeks only: from an onset to the
end, in bouts (each week with a chance of 35-75%), or in one spell of 3-8 weeks. `is_inflated` is
true for a week only when events of that style landed in it. Each inflator also has a strength
(lognormal around one half, between 0.1 and 1.5) that scales the number of sessions or requests
of the style, so some inflators are blatant and others barely show; the sizes below are at
strength 1.
- `idle_agent`: `internal_agent` runs left going for 6-30 hours from the evening on, any day of the
  week: one request every 40-150 seconds with 3% jitter, near-identical token counts, no lines
  accepted, no commits.
- `regeneration`: bursts of 25-80 requests 20 seconds apart in working hours, each burst asking
  the same thing in three wordings; about 60 suggested lines a request, 2% accepted, no commits.
- `context_stuffing`: sessions whose requests carry about 380k uncached input tokens (up to 950k)
  and hardly any cache reads.
- `premium_trivial`: dozens of tiny questions (about 160 tokens in, 45 out) on the most expensive
  model (`claude-opus-4-1`, or `gpt-5-pro` for API-key users). It inflates cost, not tokens.
- `prompt_replay`: scripts on an API key (`key-<login>-batch`) sending one of the person's one to
  three prompts verbatim (one `prompt_hash`) 100-700 times, 3-12 seconds apart, at a fixed hour.
- `throwaway_prototypes`: one to three prototypes a week, each built by 3-8 agent sessions in the
  30 hours before a pull request labelled `prototype` that is closed unmerged 1-14 days later.
- `performative`: chat requests added to a normal week so that the week's tokens land 3-22% above
  the average of the honest engineers of the same team that week (outcomes unchanged).
- `leaderboard`: one burst of 120-600 requests in the 1-7 hours before the weekly leaderboard
  snapshot. The snapshot's weekday, hour and zone are drawn per seed; they appear only in
  `_ground_truth/manifest.json`, never in the landing zone.

The landing zone
----------------
Folders per CONTRACT.md section 1, files per ISO week: `ai_usage_events/week=<monday>/events.parquet`,
`pull_requests` (parquet), `pr_reviews` and `deployments` (CSV), `commits` and `incidents` (JSON
lines, commit author times with the author's UTC offset); `people`, `teams`, `repositories`,
`identities`, `model_prices` (CSV) and `services` (JSON lines). Replays: about 1% of each week's
usage events land again in `ai_usage_events/replays/` (40% of them with corrected output tokens);
pull requests and incidents whose state changed after their weekly export land again with the
final state in `refresh/`. Late rows: 3% of Copilot's usage events land a week late, in
`ai_usage_events/late/week=<next monday>/`, written with the next week's files. Each file's
modification time is set in writing order, after the period ends, so every replay lands after
the row it replaces. No malformed rows are written.

The ground truth
----------------
`_ground_truth/engineer_weeks.parquet`: one row per engineer (roles `engineer`, `sre`,
`staff_engineer`) and employed ISO week in the period, counting what the landed data holds (the
last-landed copy of each key) by the measures of CONTRACT.md section 2; `commits` counts the
engineer's commits by author time. `_ground_truth/manifest.json`: seed, sizes, the snapshot
schedule, the crunch weeks, counts per persona and inflated weeks per style.

`--events` is not used: the volume follows from the personas (about 100 usage events per
engineer-week).
"""

from orchestration.generator.harbor.landing import HarborSummary, generate

__all__ = ["HarborSummary", "generate"]
