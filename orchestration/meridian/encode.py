"""Identifiers and hashes for millions of rows without a Python string per row.

Ids are a bijective mix of unique counters, so distinct counters never collide, and they are
written as fixed-width hexadecimal straight into an Arrow string buffer.
"""

from __future__ import annotations

import zlib

import numpy as np
import pyarrow as pa

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_SHIFTS = np.arange(60, -4, -4, dtype=np.uint64)


def salt(name: str, seed: int) -> np.uint64:
    """A stable 64-bit salt for one purpose and seed."""
    return np.uint64((zlib.crc32(name.encode()) << 32) ^ (seed & 0xFFFFFFFF))


def mix64(values: np.ndarray | int) -> np.ndarray:
    """SplitMix64's finaliser: a bijection on 64-bit integers that spreads every input bit."""
    with np.errstate(over="ignore"):
        z = np.asarray(values).astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def hex_matrix(values: np.ndarray) -> np.ndarray:
    """Sixteen hexadecimal characters per 64-bit value, as an (n, 16) byte matrix."""
    nibbles = (values.astype(np.uint64)[:, None] >> _SHIFTS) & np.uint64(15)
    return _HEX[nibbles.astype(np.intp)]


def strings(matrix: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """An Arrow string array from an (n, width) byte matrix; rows where `valid` is false are null."""
    n, width = matrix.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    data = pa.py_buffer(np.ascontiguousarray(matrix, dtype=np.uint8).tobytes())
    if valid is None:
        return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), data).cast(pa.string())
    bitmap = pa.py_buffer(np.packbits(valid.astype(bool), bitorder="little").tobytes())
    array = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), data, bitmap, int(n - valid.sum()))
    return array.cast(pa.string())


def hex_ids(
    values: np.ndarray, prefix: np.ndarray | bytes = b"", valid: np.ndarray | None = None
) -> pa.Array:
    """`prefix` + 16 hex characters of each value; `prefix` is one byte string or an (n, k) matrix."""
    digits = hex_matrix(values)
    if isinstance(prefix, bytes):
        prefix = np.broadcast_to(np.frombuffer(prefix, dtype=np.uint8), (len(values), len(prefix)))
    return strings(np.concatenate([prefix, digits], axis=1), valid)


def shas(values: np.ndarray, purpose: np.uint64) -> list[str]:
    """40-character commit shas, one per (unique) value."""
    values = np.asarray(values).astype(np.uint64)
    first = hex_matrix(mix64(values ^ purpose))
    second = hex_matrix(mix64(values ^ (purpose + np.uint64(1))))
    third = hex_matrix(mix64(values ^ (purpose + np.uint64(2))))[:, :8]
    matrix = np.ascontiguousarray(np.concatenate([first, second, third], axis=1))
    return [row.decode() for row in matrix.view("S40").ravel()]
