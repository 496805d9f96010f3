"""What the history model knows about every item (a title or a project): genres, kind, vector.

An :class:`ItemSpace` is built once per recompute from plain values. Vectors are unit rows
(the multilingual embedder's synopsis vectors, or :mod:`.textvec` for logs without them);
an item without a text has a zero row and earns no similarity points.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

FIXED = 2.0**15  # vectors in fixed point: similarities are exact whatever the summation order
SIM_SAMPLE = 2_000  # items sampled to calibrate the similarity scale
SIM_FLOOR_QUANTILE = 0.5  # similarity at or below this quantile of item pairs earns 0
SIM_FULL_QUANTILE = 0.995  # ... at or above this one earns full points


def fixed(vectors: np.ndarray) -> np.ndarray:
    """Unit vectors as integers (float64) of 2**15 × their components."""
    return np.round(np.asarray(vectors, dtype=np.float64) * FIXED)


def exact_sims(left_fixed: np.ndarray, right_fixed: np.ndarray) -> np.ndarray:
    """Cosine similarities of fixed-point rows, (len(left), len(right)).

    Every product and partial sum is an integer below 2**53, so the result is the same bit
    for bit whichever BLAS kernel or block shape computes it: one pair scored alone equals
    the same pair inside a batch.
    """
    left = np.asarray(left_fixed, dtype=np.float64)  # stored as int32: cast per block
    right = np.asarray(right_fixed, dtype=np.float64)
    return (left @ right.T) * (1.0 / (FIXED * FIXED))


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def one_hot(
    rows: Sequence[Iterable[str]], vocabulary: dict[str, int], dtype: type = np.float32
) -> np.ndarray:
    matrix = np.zeros((len(rows), max(len(vocabulary), 1)), dtype=dtype)
    for i, values in enumerate(rows):
        for value in values:
            j = vocabulary.get(value)
            if j is not None:
                matrix[i, j] = 1.0
    return matrix


def one_hot_shared(
    rows: Sequence[Iterable[Any]],
    vocabulary: dict[str, int],
    encode: Callable[[Iterable[Any]], Iterable[str]] = lambda values: values,
    dtype: type = np.float32,
) -> np.ndarray:
    """``one_hot`` of rows that are often the same object (a catalogue's frozen sets of
    genres or rights packages are shared): each distinct object is encoded once."""
    codes: dict[int, int] = {}
    distinct: list[Iterable[Any]] = []
    index = np.empty(len(rows), dtype=np.int64)
    for n, value in enumerate(rows):
        key = id(value)
        if key not in codes:
            codes[key] = len(distinct)
            distinct.append(value)
        index[n] = codes[key]
    return one_hot([list(encode(v)) for v in distinct], vocabulary, dtype)[index]


def vocabulary_of(*groups: Iterable[Iterable[str]]) -> dict[str, int]:
    vocabulary: dict[str, int] = {}
    for group in groups:
        for values in group:
            for value in sorted(values):
                vocabulary.setdefault(value, len(vocabulary))
    return vocabulary


class ItemSpace:
    """Items by dense index: ids, genre one-hot (T, G), kind index (T,), unit vectors (T, d)."""

    def __init__(
        self,
        *,
        ids: Sequence[int],
        genres: Sequence[Iterable[str]],
        kinds: Sequence[str],
        vectors: np.ndarray | None = None,
        seed: int = 0,
    ) -> None:
        self.ids = np.asarray(list(ids), dtype=np.int64)
        if len(np.unique(self.ids)) != len(self.ids):
            raise ValueError("duplicate item ids")
        self.index_of: dict[int, int] = {int(i): n for n, i in enumerate(self.ids.tolist())}
        genre_sets = [g if isinstance(g, frozenset) else frozenset(g) for g in genres]
        self.genre_sets = genre_sets
        self.genre_vocab = vocabulary_of(genre_sets)
        self.genre_names = sorted(self.genre_vocab, key=self.genre_vocab.__getitem__)
        self.genres = one_hot_shared(genre_sets, self.genre_vocab, dtype=np.uint8)
        # each item's genre columns, padded with the index one past the last genre
        width = max((len(g) for g in genre_sets), default=0) or 1
        self.genre_index = np.full((len(genre_sets), width), len(self.genre_vocab), np.int64)
        for i, values in enumerate(genre_sets):
            columns = sorted(self.genre_vocab[v] for v in values)
            self.genre_index[i, : len(columns)] = columns
        self.kind_names = sorted(set(kinds))
        kind_vocab = {k: n for n, k in enumerate(self.kind_names)}
        self.kind_list = list(kinds)
        self.kinds = np.asarray([kind_vocab[k] for k in kinds], dtype=np.int64)
        n = len(self.ids)
        if vectors is None:
            self.vectors = np.zeros((n, 1), dtype=np.float64)
        else:
            if len(vectors) != n:
                raise ValueError("one vector per item expected")
            self.vectors = normalise_rows(vectors)
        self.has_vector = np.linalg.norm(self.vectors, axis=1) > 0
        # |component| ≤ 2**15: int32 holds them exactly in half the memory of float64
        self.fixed = fixed(self.vectors).astype(np.int32)
        self.sim_floor, self.sim_full = self._calibrate(seed)

    def __len__(self) -> int:
        return len(self.ids)

    def _calibrate(self, seed: int) -> tuple[float, float]:
        """The similarity scale of these vectors: (floor, full) from item-pair quantiles."""
        rows = np.flatnonzero(self.has_vector)
        if len(rows) < 3:
            return 0.0, 1.0
        rng = np.random.default_rng(seed)
        sample = rng.choice(rows, size=min(SIM_SAMPLE, len(rows)), replace=False)
        block = self.vectors[sample]
        sims = block @ block.T
        upper = sims[np.triu_indices(len(sample), k=1)]
        floor = float(np.quantile(upper, SIM_FLOOR_QUANTILE))
        full = float(np.quantile(upper, SIM_FULL_QUANTILE))
        if full - floor < 1e-6:
            full = floor + 1e-6
        return floor, full

    def closeness(self, sims: np.ndarray) -> np.ndarray:
        """Similarities mapped onto 0..1 by the calibrated (floor, full) scale."""
        return np.clip((sims - self.sim_floor) / (self.sim_full - self.sim_floor), 0.0, 1.0)

    def indices(self, ids: Iterable[int]) -> np.ndarray:
        return np.asarray([self.index_of[int(i)] for i in ids], dtype=np.int64)


class TopLists(Mapping[int, list[tuple[int, float]]]):
    """Each user's top items, read as ``{user id: [(item id, total), ...]}``.

    Held as two small arrays per user (≈ 16 bytes a suggestion) rather than tuples of
    Python numbers (≈ 110 bytes): 100,000 users × 50 suggestions stay ≈ 80 MB."""

    def __init__(self) -> None:
        self._lists: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def put(self, user: int, ids: np.ndarray, totals: np.ndarray) -> None:
        self._lists[user] = (ids, totals)

    def __getitem__(self, user: int) -> list[tuple[int, float]]:
        ids, totals = self._lists[user]
        return list(zip(ids.tolist(), totals.tolist(), strict=True))

    def __iter__(self) -> Iterator[int]:
        return iter(self._lists)

    def __len__(self) -> int:
        return len(self._lists)


__all__ = [
    "FIXED",
    "ItemSpace",
    "TopLists",
    "exact_sims",
    "fixed",
    "normalise_rows",
    "one_hot",
    "one_hot_shared",
    "vocabulary_of",
]
