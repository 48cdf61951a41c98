"""Individual consumption flags for the people allowed to act on them, shared under pseudonyms.

The flags of each engineer-week stay in the restricted warehouse (`marts.fct_consumption_flags`).
When they have to leave it (to a reviewer, in a ticket), `airoi flags` writes the flagged weeks with
a pseudonym instead of the employee: an HMAC-SHA256 of the employee_id under a secret key. The same
person gets the same pseudonym in every export made with that key, so weeks can be followed over
time, and nobody without the key and the restricted warehouse can tell who it is. `airoi flags
--reveal` turns a pseudonym back into the employee for someone who holds both.

The key is AIROI_PSEUDONYM_KEY (hex) when set, else a file beside the restricted warehouse
(`warehouse.pseudonym.key`), made on first use and readable by its owner only.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import secrets
from pathlib import Path

import duckdb

COLUMNS = ["person", "team_id", "team_name", "week_start", "inflation_score", "reasons"]


def key_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}.pseudonym.key")


def pseudonym_key(warehouse: Path) -> bytes:
    if os.environ.get("AIROI_PSEUDONYM_KEY"):
        return bytes.fromhex(os.environ["AIROI_PSEUDONYM_KEY"])
    path = key_path(warehouse)
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def pseudonym(employee_id: str, key: bytes) -> str:
    return "p-" + hmac.new(key, employee_id.encode(), hashlib.sha256).hexdigest()[:16]


def export_flags(warehouse: Path, out: Path, key: bytes | None = None) -> int:
    """Write the flagged engineer-weeks to `out` (CSV) under pseudonyms; the number of rows written."""
    key = key if key is not None else pseudonym_key(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """
            select flags.employee_id, flags.team_id, teams.team_name, flags.week_start,
                flags.inflation_score, flags.reasons
            from marts.fct_consumption_flags as flags
            left join marts.dim_teams as teams on flags.team_id = teams.team_id
            where flags.is_flagged
            order by flags.week_start, flags.team_id, flags.inflation_score desc
            """
        ).fetchall()
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for employee_id, *rest in rows:
            writer.writerow([pseudonym(employee_id, key), *rest])
    return len(rows)


def reveal(warehouse: Path, person: str, key: bytes | None = None) -> str | None:
    """The employee_id behind a pseudonym, for someone holding the key and the restricted warehouse."""
    key = key if key is not None else pseudonym_key(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        employees = con.execute("select employee_id from marts.dim_engineers").fetchall()
    return next((employee for (employee,) in employees if pseudonym(employee, key) == person), None)
