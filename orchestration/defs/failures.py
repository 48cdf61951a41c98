"""The build's one-line failures as the failures of Dagster's steps.

Dagster's steps call what `airoi build` calls (orchestration.build), which raises BuildError with one
line that says what to change: another process holding DuckDB's lock on the working file, a memory
limit DuckDB does not accept, running out of memory. A step fails with that line as its description,
as the command prints it, and without DuckDB's traceback behind it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from orchestration.build import BuildError


@contextmanager
def one_line_failure() -> Iterator[None]:
    try:
        yield
    except BuildError as error:
        raise dg.Failure(description=str(error)) from None
