"""Brae Health: the digital division of a hospital network that builds its own clinical software.

The organisation
    About two thousand engineers (the size is a parameter) in four departments: Clinical Systems
    (EPR integrations, clinical decision support, pharmacy, laboratory and imaging systems, the
    integration engine), Patient & Access (the patient app, scheduling and referrals, billing and
    claims, identity and consent), Data & AI (data platform, clinical analytics, the AI platform,
    clinical NLP, terminology services) and Platform & Security (site reliability, security, developer
    platform, network and devices). Teams of about ten engineers sit mostly in one of five
    offices: Edinburgh, Kraków, Pune, Halifax and Brisbane, each with its own public holidays, its
    own leave season and its own daylight-saving rules. A few engineers join during the period and
    a few leave; everyone takes leave in blocks and is sometimes off sick, more so in winter.

    Each department runs its own release train: Clinical Systems ships the EPR release twice in the
    period with two crunch weeks before each go-live and a change freeze in the go-live week; the
    patient app ships every six weeks; the data platform has quarterly releases; Platform & Security
    cuts over the data-centre network (crunch, then freeze) and prepares the ISO 27001 surveillance
    audit. Over the holidays the whole network freezes change. In a crunch week people use AI more and
    merge more; in a freeze they merge little and clinical repositories wait for the next window.
    Clinical repositories need two approvals and deploy in change-advisory windows on Tuesday and
    Thursday evenings; the rest deploy daily. Incidents come from each service's own failure rate, a
    winter surge, the go-live weeks, bad deployments, and outages of clinical systems (PACS, the ADT
    feed, e-prescribing, lab results, the patient app's login, the claims clearinghouse, the site VPN)
    that page several services at once. A team's weekly on-call answers sev3 and sev4; sev1 and sev2
    go to Site Reliability's incident commanders, one for each half of the UTC day.

AI tools
    Everyone has a Copilot seat (completions land as hourly buckets, chat per request; the seat covers
    the cost). Claude Code (Sonnet 4.5 by default, Opus allowed, Haiku for its own small chores) and
    Cursor (Sonnet, GPT-5, Composer, sometimes Opus; billed per request) are licensed to about half
    of the engineers, more in Data & AI. Some people have a personal OpenAI key (`key-<login>`), and
    everyone can use the AI platform's internal agent, which routes to Sonnet through the gateway or,
    for anything holding patient data, to a self-hosted Llama charged back at GPU cost. Claude Code
    reuses a growing cached context on every turn and writes the new part to the cache; OpenAI and
    the self-hosted model have no cache writes; embeddings have no output. `model_prices` carries the
    organisation's own prices, with Anthropic's models discounted from the start of an enterprise
    agreement about two fifths into the period. Copilot accounts are GitHub logins; Claude Code and
    Cursor accounts are emails, most listed in `identities`, the rest matched by email (a few Cursor
    accounts in mixed case); the internal agent reports the user's email and is matched by email
    only. Four automation accounts belong to nobody: the claims EDI parser, the nightly discharge
    summary evaluation, the ward agent's scheduler and the FHIR conformance job in CI.

Leaderboards
    The monthly "AI Champions" board ranks everyone at 16:00 Edinburgh time on the last Friday of
    each month; Clinical Systems and Data & AI also get a weekly department digest cut at 07:00 UTC on
    Mondays, from its launch in the first weeks of the period.

Personas
    Ordinary: `non_user` (never uses AI), `tab_completer` (Copilot completions and little else),
    `occasional`, `regular`, and `late_adopter` (no AI until a week in the middle of the period,
    then a two-week ramp into regular use, and slightly more merged work afterwards).
    Legitimate heavy users, whose usage is real work and never inflated:
    `power_user` (long agent sessions, about twice the merged pull requests, most commits AI
    co-authored); `migration_lead` (moving legacy interfaces for several weeks: huge cached contexts,
    large multi-file pull requests labelled `migration`); `oncall_responder` (Site Reliability's
    incident commanders: they resolve the sev1 and sev2 incidents and use AI at any hour while one is
    open); `staff_reviewer` (reviews across the department, a review-agent request for each);
    `new_hire_learner` (joins in the period and asks a great deal about the codebase, fading over
    the first months, while their pull requests ramp up); `interface_mapper` (pastes batches of
    real HL7 messages and interface specifications, uncached because every batch differs, half of it
    to the self-hosted model because it holds patient data); `validation_author` (writes clinical
    safety test protocols and traceability evidence with long outputs, mostly in the weeks before
    the audit); `terminology_curator` (after each monthly SNOMED CT release a night of embedding and
    classifying every changed concept through their own key, plus a weekly dm+d refresh).
    Inflators keep doing their normal job and add padding in one style each (the persona is the
    style): `leaderboard_topper` (extra agent sessions through the working day, output mostly
    discarded: the common kind), `snapshot_burster` (long sessions in the day and a half before a
    snapshot of the board they chase), `idle_agent` (an agent left looping on a pointless task in
    the evenings and at weekends), `regenerator` (asks again and again for code that already exists,
    accepting none of it), `context_stuffer` (pastes a whole repository into every question),
    `premium_for_trivia` (Opus for one-line questions), `prompt_replayer` (a script replaying a
    handful of prompts at a steady pace through the working day), `draft_pr_padder` (agent-built
    prototypes opened as draft pull requests and closed unmerged), `model_fanout` (sends each
    question to three to five models and tools at once "to compare") and `review_churner`
    (re-requests the review agent on their own unchanged change many times a day). Each starts in a
    week of their own, pads in most weeks but not all, at an intensity of their own (a fifth of them
    only lightly), and some stop part-way; they pad less when on leave, except that an idle agent
    sometimes keeps running.

Ground truth
    `_ground_truth/engineer_weeks.parquet` has one row per engineer (everyone but managers and
    directors) and UTC ISO week they were employed, with their persona, its kind, the week's AI tokens
    (input, cached input, cache write and output of all their accounts' requests in the week) and
    whether the week is inflated. An inflator's week is inflated when its padding is material: at
    least 5 padding requests in the week, and either the padding's tokens are at least 150,000 and at
    least 20% of the tokens of their genuine requests that week, or the padding's cost at the
    organisation's prices is at least US$10 and at least 20% of their genuine requests' cost. Weeks
    of ordinary and legitimately heavy people are never inflated. `manifest.json` records the
    family, size, seed and start, the boards and the rule's thresholds.
"""

from orchestration.brae.generator import Summary, generate

__all__ = ["Summary", "generate"]
