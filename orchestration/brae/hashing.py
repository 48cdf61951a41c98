"""Stable identifiers: hashes of integers, hex strings and commit shas, built for whole columns at once."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


def mix(*parts: np.ndarray | int) -> np.ndarray:
    """A splitmix64 hash of the given integer columns, combined in order."""
    with np.errstate(over="ignore"):
        h = np.zeros(1, dtype=np.uint64)
        for part in parts:
            value = np.asarray(part).astype(np.uint64)
            h = h * _GOLD + value + _GOLD
            h ^= h >> np.uint64(30)
            h *= _M1
            h ^= h >> np.uint64(27)
            h *= _M2
            h ^= h >> np.uint64(31)
    return h


def hex_array(values: np.ndarray, digits: int = 16) -> pa.Array:
    """Lower-case hex of unsigned 64-bit values, `digits` long (at most 16), as a string column."""
    raw = np.asarray(values, dtype=np.uint64).astype(">u8").view(np.uint8).reshape(-1, 8)
    nibbles = np.empty((raw.shape[0], 16), dtype=np.uint8)
    nibbles[:, 0::2] = raw >> 4
    nibbles[:, 1::2] = raw & 15
    chars = np.ascontiguousarray(_HEX[nibbles][:, 16 - digits :])
    return pa.array(chars.view(f"S{digits}").ravel()).cast(pa.string())


def hex_list(values: np.ndarray, digits: int = 16) -> list[str]:
    return hex_array(values, digits).to_pylist()


def shas(seed_parts: tuple[int, ...], count: int) -> np.ndarray:
    """`count` distinct-looking 40-hex commit shas, as a numpy array of str."""
    index = np.arange(count, dtype=np.uint64)
    pieces = [hex_list(mix(*seed_parts, index, k)) for k in range(3)]
    return np.array([a + b + c[:8] for a, b, c in zip(*pieces, strict=True)], dtype=object)
