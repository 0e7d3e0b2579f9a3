"""Folding reprints of one work into a story: SimHash over segmented, folded text.

The text is folded (Simplified, half-width, lower case: huiwen.search.text), cut into words
with rjieba, and every pair of neighbouring words becomes a feature. Punctuation and spacing
are gone before features are made, so full-width/half-width and re-spaced copies agree; the
lede and editor lines are not part of the body the extractor gives, so different boilerplate
around the same text does not matter. A 64-bit SimHash of the features is stored in four 16-bit
bands: copies within `MAX_DISTANCE` bits share at least one band exactly (pigeonhole), so
candidates are found by indexed equality and then checked by Hamming distance.

Hashing is vectorised with NumPy: each word is hashed once with CRC-32 (stable across
processes, unlike Python's hash()), neighbouring word hashes are combined and mixed with the
SplitMix64 finaliser, and the 64 bit-columns are summed at once.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from huiwen.search.text import words

MAX_DISTANCE = 3
BANDS = 4  # MAX_DISTANCE + 1 bands guarantee a shared band for every pair within the distance
MIN_WORDS = 8  # below this a text is too short to call two pages the same work
_MASK16 = 0xFFFF


@dataclass(frozen=True)
class TextFingerprint:
    simhash: int  # unsigned 64-bit
    words: int

    @property
    def signed(self) -> int:
        """The value as a signed 64-bit integer, for a BIGINT column."""
        return self.simhash - (1 << 64) if self.simhash >= 1 << 63 else self.simhash

    def bands(self) -> list[int]:
        return [(self.simhash >> (16 * index)) & _MASK16 for index in range(BANDS)]


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: spreads every input bit over the whole 64-bit output."""
    with np.errstate(over="ignore"):
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def fingerprint(text: str) -> TextFingerprint:
    tokens = words(text)
    if len(tokens) < 2:
        return TextFingerprint(simhash=0, words=len(tokens))
    hashes = np.fromiter((zlib.crc32(token.encode("utf-8")) for token in tokens), dtype=np.uint64, count=len(tokens))
    features = _mix((hashes[:-1] << np.uint64(32)) | hashes[1:])
    bits = np.unpackbits(features.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(features)
    value = int(np.packbits(votes > 0, bitorder="little").view("<u8")[0])
    return TextFingerprint(simhash=value, words=len(tokens))


def distance(first: int, second: int) -> int:
    return ((first ^ second) & 0xFFFFFFFFFFFFFFFF).bit_count()


def same_work(first: TextFingerprint, second: TextFingerprint) -> bool:
    if min(first.words, second.words) < MIN_WORDS:
        return False
    return distance(first.simhash, second.simhash) <= MAX_DISTANCE
