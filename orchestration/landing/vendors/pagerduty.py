"""PagerDuty REST responses, pages as saved, under `pagerduty_incidents/`: pages of
`GET /incidents` (`{"incidents": [...]}`) and of log entries (`GET /incidents/{id}/log_entries` or
`GET /log_entries`, `{"log_entries": [...]}`), mapped into the canonical `incidents`.

Acknowledgement is no field of an incident (its `acknowledgements` are emptied on resolve): it is
the earliest `acknowledge_log_entry` of the incident among the folder's log entries, so the rows
join files and the folder is read again whenever one of its files changes. The responder is the
agent of the incident's last `resolve_log_entry` where the entry carries the agent's e-mail (log
entries fetched with `include[]=users`), else unknown; the severity is the priority's name, else
the urgency.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from orchestration.landing.vendors.export import (
    Export,
    ExportError,
    Record,
    Row,
    folder_context,
    get,
    instant,
    json_document,
    pages,
    record_object,
)


def records(path: Path) -> Iterator[Record]:
    document = json_document(path)
    first = document[0] if isinstance(document, list) and document else document
    if isinstance(first, dict) and "log_entries" in first:
        return
    number = 0
    for where, items in pages(document, "incidents"):
        for index, item in enumerate(items):
            number += 1
            yield Record(number, f"{where}[{index}]", item, {})


def log_entries(paths: list[Path]) -> dict[str, dict[str, object]]:
    """Per incident id: the first acknowledgement's time and the last resolver's e-mail."""
    found: dict[str, dict[str, object]] = {}
    entries = []
    for path in paths:
        try:
            document = json_document(path)
        except ExportError:
            continue
        for page in document if isinstance(document, list) else [document]:
            if isinstance(page, dict) and isinstance(page.get("log_entries"), list):
                entries += [entry for entry in page["log_entries"] if isinstance(entry, dict)]
    for entry in sorted(entries, key=lambda entry: str(entry.get("created_at"))):
        incident = entry.get("incident")
        if not isinstance(incident, dict) or incident.get("id") is None:
            continue
        facts = found.setdefault(str(incident["id"]), {})
        agent = entry.get("agent") if isinstance(entry.get("agent"), dict) else {}
        if entry.get("type") == "acknowledge_log_entry":
            facts.setdefault("acknowledged_at", entry.get("created_at"))
        elif entry.get("type") == "resolve_log_entry" and agent.get("email"):
            facts["responder_email"] = str(agent["email"]).lower()
    return found


def rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    incident_id = str(get(record, item, "id"))
    facts = folder_context(record).get(incident_id, {})
    return [
        {
            "incident_id": incident_id,
            "service": get(record, item, "service.summary", required=False)
            or get(record, item, "service.id"),
            "title": get(record, item, "title", required=False),
            "severity": get(record, item, "priority.summary", required=False)
            or get(record, item, "urgency", required=False),
            "created_at": instant(record, get(record, item, "created_at"), "created_at"),
            "acknowledged_at": facts.get("acknowledged_at"),
            "resolved_at": get(record, item, "resolved_at", required=False),
            "responder_email": facts.get("responder_email"),
        }
    ]


EXPORT = Export("pagerduty_incidents", "incidents", (".json",), records, rows, log_entries)
