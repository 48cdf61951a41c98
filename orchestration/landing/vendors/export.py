"""What every vendor loader shares: how an export file is split into records, and how a record's
fields are read so that a missing or mistyped one names its place in the file.

A loader maps one vendor record to rows of a vendor target table (`contract.VENDOR_TABLES`). It
never adds two numbers the vendor reports as views of the same usage; which source counts where two
describe the same usage is decided in dbt. A record it cannot map (not an object, a required field
missing, a number that is not one) becomes a `RecordProblem`, which ingest quarantines with the
file, the record's number and place, and the reason; the rest of the file loads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

Row = dict[str, object]


class ExportError(Exception):
    """The file as a whole is not the export it should be (not JSON, no record list); nothing of the
    run is loaded, as for a canonical file that lacks a required column."""


class RecordProblem(Exception):
    """One record cannot be mapped; `code` is the quarantine reason code."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code


@dataclass(frozen=True)
class Record:
    """One record of an export file: `number` counts records from 1 in file order (the line for
    NDJSON), `where` says where it is (`data[2]`, `data[0].results[3]`, `line 7`)."""

    number: int
    where: str
    value: object
    #: Fields of the enclosing bucket (start and end of an Anthropic or OpenAI bucket).
    bucket: dict[str, object]


@dataclass(frozen=True)
class Export:
    """One vendor export folder and how its files become rows."""

    folder: str
    #: The raw table its rows go to.
    table: str
    #: File endings read, lower case.
    suffixes: tuple[str, ...]
    #: Splits a file into records; raises ExportError when the file is not this export.
    records: Callable[[Path], Iterator[Record]]
    #: Maps one record (and the file's path inside the export's folder) to rows; raises RecordProblem.
    rows: Callable[[Record, str], list[Row]]
    #: For an export whose rows join records of several files (GitHub deployments and their
    #: statuses, PagerDuty incidents and their log entries): what the records of every file of the
    #: folder tell about each other, handed to `rows` as `record.bucket["folder"]`. When one file of
    #: such a folder changes, ingest reads all of them again.
    folder_context: Callable[[list[Path]], object] | None = None


def folder_context(record: Record) -> dict[str, Any]:
    """What `Export.folder_context` found in the record's folder, by the id it is about."""
    context = record.bucket.get("folder")
    return context if isinstance(context, dict) else {}


def json_document(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ExportError(f"not UTF-8 text ({error.reason})") from error
    except ValueError as error:
        raise ExportError(f"not a JSON document ({error})") from error


def pages(document: object, list_key: str) -> Iterator[tuple[str, list[object]]]:
    """The record lists of a saved page, or of each page of a saved list of pages, with their place."""
    documents = document if isinstance(document, list) else [document]
    for index, page in enumerate(documents):
        many = isinstance(document, list)
        if not isinstance(page, dict) or not isinstance(page.get(list_key), list):
            place = f"page {index + 1} of the file" if many else "the page"
            raise ExportError(f"{place} has no list field {list_key!r}")
        yield f"[{index}].{list_key}" if many else list_key, page[list_key]


def page_records(path: Path, list_key: str) -> Iterator[Record]:
    number = 0
    for where, items in pages(json_document(path), list_key):
        for index, item in enumerate(items):
            number += 1
            yield Record(number, f"{where}[{index}]", item, {})


def bucket_records(path: Path) -> Iterator[Record]:
    """The results of every bucket of a bucketed usage or cost page (Anthropic, OpenAI): `data[]`
    of buckets, each with its bounds and `results[]`."""
    number = 0
    for where, buckets in pages(json_document(path), "data"):
        for index, bucket in enumerate(buckets):
            if not isinstance(bucket, dict) or not isinstance(bucket.get("results"), list):
                number += 1
                yield Record(number, f"{where}[{index}]", bucket, {})
                continue
            bounds = {key: value for key, value in bucket.items() if key != "results"}
            for position, result in enumerate(bucket["results"]):
                number += 1
                yield Record(number, f"{where}[{index}].results[{position}]", result, bounds)


def ndjson_records(path: Path) -> Iterator[Record]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise ExportError(f"not UTF-8 text (line {number}: {error.reason})") from error
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except ValueError as error:
                value = _Malformed(f"not valid JSON ({error})", text.rstrip("\r\n"))
            yield Record(number, f"line {number}", value, {})


@dataclass(frozen=True)
class _Malformed:
    reason: str
    text: str


def record_object(record: Record) -> dict[str, object]:
    if isinstance(record.value, _Malformed):
        raise RecordProblem("malformed_row", f"{record.where} is {record.value.reason}")
    if not isinstance(record.value, dict):
        raise RecordProblem("malformed_row", f"{record.where} is not a JSON object")
    return record.value


def record_text(record: Record) -> str:
    if isinstance(record.value, _Malformed):
        return record.value.text
    return json.dumps(record.value, ensure_ascii=False, separators=(",", ":"))


def get(record: Record, obj: object, path: str, required: bool = True, at: str = "") -> object:
    """The value at the dotted `path` of `obj`, a part of `record` found at `at` (`model_breakdown[0]`);
    a required field that is missing or null is a RecordProblem naming its place."""
    value = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            break
    if value is None and required:
        reason = f"{record.where}: required field {_place(path, at)!r} is missing"
        raise RecordProblem("missing_field", reason)
    return value


def number(record: Record, obj: object, path: str, required: bool = False, at: str = "") -> int | None:
    """A whole number (token and request counts); anything else is a RecordProblem."""
    value = get(record, obj, path, required, at)
    if value is None:
        return None
    reason = f"{record.where}: {_place(path, at)} {value!r} is not a whole number"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RecordProblem("bad_integer", reason)
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        parsed = Decimal("NaN")
    if not parsed.is_finite() or parsed % 1 != 0:
        raise RecordProblem("bad_integer", reason)
    return int(parsed)


def decimal(record: Record, obj: object, path: str, required: bool = False, at: str = "") -> Decimal | None:
    """A decimal read from its text, so `"2737.5"` cents or `3.4172` dollars keep every digit."""
    value = get(record, obj, path, required, at)
    if value is None:
        return None
    try:
        parsed = Decimal(str(value)) if not isinstance(value, bool) else Decimal("NaN")
    except InvalidOperation:
        parsed = Decimal("NaN")
    if not parsed.is_finite():
        raise RecordProblem("bad_decimal", f"{record.where}: {_place(path, at)} {value!r} is not a number")
    return parsed


def _place(path: str, at: str) -> str:
    return f"{at}.{path}" if at else path


def cents_to_usd(cents: Decimal | None) -> Decimal | None:
    return None if cents is None else cents / 100


def day_start(record: Record, value: object, path: str) -> str:
    """A day given as `YYYY-MM-DD` or as an RFC 3339 instant, as the UTC start of that day."""
    text = str(value)
    try:
        day = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise RecordProblem("bad_timestamp", f"{record.where}: {path} {text!r} is not a date") from error
    if day.tzinfo is not None:
        day = day.astimezone(UTC)
    return f"{day:%Y-%m-%d}T00:00:00Z"


def instant(record: Record, value: object, path: str) -> str:
    """An RFC 3339 instant as given (ingest types and checks it)."""
    if not isinstance(value, str):
        raise RecordProblem("bad_timestamp", f"{record.where}: {path} {value!r} is not a timestamp")
    return value


def epoch_seconds(record: Record, value: object, path: str, scale: int = 1) -> str:
    """Unix seconds (or milliseconds, scale 1000), as a number or its text, as a UTC instant."""
    try:
        seconds = Decimal(str(value)) / scale
        moment = datetime.fromtimestamp(float(seconds), UTC)
    except (InvalidOperation, ValueError, OverflowError, OSError) as error:
        reason = f"{record.where}: {path} {value!r} is not a Unix time"
        raise RecordProblem("bad_timestamp", reason) from error
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def bucket_grain(record: Record, start: float, end: float) -> str:
    width = end - start
    grains = {60: "minute", 3600: "hour", 86400: "day"}
    if width not in grains:
        raise RecordProblem(
            "bad_bucket", f"{record.where}: a bucket of {width:g} seconds is none of 1m, 1h or 1d"
        )
    return grains[int(width)]


def stable_key(*parts: object) -> str:
    """SHA-256 of the parts, null spelt `null`, so a key never depends on field order or floats."""
    text = "\x1f".join("null" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def path_value(relative: str, name: str) -> str | None:
    """The value of a `name=value` folder in a landed file's path (`org=4f7c.../page-1.json`)."""
    for part in relative.split("/")[:-1]:
        key, _, value = part.partition("=")
        if key == name and value:
            return value
    return None
