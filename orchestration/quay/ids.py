"""Stable identifiers: hashes, hex strings and their Arrow arrays, built without Python loops."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
HOUR = 3_600_000_000
DAY = 24 * HOUR


def mix(values: np.ndarray | int, salt: int = 0) -> np.ndarray:
    """splitmix64: a bijection of uint64, so distinct inputs give distinct outputs."""
    x = np.asarray(values).astype(np.uint64) + np.uint64((salt * 0x9E3779B97F4A7C15) % 2**64)
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def hex_matrix(values: np.ndarray, digits: int = 16) -> np.ndarray:
    """uint64 values as rows of lower-case hex digits (uint8), the last ``digits`` of them."""
    raw = (
        np.ascontiguousarray(np.asarray(values, dtype=np.uint64).astype(">u8")).view(np.uint8).reshape(-1, 8)
    )
    nibbles = np.empty((raw.shape[0], 16), dtype=np.uint8)
    nibbles[:, 0::2] = raw >> 4
    nibbles[:, 1::2] = raw & 15
    return _HEX[nibbles[:, 16 - digits :]]


def strings(
    matrix: np.ndarray, lengths: np.ndarray | None = None, valid: np.ndarray | None = None
) -> pa.Array:
    """Rows of a uint8 matrix as an Arrow string array (each row cut to its length; null where not valid)."""
    n, width = matrix.shape
    if lengths is None:
        lengths = np.full(n, width, dtype=np.int64)
        data = np.ascontiguousarray(matrix).ravel()
    else:
        data = matrix[np.arange(width)[None, :] < lengths[:, None]]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return pa.Array.from_buffers(
        pa.large_string(), n, [validity(valid), pa.py_buffer(offsets), pa.py_buffer(data.tobytes())]
    ).cast(pa.string())


def validity(valid: np.ndarray | None) -> pa.Buffer | None:
    if valid is None or valid.all():
        return None
    return pa.py_buffer(np.packbits(valid.astype(np.uint8), bitorder="little").tobytes())


def decimals(values: np.ndarray, valid: np.ndarray | None = None, scale: int = 6) -> pa.Array:
    """Non-negative amounts as decimal(18, scale), built from their unscaled integers."""
    unscaled = np.round(np.asarray(values, dtype=float) * 10**scale).astype(np.int64)
    words = np.zeros((unscaled.size, 2), dtype=np.int64)
    words[:, 0] = unscaled
    words[:, 1] = np.where(unscaled < 0, -1, 0)
    return pa.Array.from_buffers(
        pa.decimal128(18, scale), unscaled.size, [validity(valid), pa.py_buffer(words.tobytes())]
    )


def prefixed(prefixes: list[bytes], which: np.ndarray, body: np.ndarray) -> pa.Array:
    """``prefixes[which[i]] + body[i]`` for every row, as strings."""
    n, width = body.shape
    pre_len = np.array([len(p) for p in prefixes], dtype=np.int64)
    lengths = pre_len[which] + width
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = np.empty(int(offsets[-1]), dtype=np.uint8)
    for i, prefix in enumerate(prefixes):
        rows = np.flatnonzero(which == i)
        if rows.size == 0:
            continue
        row = np.empty((rows.size, len(prefix) + width), dtype=np.uint8)
        row[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
        row[:, len(prefix) :] = body[rows]
        data[offsets[rows][:, None] + np.arange(row.shape[1])[None, :]] = row
    return pa.Array.from_buffers(
        pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data.tobytes())]
    ).cast(pa.string())


def sha40(keys: np.ndarray, salt: int) -> pa.Array:
    """A 40-hex-digit commit-like hash per key."""
    parts = [hex_matrix(mix(keys, salt + i)) for i in range(3)]
    return strings(np.concatenate(parts, axis=1)[:, :40])


def sha40_list(keys: np.ndarray, salt: int) -> list[str]:
    return sha40(keys, salt).to_pylist()


def take_strings(values: list[str], index: np.ndarray) -> pa.Array:
    """``values[index[i]]`` as a string array; an index of -1 gives null."""
    dictionary = pa.array(values, type=pa.string())
    mask = index < 0
    indices = pa.array(np.where(mask, 0, index).astype(np.int32), mask=mask if mask.any() else None)
    return pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())
