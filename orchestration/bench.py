"""`airoi bench`: time and peak memory of generating and building an organisation of a given size.

Each step runs as its own process under `/usr/bin/time`, so the figures are the ones an operator
would see: wall-clock seconds and the peak resident memory of that process and its children.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass
class StepFigures:
    step: str
    seconds: float
    peak_rss_mib: float | None
    returncode: int


def _run(step: str, args: list[str]) -> StepFigures:
    airoi = str(Path(sys.executable).with_name("airoi"))
    timer = shutil.which("time", path="/usr/bin")
    command = [timer, "-v", airoi, *args] if timer else [airoi, *args]
    started = time.perf_counter()
    completed = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
    )
    seconds = time.perf_counter() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", completed.stderr)
    if completed.returncode != 0:
        print(completed.stderr[-3000:], file=sys.stderr)
    return StepFigures(step, seconds, int(peak.group(1)) / 1024 if peak else None, completed.returncode)


def bench(out: Path, engineers: int, weeks: int, events: int | None, seed: int) -> list[StepFigures]:
    if out.exists():
        shutil.rmtree(out)
    landing, warehouse = out / "landing", out / "warehouse.duckdb"
    generate_args = ["generate", "--out", str(landing), "--engineers", str(engineers)]
    generate_args += ["--weeks", str(weeks), "--seed", str(seed), "--no-progress"]
    if events is not None:
        generate_args += ["--events", str(events)]
    figures = [_run("generate", generate_args)]
    if figures[-1].returncode == 0:
        figures.append(
            _run("build (first run)", ["build", "--landing", str(landing), "--warehouse", str(warehouse)])
        )
    if figures[-1].returncode == 0:
        figures.append(
            _run("build (re-run)", ["build", "--landing", str(landing), "--warehouse", str(warehouse)])
        )
    return figures


def render(figures: list[StepFigures], warehouse: Path) -> str:
    lines = [f"{'step':<20} {'seconds':>9} {'peak RSS MiB':>13} {'exit':>5}"]
    for figure in figures:
        peak = f"{figure.peak_rss_mib:,.0f}" if figure.peak_rss_mib is not None else "n/a"
        lines.append(f"{figure.step:<20} {figure.seconds:>9.1f} {peak:>13} {figure.returncode:>5}")
    if warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            events = con.execute("select count(*) from raw.ai_usage_events").fetchone()[0]
        size_mib = warehouse.stat().st_size / 2**20
        lines.append(f"usage events in the warehouse: {events:,}; file size {size_mib:,.0f} MiB")
    return "\n".join(lines)
