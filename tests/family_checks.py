"""What the generator families' tests check the same way: the ground truth's schema, the Arrow type
of each contract type, and that `airoi generate --family F` then `airoi build` publish with nothing
quarantined."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa

PROJECT = Path(__file__).resolve().parents[1]

#: The Arrow type a family writes for each type of the landing contract.
ARROW = {
    "string": pa.string(),
    "integer": pa.int64(),
    "decimal": pa.decimal128(18, 6),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
}

#: `_ground_truth/engineer_weeks.parquet`, as `airoi evaluate` reads it.
TRUTH_SCHEMA = pa.schema(
    [
        ("employee_id", pa.string()),
        ("week_start", pa.date32()),
        ("persona", pa.string()),
        ("persona_kind", pa.string()),
        ("is_inflated", pa.bool_()),
        ("inflation_style", pa.string()),
        ("ai_total_tokens", pa.int64()),
    ]
)


def generate_and_build(family: str, root: Path, *, engineers: int, weeks: int, seed: int) -> int:
    """Run the real `airoi generate --family` and `airoi build` under `root`; both must succeed. Returns
    the rows the build quarantined, as it reports them."""
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(PROJECT),
        "AIROI_DBT_TARGET_PATH": str(root / "target"),
    }
    airoi = str(Path(sys.executable).with_name("airoi"))
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    generate = [airoi, "generate", "--family", family, "--engineers", str(engineers), "--weeks", str(weeks)]
    generate += ["--seed", str(seed), "--out", str(landing), "--no-progress"]
    generated = subprocess.run(generate, cwd=PROJECT, env=env, capture_output=True, text=True, check=False)
    assert generated.returncode == 0, generated.stderr
    assert "inflated engineer-weeks per style" in generated.stdout
    built = subprocess.run(
        [airoi, "build", "--landing", str(landing), "--warehouse", str(warehouse)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    published = re.search(r"Published .* \(quarantined this run: ([\d,]+) rows\)", built.stdout)
    assert published, built.stdout[-3000:]
    return int(published.group(1).replace(",", ""))
