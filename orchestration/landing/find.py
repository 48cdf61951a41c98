"""Find the landed files: what lies under each folder, what its bytes are, and what was read before.

A file is new when the warehouse has not read its bytes: `raw._ingested_files` keeps a SHA-256 of
every file ingest read, so touching or re-syncing a file changes nothing, and bytes rewritten in
place, even with the same size and modification time, are a new landing. Names starting with `_` or
`.` (markers such as `_SUCCESS`, hidden files, `_temporary` folders of writers, the generator's
`_ground_truth/`) are not data, at any depth.

A folder of the landing zone that no loader reads is not skipped in silence: `unknown_folders`
names it with the number of files in it, and every run reports it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.landing.contract import FILE_FORMATS
from orchestration.landing.raw import RAW_SCHEMA

#: Bytes hashed at a time; large enough that hashing runs near the disk's read speed.
_HASH_BLOCK = 1 << 20

#: How `unknown_folders` names the files lying directly in the landing zone, outside every folder.
LANDING_ROOT = "(landing zone root)"


@dataclass(frozen=True)
class LandedFile:
    table: str
    path: Path
    relative: str
    reader: str
    size: int
    mtime_ns: int
    #: SHA-256 of the bytes, filled in by ingest (discovery alone does not read the files).
    content_hash: str = ""


def is_data_path(parts: tuple[str, ...]) -> bool:
    return not any(part.startswith(("_", ".")) for part in parts)


def discover(
    landing_dir: Path, table: str, folder_name: str | None = None, readers: dict[str, str] | None = None
) -> list[LandedFile]:
    """Every data file of `table`: under its own folder in a canonical format by default, or under a
    vendor export's folder with that export's file endings (`readers`: ending -> reader)."""
    folder = landing_dir / (folder_name or table)
    readers = FILE_FORMATS if readers is None else readers
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        reader = readers.get(path.suffix.lower())
        if reader is None or not is_data_path(path.relative_to(folder).parts) or not path.is_file():
            continue
        stat = path.stat()
        found.append(
            LandedFile(
                table=table,
                path=path,
                relative=path.relative_to(landing_dir).as_posix(),
                reader=reader,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
            )
        )
    return found


def unknown_folders(landing_dir: Path, known: Collection[str], prefix: str = "") -> dict[str, int]:
    """Folder name -> number of files in it, for every folder of the landing zone no loader reads;
    files lying in the landing zone itself are counted under `LANDING_ROOT`. A known folder such as
    `github/pulls` makes `github` a folder of folders, whose other folders and files are reported."""
    found: dict[str, int] = {}
    if not landing_dir.is_dir():
        return found
    for entry in sorted(landing_dir.iterdir()):
        name = prefix + entry.name
        if name in known or not is_data_path((entry.name,)):
            continue
        if entry.is_dir() and any(folder.startswith(name + "/") for folder in known):
            found |= unknown_folders(entry, known, name + "/")
        elif entry.is_dir():
            found[name] = sum(
                1
                for path in entry.rglob("*")
                if path.is_file() and is_data_path(path.relative_to(entry).parts)
            )
        elif entry.is_file():
            place = prefix.rstrip("/") or LANDING_ROOT
            found[place] = found.get(place, 0) + 1
    return found


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks so a large file never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def hashed(landed: LandedFile) -> LandedFile:
    return LandedFile(**{**landed.__dict__, "content_hash": file_hash(landed.path)})


def ingested_files(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[tuple[str, str], tuple[int, int, str | None]], set[tuple[str, str]]]:
    """The size, modification time and content hash each landed file had when it was last read,
    and every (table, content hash) ever read."""
    rows = con.execute(
        f"""
        select
            table_name,
            source_file,
            arg_max(file_size, _load_id),
            arg_max(file_mtime_ns, _load_id),
            arg_max(content_hash, _load_id),
        from {RAW_SCHEMA}._ingested_files
        group by all
        """
    ).fetchall()
    hashes = con.execute(
        f"select distinct table_name, content_hash from {RAW_SCHEMA}._ingested_files "
        "where content_hash is not null"
    ).fetchall()
    return {(table, source): (size, mtime, digest) for table, source, size, mtime, digest in rows}, set(
        hashes
    )


def unchanged_before_hashing(previous: tuple[int, int, str | None] | None, landed: LandedFile) -> bool:
    """A file read by a version of ingest that kept no hash is unchanged while its size and
    modification time are."""
    return previous is not None and previous[2] is None and previous[:2] == (landed.size, landed.mtime_ns)
