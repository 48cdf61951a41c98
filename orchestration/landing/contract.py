"""The landing-zone contract (CONTRACT.md section 1) as data.

Ingest validates against it, the generator writes to it and the tests read it, so the
contract's names, types, keys and rules are stated once, here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["string", "integer", "decimal", "timestamp", "date"]

#: Warehouse type of each contract type, as DuckDB spells it.
DUCKDB_TYPES: dict[str, str] = {
    "string": "varchar",
    "integer": "bigint",
    "decimal": "decimal(18, 6)",
    "timestamp": "timestamp",
    "date": "date",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False
    non_negative: bool = False
    #: Accepted values, compared case-insensitively; ``None`` accepts any value.
    accepted: tuple[str, ...] | None = None
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    description: str = ""
    optional: bool = field(default=False)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [column.name for column in self.columns if column.required]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")


def _col(name: str, type_: ColumnType, req: bool = False, desc: str = "", **kw) -> Column:
    return Column(name=name, type=type_, required=req, description=desc, **kw)


_TOKENS = {"non_negative": True}

TABLES: dict[str, Table] = {
    table.name: table
    for table in [
        Table(
            name="ai_usage_events",
            key=("source_tool", "event_id"),
            description="One row per model request (or per usage bucket) of any AI tool.",
            columns=(
                _col("event_id", "string", True, "Unique within source_tool."),
                _col("occurred_at", "timestamp", True, "When the request was made (UTC)."),
                _col("source_tool", "string", True, "claude_code, cursor, copilot, openai_api, ..."),
                _col("actor_id", "string", True, "The account in that tool: email, login or key name."),
                _col("session_id", "string", False, "Groups requests of one session or agent run."),
                _col("model", "string", True, "Vendor model name as reported."),
                _col("request_kind", "string", False, "chat, completion, agent, tab, review, other."),
                _col("input_tokens", "integer", True, "Uncached input tokens.", **_TOKENS),
                _col(
                    "cached_input_tokens",
                    "integer",
                    False,
                    "Input tokens read from a prompt cache.",
                    **_TOKENS,
                ),
                _col(
                    "cache_write_tokens",
                    "integer",
                    False,
                    "Input tokens written to a prompt cache.",
                    **_TOKENS,
                ),
                _col("output_tokens", "integer", True, "Output tokens.", **_TOKENS),
                _col(
                    "cost_usd",
                    "decimal",
                    False,
                    "Billed cost; null means priced by the warehouse.",
                    **_TOKENS,
                ),
                _col("prompt_hash", "string", False, "Stable hash of the prompt text."),
                _col("lines_suggested", "integer", False, "Lines of code the tool proposed.", **_TOKENS),
                _col("lines_accepted", "integer", False, "Lines of code the user accepted.", **_TOKENS),
            ),
        ),
        Table(
            name="people",
            key=("employee_id",),
            description="The HR roster, one row per employee.",
            columns=(
                _col("employee_id", "string", True, "Employee key."),
                _col("email", "string", True, "Work email."),
                _col("full_name", "string"),
                _col("team_id", "string", True, "Current team."),
                _col("manager_employee_id", "string"),
                _col("role", "string", False, "engineer, manager, sre, ..."),
                _col("timezone", "string", False, "IANA zone; default UTC."),
                _col("hired_on", "date"),
                _col("left_on", "date"),
                _col("annual_loaded_cost_usd", "decimal", False, "Salary plus overhead.", **_TOKENS),
            ),
        ),
        Table(
            name="teams",
            key=("team_id",),
            description="One row per team.",
            columns=(
                _col("team_id", "string", True),
                _col("team_name", "string", True),
                _col("department", "string"),
            ),
        ),
        Table(
            name="model_prices",
            key=("model", "effective_from"),
            optional=True,
            description="The organisation's own prices; a price holds until the next one for the model.",
            columns=(
                _col("model", "string", True),
                _col("effective_from", "date", True),
                _col("input_usd_per_mtok", "decimal", True, **_TOKENS),
                _col("cached_input_usd_per_mtok", "decimal", True, **_TOKENS),
                _col("cache_write_usd_per_mtok", "decimal", True, **_TOKENS),
                _col("output_usd_per_mtok", "decimal", True, **_TOKENS),
            ),
        ),
        Table(
            name="repositories",
            key=("repo",),
            description="Which team owns each repository.",
            columns=(_col("repo", "string", True, "owner/name"), _col("team_id", "string", True)),
        ),
        Table(
            name="services",
            key=("service",),
            description="Which team owns each service.",
            columns=(_col("service", "string", True), _col("team_id", "string", True)),
        ),
        Table(
            name="identities",
            key=("source_system", "account_id"),
            description="Which tool account belongs to which employee.",
            columns=(
                _col("source_system", "string", True, "github, pagerduty, claude_code, cursor, ..."),
                _col("account_id", "string", True, "Login, email, user id or key name."),
                _col("employee_id", "string", True),
            ),
        ),
        Table(
            name="pull_requests",
            key=("repo", "pr_number"),
            description="One row per pull request.",
            columns=(
                _col("repo", "string", True, "owner/name"),
                _col("pr_number", "integer", True),
                _col("author_login", "string", True),
                _col("title", "string"),
                _col("created_at", "timestamp", True),
                _col("ready_for_review_at", "timestamp", False, "When it left draft; null = never a draft."),
                _col("first_commit_at", "timestamp", False, "Author time of its earliest commit."),
                _col("merged_at", "timestamp"),
                _col("closed_at", "timestamp"),
                _col("additions", "integer", **_TOKENS),
                _col("deletions", "integer", **_TOKENS),
                _col("changed_files", "integer", **_TOKENS),
                _col("base_branch", "string"),
                _col("merge_commit_sha", "string"),
                _col("labels", "string", False, "Comma-separated."),
            ),
        ),
        Table(
            name="pr_reviews",
            key=("repo", "review_id"),
            description="One row per submitted review.",
            columns=(
                _col("repo", "string", True),
                _col("pr_number", "integer", True),
                _col("review_id", "string", True),
                _col("reviewer_login", "string", True),
                _col(
                    "state",
                    "string",
                    True,
                    accepted=("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"),
                ),
                _col("submitted_at", "timestamp", True),
            ),
        ),
        Table(
            name="commits",
            key=("repo", "sha"),
            description="One row per commit.",
            columns=(
                _col("repo", "string", True),
                _col("sha", "string", True),
                _col("author_email", "string", True),
                _col("author_login", "string"),
                _col("authored_at", "timestamp", True),
                _col("committed_at", "timestamp"),
                _col("message", "string", False, "Full message, trailers included."),
                _col("additions", "integer", **_TOKENS),
                _col("deletions", "integer", **_TOKENS),
                _col("pr_number", "integer"),
            ),
        ),
        Table(
            name="deployments",
            key=("repo", "deployment_id"),
            description="One row per deployment attempt.",
            columns=(
                _col("repo", "string", True),
                _col("deployment_id", "string", True),
                _col("sha", "string", True),
                _col("environment", "string", True),
                _col("status", "string", True, accepted=("success", "failure", "error")),
                _col("started_at", "timestamp", True),
                _col("finished_at", "timestamp"),
            ),
        ),
        Table(
            name="incidents",
            key=("incident_id",),
            description="One row per incident.",
            columns=(
                _col("incident_id", "string", True),
                _col("service", "string", True),
                _col("title", "string"),
                _col("severity", "string", False, "sev1..sev4 or vendor urgency."),
                _col("created_at", "timestamp", True),
                _col("acknowledged_at", "timestamp"),
                _col("resolved_at", "timestamp", False, "Null = still open."),
                _col("responder_email", "string", False, "Who resolved it."),
                _col("caused_by_deployment_id", "string"),
                _col("repo", "string", False, "Repo of that deployment."),
            ),
        ),
    ]
}

#: Where the vendors' own AI usage exports land, mapped by `orchestration.landing.vendors` (CONTRACT.md
#: section 4). One row per usage record as the vendor states it (a request, a bucket, a user-day, a
#: cost line), whatever its grain; which rows count in a published measure is decided in dbt
#: (int_ai_usage_vendor_counted), never by adding two sources of the same usage. A vendor's own total
#: of usage another export details (Cursor's spend per member, Copilot's day totals) and a Copilot
#: user's team of the day are kept for reconciliation only: they count in no measure.
VENDOR_TABLES: dict[str, Table] = {
    table.name: table
    for table in [
        Table(
            name="vendor_ai_usage",
            key=("source", "event_id"),
            description="One row per usage record of a vendor export: a request, a usage bucket, a "
            "user-day of activity, a cost line, or, for reconciliation only, a vendor's total or a user's "
            "team membership.",
            columns=(
                _col("source", "string", True, "The export: anthropic.claude_code, openai.costs, ..."),
                _col("event_id", "string", True, "Stable key within source, a hash of the vendor's key."),
                _col(
                    "grain",
                    "string",
                    True,
                    "request, minute, hour, day (buckets), user_day or cycle (a billing cycle from "
                    "occurred_at).",
                    accepted=("request", "minute", "hour", "day", "user_day", "cycle"),
                ),
                _col(
                    "record_kind",
                    "string",
                    True,
                    "tokens (usage), cost (a cost line without tokens), activity (counters, no tokens), "
                    "total (the vendor's own total of usage another export details: reconciliation only) "
                    "or membership (a user's team on a day: reconciliation only).",
                    accepted=("tokens", "cost", "activity", "total", "membership"),
                ),
                _col(
                    "cost_kind",
                    "string",
                    True,
                    "billed (invoice-grade), estimated (vendor estimate), list (to be priced at list "
                    "prices), seat (covered by a seat, no usage price), none (no cost: activity).",
                    accepted=("billed", "estimated", "list", "seat", "none"),
                ),
                _col("source_tool", "string", True, "claude_code, anthropic_api, openai_api, ..."),
                _col("occurred_at", "timestamp", True, "Request time, or bucket or day start."),
                _col("organization_id", "string", False, "The vendor account (organisation, ...)."),
                _col("actor_id", "string", False, "Email, login, key or user id, or null."),
                _col("actor_kind", "string", False, "email, login, api_key_id, api_key_name, user_id, ..."),
                _col("model", "string", False, "Vendor model name as reported."),
                _col("session_id", "string", False, "Cursor conversation id."),
                _col(
                    "line_item",
                    "string",
                    False,
                    "Cost lines: the vendor's description of the line; totals: the measure the figure is "
                    "of; memberships: the team.",
                ),
                _col("customer_type", "string", False, "Claude Code: api or subscription."),
                _col("charge_status", "string", False, "Cursor: charged, byok, not_charged."),
                _col("input_tokens", "integer", False, "Uncached input tokens.", **_TOKENS),
                _col("cached_input_tokens", "integer", False, "Input tokens read from a cache.", **_TOKENS),
                _col("cache_write_tokens", "integer", False, "Input tokens written to a cache.", **_TOKENS),
                _col("output_tokens", "integer", False, "Output tokens.", **_TOKENS),
                _col("requests", "integer", False, "Requests, where the source counts them.", **_TOKENS),
                _col("cost_usd", "decimal", False, "Cost in US dollars (cents converted)."),
                _col("sessions", "integer", False, "Sessions started.", **_TOKENS),
                _col("suggestions_shown", "integer", False, "Suggestions or proposals shown.", **_TOKENS),
                _col("suggestions_accepted", "integer", False, "Of those, accepted.", **_TOKENS),
                _col("lines_suggested", "integer", False, "Lines proposed.", **_TOKENS),
                _col("lines_accepted", "integer", False, "Lines of proposals accepted.", **_TOKENS),
                _col("lines_added", "integer", False, "Lines added.", **_TOKENS),
                _col("lines_removed", "integer", False, "Lines removed.", **_TOKENS),
                _col(
                    "measure_value",
                    "decimal",
                    False,
                    "Totals: the vendor's figure for the measure line_item names, when it is no token "
                    "count or cost (pull requests, active users).",
                    **_TOKENS,
                ),
            ),
        ),
    ]
}

#: Lineage columns every raw table carries besides the contract's.
LINEAGE_COLUMNS: dict[str, str] = {
    "_load_id": "bigint",
    "_landed_at": "timestamp",
    "_source_file": "varchar",
    "_source_row": "bigint",
    "_extra": "varchar",
}

#: File endings the landing zone accepts, by reader.
FILE_FORMATS: dict[str, str] = {
    ".parquet": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
