"""The `airoi` command line."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path

from orchestration.settings import DEFAULT_LANDING, DEFAULT_WAREHOUSE


def _cmd_build(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.build import BuildError, build, render_unpriced
    from orchestration.defs.cli_runs import record_build
    from orchestration.published import first_line

    started, clock = datetime.now(UTC), time.monotonic()
    try:
        result = build(args.landing, args.warehouse, git_repos=args.git_repo)
    except (BuildError, duckdb.Error) as error:
        message = str(error) if isinstance(error, BuildError) else first_line(error)
        print(f"airoi build: FAILED\n{message}", file=sys.stderr)
        record_build(args.landing, args.warehouse, started, time.monotonic() - clock, False, message)
        return 1
    record_build(args.landing, args.warehouse, started, time.monotonic() - clock, True, str(result.published))
    if args.timings is not None:
        args.timings.write_text(json.dumps([asdict(step) for step in result.steps], indent=2))
    if result.dbt is not None:
        counts = ", ".join(f"{count} {status}" for status, count in sorted(result.dbt.counts.items()))
        print(f"\ndbt: {counts}")
        for warning in result.dbt.warnings:
            print(warning.render())
    for line in render_unpriced(result.unpriced):
        print(line)
    for warning in result.ingest.warnings():
        print(warning)
    if result.unchanged:
        print(f"Unchanged {result.published}: nothing new was landed, nothing was rebuilt")
    else:
        quarantined = result.ingest.total_quarantined
        print(f"Published {result.published} (quarantined this run: {quarantined:,} rows)")
    return 0


#: The generator families written apart from the default one, each a module with the same `generate`.
OTHER_FAMILIES = {
    "harbor": "orchestration.generator.harbor",
    "meridian": "orchestration.meridian",
    "lattice": "orchestration.lattice",
    "fjord": "orchestration.fjord",
    "orchard": "orchestration.orchard",
    "kestrel": "orchestration.kestrel",
    "pylon": "orchestration.pylon",
    "quay": "orchestration.quay",
    "brae": "orchestration.brae",
}


def _cmd_generate(args: argparse.Namespace) -> int:
    code = _generate(args)
    if code == 0 and args.vendor_formats is not None:
        from orchestration.generator.vendor_formats import write_vendor_formats

        pages = write_vendor_formats(args.out, args.vendor_formats)
        print(f"Vendor exports of the same organisation in {args.vendor_formats}:")
        for export, count in pages.items():
            print(f"  {export:<24}{count:>8} pages")
    return code


def _generate(args: argparse.Namespace) -> int:
    if args.family in OTHER_FAMILIES:
        family = importlib.import_module(OTHER_FAMILIES[args.family])
        summary = family.generate(
            args.out,
            engineers=args.engineers,
            weeks=args.weeks,
            seed=args.seed,
            start=args.start,
            progress=not args.no_progress,
        )
        print(summary.render())
        return 0

    from orchestration.generate import PlantedEffect, generate

    try:
        effect = None if args.effect is None else PlantedEffect.parse(args.effect)
    except ValueError as error:
        print(f"airoi generate: {error}", file=sys.stderr)
        return 2
    summary = generate(
        args.out,
        engineers=args.engineers,
        weeks=args.weeks,
        seed=args.seed,
        events=args.events,
        start=args.start,
        progress=not args.no_progress,
        effect=effect,
    )
    print(summary.render())
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    from orchestration.landing.fetch import FetchError, fetch

    try:
        report = fetch(args.sources, args.landing, args.since, args.until)
    except FetchError as error:
        print(f"airoi fetch: {error}", file=sys.stderr)
        return 1
    print(report.render())
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from orchestration.build import summary

    if not args.warehouse.exists():
        print(f"airoi summary: {args.warehouse} does not exist; run `airoi build` first", file=sys.stderr)
        return 1
    print(summary(args.warehouse))
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.published import connect_published, first_line

    try:
        with connect_published(args.warehouse) as con:
            relation = con.sql(args.sql)
            if relation is not None:
                relation.show(max_rows=args.max_rows, max_width=200)
    except duckdb.Error as error:
        print(f"airoi query: {first_line(error)}", file=sys.stderr)
        return 1
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from orchestration.bi.readers import publish_for_readers

    if not args.warehouse.exists():
        print(f"airoi report: {args.warehouse} does not exist; run `airoi build` first", file=sys.stderr)
        return 1
    print(publish_for_readers(args.warehouse, args.min_engineers).render())
    return 0


def _cmd_flags(args: argparse.Namespace) -> int:
    from orchestration.bi.restricted import export_flags, key_path, reveal

    if not args.warehouse.exists():
        print(f"airoi flags: {args.warehouse} does not exist; run `airoi build` first", file=sys.stderr)
        return 1
    if args.reveal:
        employee = reveal(args.warehouse, args.reveal)
        print(employee or f"{args.reveal} is nobody in this warehouse under this key")
        return 0 if employee else 1
    rows = export_flags(args.warehouse, args.out)
    print(
        f"Wrote {rows} flagged engineer-weeks to {args.out} under pseudonyms "
        f"(key: {key_path(args.warehouse)})"
    )
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from orchestration.bench import BenchError, bench, render

    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    try:
        results = bench(
            args.out, sizes, args.engineers, args.weeks, args.seed, args.csv or args.out / "results.csv"
        )
    except BenchError as error:
        print(f"airoi bench: {error}", file=sys.stderr)
        return 1
    print(render(results))
    return 0


def _cmd_soak(args: argparse.Namespace) -> int:
    from orchestration.soak import soak

    result = soak(args.out, days=args.days, engineers=args.engineers, seed=args.seed)
    print(result.render())
    return 0 if result.ok else 1


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from orchestration.evaluate import EvaluationError, evaluate

    try:
        result = evaluate(args.warehouse, args.truth)
    except EvaluationError as error:
        print(f"airoi evaluate: {error}", file=sys.stderr)
        return 2
    print(result.render())
    return 0


def _monday(text: str) -> date:
    day = date.fromisoformat(text)
    if day.weekday() != 0:
        raise argparse.ArgumentTypeError(f"{text} is not a Monday")
    return day


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="airoi", description="Is our AI spend producing outcomes?")
    commands = root.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="ingest the landing zone, build and publish the warehouse")
    build.add_argument("--landing", type=Path, default=DEFAULT_LANDING, help="landing zone folder")
    build.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="published DuckDB file")
    build.add_argument(
        "--git-repo",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="a local git repository whose commits (with trailers) to load; may be repeated",
    )
    build.add_argument(
        "--timings",
        type=Path,
        default=None,
        metavar="FILE",
        help="write each step's start and seconds as JSON",
    )
    build.set_defaults(handler=_cmd_build)

    fetch = commands.add_parser(
        "fetch", help="pull vendor APIs into the landing zone, pages unchanged (keys from the environment)"
    )
    fetch.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="claude_code, anthropic, openai, cursor, pagerduty, or one endpoint such as anthropic_cost",
    )
    fetch.add_argument("--since", type=date.fromisoformat, required=True, help="first UTC day, YYYY-MM-DD")
    fetch.add_argument("--until", type=date.fromisoformat, help="day after the last (default: tomorrow)")
    fetch.add_argument("--landing", type=Path, default=DEFAULT_LANDING, help="landing zone folder")
    fetch.set_defaults(handler=_cmd_fetch)

    generate = commands.add_parser("generate", help="write a synthetic organisation's landing zone")
    generate.add_argument("--out", type=Path, required=True, help="landing zone folder to write")
    generate.add_argument("--engineers", type=int, default=300)
    generate.add_argument("--weeks", type=int, default=26)
    generate.add_argument("--seed", type=int, default=7)
    generate.add_argument("--events", type=int, default=None, help="approximate number of usage events")
    generate.add_argument("--start", type=_monday, default=date(2026, 5, 4), help="first Monday")
    generate.add_argument("--no-progress", action="store_true", help="no progress bar")
    generate.add_argument(
        "--family",
        choices=(
            "acme",
            "harbor",
            "meridian",
            "lattice",
            "fjord",
            "orchard",
            "kestrel",
            "pylon",
            "quay",
            "brae",
        ),
        default="acme",
        help="generator family: acme (the default), or harbor, meridian, lattice, fjord, orchard, kestrel, "
        "pylon, quay or brae, each designed apart from the others; harbor, meridian, lattice, fjord, "
        "orchard, kestrel, pylon, quay and brae ignore --events and --effect (their volume follows from "
        "their personas)",
    )
    generate.add_argument(
        "--effect",
        default=None,
        help="plant one known effect of AI on delivery: 0.25, 0 (none) or ramp:0.3:6 (default: per persona)",
    )
    generate.add_argument(
        "--vendor-formats",
        type=Path,
        default=None,
        metavar="DIR",
        help="also write the organisation to DIR as vendor exports: GitHub pages (pull requests, reviews, "
        "commits, deployments), PagerDuty pages, and each AI tool's usage as its vendor reports it (Claude "
        "Code Analytics with Anthropic's usage and cost reports, Cursor's usage events and spend, OpenAI's "
        "usage and costs, Copilot's user and organisation day reports); the internal agent's events stay "
        "canonical",
    )
    generate.set_defaults(handler=_cmd_generate)

    show = commands.add_parser("summary", help="rows per mart, quarantine, and how to query")
    show.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    show.set_defaults(handler=_cmd_summary)

    query = commands.add_parser("query", help="run SQL against the published warehouse, read-only")
    query.add_argument("sql")
    query.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    query.add_argument("--max-rows", type=int, default=40)
    query.set_defaults(handler=_cmd_query)
    report = commands.add_parser(
        "report", help="publish the BI face beside the warehouse and write the managers' HTML report"
    )
    report.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="restricted DuckDB file")
    report.add_argument(
        "--min-engineers",
        type=int,
        default=None,
        help="suppression threshold (default: dbt var airoi_bi_min_engineers)",
    )
    report.set_defaults(handler=_cmd_report)

    flags = commands.add_parser(
        "flags", help="restricted: flagged engineer-weeks under pseudonyms, for the people who act on them"
    )
    flags.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="restricted DuckDB file")
    flags.add_argument("--out", type=Path, default=Path("flagged_weeks.csv"), help="CSV file to write")
    flags.add_argument("--reveal", metavar="PSEUDONYM", help="print the employee behind a pseudonym instead")
    flags.set_defaults(handler=_cmd_flags)

    timing = commands.add_parser(
        "bench",
        help="full, one-new-day and nothing-new builds at 1M/10M/100M events against hand-written SQL",
    )
    timing.add_argument("--sizes", default="1M,10M", help="comma-separated: 1M, 10M, 100M (default 1M,10M)")
    timing.add_argument(
        "--out",
        type=Path,
        default=Path("data/bench"),
        help="folder; each size's organisation is kept for reuse",
    )
    timing.add_argument(
        "--csv", type=Path, default=None, help="results appended here (default OUT/results.csv)"
    )
    timing.add_argument("--engineers", type=int, default=2000)
    timing.add_argument("--weeks", type=int, default=26)
    timing.add_argument("--seed", type=int, default=11)
    timing.set_defaults(handler=_cmd_bench)

    soaking = commands.add_parser(
        "soak",
        help="daily incremental builds with late, replayed, corrected and malformed files and a reader "
        "polling, then check the marts equal one full build",
    )
    soaking.add_argument("--out", type=Path, default=Path("data/soak"), help="scratch folder (replaced)")
    soaking.add_argument("--days", type=int, default=30)
    soaking.add_argument("--engineers", type=int, default=40)
    soaking.add_argument("--seed", type=int, default=13)
    soaking.set_defaults(handler=_cmd_soak)

    judge = commands.add_parser(
        "evaluate", help="precision and recall of the consumption flags against a generated ground truth"
    )
    judge.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="published DuckDB file")
    judge.add_argument(
        "--truth",
        type=Path,
        required=True,
        help="engineer_weeks.parquet of `airoi generate`, or its folder (or the landing zone holding it)",
    )
    judge.set_defaults(handler=_cmd_evaluate)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


def run() -> None:
    """Console entry point: run a command, then leave without the interpreter's teardown.

    Every connection is closed by then; skipping the teardown only spares the user the reference
    leak report that DuckDB's Python binding prints at interpreter exit.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
