"""Folding reprints of one work into a story: MinHash with LSH over segmented, folded text.

The text is folded (Simplified, half-width, lower case: huiwen.text.chinese), cut into words with
rjieba, and every pair of neighbouring words becomes a feature. Punctuation and spacing are
gone before features are made, so full-width/half-width, Traditional and re-spaced copies
agree. The resemblance of two copies is the Jaccard similarity of their feature sets: a
reprint with a different header and footer, a trimmed lede or a dropped last paragraph keeps
0.7 or more; two different articles on the same topic share under 0.1.

A 64-value MinHash signature estimates that similarity; 21 bands of 3 values (locality-
sensitive hashing) find candidates by indexed equality: a pair at similarity 0.55 shares a
band with probability 0.98, a pair at 0.05 with probability 0.003. Candidates are then
confirmed by the signatures' estimate, `SAME_WORK` or more.

SimHash was tried first: on news-length texts a new header line or a trimmed lede moved it by
6 to 17 bits, overlapping the distance between unrelated articles (measured with
bench/dedupe.py), so it could not reach the recall required.

Hashing is vectorised with NumPy: each word is hashed once with CRC-32 (stable across
processes, unlike Python's hash()), neighbouring word hashes are combined, and 64 seeded
SplitMix64 mixes of every feature are taken at once.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from huiwen.text.chinese import words

PERMUTATIONS = 64
ROWS = 3  # values per band
BANDS = PERMUTATIONS // ROWS  # 21
SAME_WORK = 0.35  # estimated Jaccard at or above which two texts are one work
MIN_FEATURES = 8  # below this a text is too short to call two pages the same work
_SEEDS = np.array(
    [int.from_bytes(zlib.crc32(f"huiwen-minhash-{i}".encode()).to_bytes(4, "big") * 2, "big")
     for i in range(PERMUTATIONS)],
    dtype=np.uint64,
)


@dataclass(frozen=True)
class Signature:
    values: np.ndarray  # PERMUTATIONS uint32 minima
    features: int

    @property
    def usable(self) -> bool:
        return self.features >= MIN_FEATURES

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, features: int = MIN_FEATURES) -> Signature:
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), features)

    def band_keys(self) -> list[int]:
        """One positive 63-bit key per band (band number in the top bits): indexed lookups.
        Computed once per signature (a stored article's is asked for by the match and the store)."""
        keys: list[int] | None = self.__dict__.get("_band_keys")
        if keys is None:
            rows = self.values[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
            combined = _mix((rows[:, 0] << np.uint64(32)) | rows[:, 1]) ^ rows[:, 2]
            hashed = _mix(combined) >> np.uint64(8)  # 56 bits of hash under the band number
            keys = self.__dict__["_band_keys"] = [(band << 56) | int(value) for band, value in enumerate(hashed)]
        return keys


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: spreads every input bit over the whole 64-bit output."""
    with np.errstate(over="ignore"):
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def features(text: str) -> np.ndarray:
    """Distinct 64-bit hashes of neighbouring word pairs of the folded text."""
    tokens = words(text)
    if len(tokens) < 2:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, tokens)), dtype=np.uint64, count=len(tokens))
    return np.unique(_mix((hashes[:-1] << np.uint64(32)) | hashes[1:]))


def signature(text: str) -> Signature:
    found = features(text)
    if found.size == 0:
        return Signature(np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32), 0)
    mixed = _mix(found[:, None] ^ _SEEDS[None, :])
    minima = (mixed.min(axis=0) >> np.uint64(32)).astype(np.uint32)
    return Signature(minima, int(found.size))


def similarity(first: Signature, second: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' feature sets."""
    return float(np.mean(first.values == second.values))


def similarities(signature: Signature, others: list[bytes]) -> np.ndarray:
    """similarity() of `signature` with each of the stored signatures `others` (to_bytes() form)."""
    stacked = np.frombuffer(b"".join(others), dtype="<u4").reshape(len(others), PERMUTATIONS)
    scores: np.ndarray = (stacked == signature.values.astype("<u4")).mean(axis=1)
    return scores


def same_work(first: Signature, second: Signature) -> bool:
    return first.usable and second.usable and similarity(first, second) >= SAME_WORK
