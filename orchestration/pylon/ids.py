"""Stable identifiers: a bijective mix of counters and the seed, written as fixed-width strings."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)


def mix(x: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 of `x + salt`: a bijection of uint64, so distinct inputs give distinct outputs."""
    z = np.asarray(x).astype(np.uint64) + np.uint64(salt & 0xFFFFFFFFFFFFFFFF) + _M1
    z = (z ^ (z >> np.uint64(30))) * _M2
    z = (z ^ (z >> np.uint64(27))) * _M3
    return z ^ (z >> np.uint64(31))


def fixed_strings(chars: np.ndarray) -> pa.Array:
    """A pyarrow string array from an (n, width) uint8 matrix of ASCII characters, without Python objects."""
    n, width = chars.shape
    data = np.ascontiguousarray(chars).tobytes()
    offsets = (np.arange(n + 1, dtype=np.int64) * width).astype(np.int32 if n * width < 2**31 else np.int64)
    kind = pa.string() if offsets.dtype == np.int32 else pa.large_string()
    arr = pa.Array.from_buffers(kind, n, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data)])
    return arr if kind == pa.string() else arr.cast(pa.string())


def hex_ids(
    words: list[np.ndarray], prefix: str = "", digits: int = 16, dashes: tuple[int, ...] = ()
) -> pa.Array:
    """`prefix` + the first `digits` hex digits of the concatenated 64-bit `words`, with '-' inserted
    before the given digit positions (e.g. (8, 12, 16, 20) for a UUID's layout)."""
    n = len(words[0])
    hexed = np.empty((n, 16 * len(words)), dtype=np.uint8)
    for k, word in enumerate(words):
        w = np.asarray(word).astype(np.uint64)
        for j in range(16):
            hexed[:, 16 * k + j] = _HEX[((w >> np.uint64(4 * (15 - j))) & np.uint64(15)).astype(np.int64)]
    hexed = hexed[:, :digits]
    parts = [np.tile(np.frombuffer(prefix.encode(), dtype=np.uint8), (n, 1))] if prefix else []
    last = 0
    for cut in dashes:
        parts += [hexed[:, last:cut], np.full((n, 1), ord("-"), dtype=np.uint8)]
        last = cut
    parts.append(hexed[:, last:])
    return fixed_strings(np.concatenate(parts, axis=1))


def hex_list(words: list[np.ndarray], digits: int) -> list[str]:
    return hex_ids(words, digits=digits).to_pylist()
