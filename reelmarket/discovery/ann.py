"""Approximate nearest-neighbour index over text vectors (pure: hnswlib + numpy, no Django).

The database holds the vectors; this index is a cache that can be rebuilt from it, saved
to files, loaded by another process and brought up to date incrementally.

Vocabulary:
- *label*: the id of a text vector (``TextEmbedding.id``); a title has one per language.
- *slot*: where a label lives inside this index. hnswlib is given slots as its labels, so a
  removed label's slot (marked deleted in the graph) is reused by the next added label.

Searches return the best text per title: ``[(title_id, label, similarity), ...]``, best
first, at most ``k`` titles. A filter restricts the titles; when it leaves few vectors the
search is exact (numpy) over just those, which is both exact and faster than a filtered
graph walk.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

import hnswlib
import numpy as np

INDEX_FILE = "vectors.hnsw"
ARRAYS_FILE = "slots.npz"
VECTORS_FILE = "vectors.npy"
SIDECAR_FILE = "index.json"
FORMAT_VERSION = 1

EXACT_MIN_VECTORS = 20_000
EXACT_FRACTION = 0.02

Hit = tuple[int, int, float]  # (title_id, label, similarity)
Allowed = np.ndarray | Collection[int] | None


class _ReadWriteLock:
    """Many readers or one writer (writers wait for readers; new readers wait for writers)."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


def _as_matrix(vectors: np.ndarray, dim: int) -> np.ndarray:
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[1] != dim:
        raise ValueError(f"expected vectors of dimension {dim}, got shape {matrix.shape}")
    return matrix


def _as_ids(values: object) -> np.ndarray:
    ids = np.asarray(
        list(values)
        if isinstance(values, Collection) and not isinstance(values, np.ndarray)
        else values,
        dtype=np.int64,
    ).reshape(-1)
    if ids.size and ids.min() < 0:
        raise ValueError("labels and title ids must not be negative")
    return ids


def _dot(matrix: np.ndarray, query: np.ndarray) -> np.ndarray:
    """matrix @ query without BLAS: OpenBLAS's threaded sgemv is 20-30x slower here."""
    return np.einsum("ij,j->i", matrix, query)


def best_per_title(titles: np.ndarray, labels: np.ndarray, sims: np.ndarray, k: int) -> list[Hit]:
    """The first (best) hit of each title, in order of ``sims`` descending, at most ``k``."""
    order = np.argsort(-sims, kind="stable")
    hits: list[Hit] = []
    seen: set[int] = set()
    for i in order.tolist():
        title = int(titles[i])
        if title in seen:
            continue
        seen.add(title)
        hits.append((title, int(labels[i]), float(sims[i])))
        if len(hits) == k:
            break
    return hits


class VectorIndex:
    """hnswlib HNSW (inner product on unit vectors) + a label -> title map + the vectors.

    Thread safety: any number of searches run together; ``build``/``add``/``remove`` take an
    exclusive lock, so searches see the index before or after a write, never during one.
    """

    def __init__(
        self,
        dim: int,
        *,
        model: str = "",
        m: int = 16,
        ef_construction: int = 128,
        ef: int = 256,
        threads: int = -1,
    ) -> None:
        self.dim = int(dim)
        self.model = model
        self.m = m
        self.ef_construction = ef_construction
        self.ef = ef
        self.threads = threads
        self.last_change_id = 0
        self._lock = _ReadWriteLock()
        self._reset(capacity=0)

    # -- storage -------------------------------------------------------------------------

    def _reset(self, *, capacity: int) -> None:
        self._graph = hnswlib.Index(space="ip", dim=self.dim)
        self._graph.init_index(
            max_elements=max(capacity, 16), M=self.m, ef_construction=self.ef_construction
        )
        self._graph.set_ef(self.ef)
        self._used = 0  # slots handed out so far (alive or free)
        self._slot_labels = np.zeros(0, dtype=np.int64)
        self._slot_titles = np.zeros(0, dtype=np.int64)
        self._alive = np.zeros(0, dtype=bool)
        self._vectors = np.zeros((0, self.dim), dtype=np.float32)
        self._slot_of = np.full(0, -1, dtype=np.int64)  # label -> slot
        self._free: list[int] = []

    def _grow_slots(self, needed: int) -> None:
        capacity = len(self._alive)
        if needed <= capacity:
            return
        new = max(needed, capacity * 2, 1024)
        self._slot_labels = np.concatenate(
            [self._slot_labels, np.full(new - capacity, -1, dtype=np.int64)]
        )
        self._slot_titles = np.concatenate(
            [self._slot_titles, np.full(new - capacity, -1, dtype=np.int64)]
        )
        self._alive = np.concatenate([self._alive, np.zeros(new - capacity, dtype=bool)])
        vectors = np.zeros((new, self.dim), dtype=np.float32)
        vectors[:capacity] = self._vectors
        self._vectors = vectors
        if self._graph.get_max_elements() < new:
            self._graph.resize_index(new)

    def _grow_labels(self, max_label: int) -> None:
        if max_label < len(self._slot_of):
            return
        new = max(max_label + 1, len(self._slot_of) * 2, 1024)
        grown = np.full(new, -1, dtype=np.int64)
        grown[: len(self._slot_of)] = self._slot_of
        self._slot_of = grown

    # -- writes --------------------------------------------------------------------------

    def build(self, labels: object, title_ids: object, vectors: np.ndarray) -> None:
        """Replace the whole index with these vectors (uses every core)."""
        labels_arr, titles_arr = _as_ids(labels), _as_ids(title_ids)
        matrix = _as_matrix(vectors, self.dim)
        if not (len(labels_arr) == len(titles_arr) == len(matrix)):
            raise ValueError("labels, title_ids and vectors differ in length")
        if len(np.unique(labels_arr)) != len(labels_arr):
            raise ValueError("duplicate labels")
        n = len(labels_arr)
        with self._lock.write():
            self._reset(capacity=n)
            self._grow_slots(n)
            if n:
                self._grow_labels(int(labels_arr.max()))
                slots = np.arange(n, dtype=np.int64)
                self._slot_labels[:n] = labels_arr
                self._slot_titles[:n] = titles_arr
                self._alive[:n] = True
                self._vectors[:n] = matrix
                self._slot_of[labels_arr] = slots
                self._graph.add_items(self._vectors[:n], slots, num_threads=self.threads)
            self._used = n

    def add(self, labels: object, title_ids: object, vectors: np.ndarray) -> None:
        """Add vectors, or update those whose label is already in (re-embedded texts).

        New labels reuse the slots of removed ones first; the graph grows when full.
        """
        labels_arr, titles_arr = _as_ids(labels), _as_ids(title_ids)
        matrix = _as_matrix(vectors, self.dim)
        if not (len(labels_arr) == len(titles_arr) == len(matrix)):
            raise ValueError("labels, title_ids and vectors differ in length")
        if len(np.unique(labels_arr)) != len(labels_arr):
            raise ValueError("duplicate labels")
        if not len(labels_arr):
            return
        with self._lock.write():
            self._grow_labels(int(labels_arr.max()))
            slots = self._slot_of[labels_arr].copy()
            fresh = np.flatnonzero(slots < 0)
            reused = [self._free.pop() for _ in range(min(len(fresh), len(self._free)))]
            new_count = len(fresh) - len(reused)
            self._grow_slots(self._used + new_count)
            new_slots = np.arange(self._used, self._used + new_count, dtype=np.int64)
            slots[fresh] = np.concatenate([np.asarray(reused, dtype=np.int64), new_slots])
            self._used += new_count
            self._slot_of[labels_arr] = slots
            self._slot_labels[slots] = labels_arr
            self._slot_titles[slots] = titles_arr
            self._alive[slots] = True
            self._vectors[slots] = matrix
            # An existing slot (alive or marked deleted) is updated in place and undeleted.
            self._graph.add_items(matrix, slots, num_threads=self.threads)

    def remove(self, labels: object) -> int:
        """Remove these labels (unknown ones are ignored); returns how many were removed."""
        labels_arr = _as_ids(labels)
        removed = 0
        with self._lock.write():
            for label in labels_arr.tolist():
                if label >= len(self._slot_of) or self._slot_of[label] < 0:
                    continue
                slot = int(self._slot_of[label])
                self._graph.mark_deleted(slot)
                self._slot_of[label] = -1
                self._alive[slot] = False
                self._slot_labels[slot] = -1
                self._slot_titles[slot] = -1
                self._free.append(slot)
                removed += 1
        return removed

    def remove_titles(self, title_ids: object) -> int:
        """Remove every vector of these titles; returns how many were removed."""
        titles = _as_ids(title_ids)
        with self._lock.read():
            mask = self._alive[: self._used] & np.isin(self._slot_titles[: self._used], titles)
            labels = self._slot_labels[: self._used][mask]
        return self.remove(labels)

    def set_ef(self, ef: int) -> None:
        """The graph walk width for searches (higher: better recall, slower)."""
        with self._lock.write():
            self.ef = int(ef)
            self._graph.set_ef(self.ef)

    # -- reads ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._alive[: self._used].sum())

    def __contains__(self, label: object) -> bool:
        value = int(label)  # type: ignore[call-overload]
        return 0 <= value < len(self._slot_of) and self._slot_of[value] >= 0

    def labels(self) -> np.ndarray:
        """The labels in the index (in slot order)."""
        with self._lock.read():
            return self._slot_labels[: self._used][self._alive[: self._used]].copy()

    def title_of(self, label: int) -> int | None:
        with self._lock.read():
            if label in self:
                return int(self._slot_titles[self._slot_of[label]])
            return None

    def vector_of(self, label: int) -> np.ndarray | None:
        with self._lock.read():
            if label in self:
                return self._vectors[self._slot_of[label]].copy()
            return None

    def _allowed_slots(self, allowed_titles: Allowed) -> np.ndarray | None:
        """Bool mask over slots (alive and allowed), or None for "everything alive"."""
        if allowed_titles is None:
            return None
        titles = self._slot_titles[: self._used]
        alive = self._alive[: self._used]
        if isinstance(allowed_titles, np.ndarray) and allowed_titles.dtype == bool:
            mask = np.zeros(len(titles), dtype=bool)
            inside = alive & (titles < len(allowed_titles))
            mask[inside] = allowed_titles[titles[inside]]
            return mask
        ids = _as_ids(allowed_titles)
        return alive & np.isin(titles, ids)

    def _exact(self, query: np.ndarray, slots: np.ndarray, k: int) -> list[Hit]:
        if not len(slots) or k <= 0:
            return []
        if len(slots) * 4 > self._used:
            # Many rows: one pass over the contiguous block beats gathering them first.
            sims = _dot(self._vectors[: self._used], query)[slots]
        else:
            sims = _dot(np.take(self._vectors, slots, axis=0), query)
        titles = self._slot_titles[slots]
        labels = self._slot_labels[slots]
        fetch = min(len(slots), max(4 * k, k + 32))
        while True:
            if fetch < len(slots):
                top = np.argpartition(-sims, fetch - 1)[:fetch]
            else:
                top = np.arange(len(slots))
            hits = best_per_title(titles[top], labels[top], sims[top], k)
            if len(hits) == k or fetch >= len(slots):
                return hits
            fetch = min(len(slots), fetch * 4)

    def search(
        self,
        vector: np.ndarray,
        *,
        k: int = 10,
        allowed_titles: Allowed = None,
        ef: int | None = None,
    ) -> list[Hit]:
        """Best text per title for a unit query vector: ``[(title_id, label, sim)]``, best first.

        ``allowed_titles``: None (all), a bool array indexed by title id, or a collection of
        title ids. When the allowed vectors are fewer than max(20,000, 2 % of the index) the
        search is exact over them; otherwise the graph walk skips the others.
        """
        query = _as_matrix(vector, self.dim)[0]
        if k <= 0:
            return []
        with self._lock.read():
            total = len(self)
            if not total:
                return []
            mask = self._allowed_slots(allowed_titles)
            if mask is not None:
                allowed_count = int(mask.sum())
                if allowed_count < max(EXACT_MIN_VECTORS, EXACT_FRACTION * total):
                    return self._exact(query, np.flatnonzero(mask), k)
                available = allowed_count
            else:
                available = total
            return self._graph_search(query, k, mask, available, ef)

    def _graph_search(
        self, query: np.ndarray, k: int, mask: np.ndarray | None, available: int, ef: int | None
    ) -> list[Hit]:
        flt: Callable[[int], bool] | None = None
        if mask is not None:
            allowed = mask

            def flt(slot: int) -> bool:
                return bool(allowed[slot])

        fetch = min(available, max(2 * k, k + 16))
        while True:
            # hnswlib walks with max(index ef, count): a larger ``ef`` is asked for as count.
            count = min(available, max(fetch, ef or 0))
            try:
                slots, _distances = self._graph.knn_query(query, k=count, num_threads=1, filter=flt)
            except RuntimeError:  # the walk found fewer than ``count`` (sparse filter, deletions)
                exact = mask if mask is not None else self._alive[: self._used]
                return self._exact(query, np.flatnonzero(exact), k)
            slots = slots[0].astype(np.int64)
            # Same arithmetic as the exact path, so both report identical similarities.
            sims = _dot(np.take(self._vectors, slots, axis=0), query)
            hits = best_per_title(self._slot_titles[slots], self._slot_labels[slots], sims, k)
            if len(hits) == k or count >= available:
                return hits
            fetch = min(available, fetch * 4)

    def exact_search(
        self, vector: np.ndarray, *, k: int = 10, allowed_titles: Allowed = None
    ) -> list[Hit]:
        """The exact answer (numpy over every allowed vector), for tests and benchmarks."""
        query = _as_matrix(vector, self.dim)[0]
        with self._lock.read():
            mask = self._allowed_slots(allowed_titles)
            if mask is None:
                mask = self._alive[: self._used]
            return self._exact(query, np.flatnonzero(mask), k)

    # -- files ---------------------------------------------------------------------------

    def save(self, directory: str | os.PathLike[str], *, last_change_id: int | None = None) -> None:
        """Write the index into ``directory`` (replaced as a whole, the sidecar last)."""
        if last_change_id is not None:
            self.last_change_id = int(last_change_id)
        target = Path(directory)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(f"{target.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        with self._lock.read():
            used = self._used
            self._graph.save_index(str(staging / INDEX_FILE))
            np.savez(
                staging / ARRAYS_FILE,
                slot_labels=self._slot_labels[:used],
                slot_titles=self._slot_titles[:used],
                alive=self._alive[:used],
                free=np.asarray(self._free, dtype=np.int64),
            )
            np.save(staging / VECTORS_FILE, self._vectors[:used])
            sidecar = {
                "format": FORMAT_VERSION,
                "model": self.model,
                "dim": self.dim,
                "count": len(self),
                "slots": used,
                "last_change_id": self.last_change_id,
                "m": self.m,
                "ef_construction": self.ef_construction,
            }
        (staging / SIDECAR_FILE).write_text(json.dumps(sidecar, indent=1))
        old = target.with_name(f"{target.name}.old-{os.getpid()}-{threading.get_ident()}")
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def read_sidecar(directory: str | os.PathLike[str]) -> dict:
        """The sidecar of a saved index ({"model", "dim", "count", "last_change_id", ...})."""
        return json.loads((Path(directory) / SIDECAR_FILE).read_text())

    @classmethod
    def load(
        cls,
        directory: str | os.PathLike[str],
        *,
        model: str | None = None,
        ef: int = 256,
        threads: int = -1,
    ) -> VectorIndex:
        """Load a saved index. Raises FileNotFoundError, or ValueError when ``model`` differs."""
        path = Path(directory)
        sidecar = cls.read_sidecar(path)
        if sidecar.get("format") != FORMAT_VERSION:
            raise ValueError(f"index format {sidecar.get('format')} is not {FORMAT_VERSION}")
        if model is not None and sidecar["model"] != model:
            raise ValueError(f"index was built for {sidecar['model']!r}, not {model!r}")
        index = cls(
            int(sidecar["dim"]),
            model=sidecar["model"],
            m=int(sidecar["m"]),
            ef_construction=int(sidecar["ef_construction"]),
            ef=ef,
            threads=threads,
        )
        arrays = np.load(path / ARRAYS_FILE)
        vectors = np.load(path / VECTORS_FILE)
        used = int(sidecar["slots"])
        if len(arrays["alive"]) != used or len(vectors) != used:
            raise ValueError("index files do not match their sidecar")
        graph = hnswlib.Index(space="ip", dim=index.dim)
        graph.load_index(str(path / INDEX_FILE), max_elements=max(used, 16))
        graph.set_ef(ef)
        index._graph = graph
        index._used = 0
        index._grow_slots(used)
        index._slot_labels[:used] = arrays["slot_labels"]
        index._slot_titles[:used] = arrays["slot_titles"]
        index._alive[:used] = arrays["alive"]
        index._vectors[:used] = vectors
        index._used = used
        index._free = [int(s) for s in arrays["free"]]
        alive_labels = index._slot_labels[:used][index._alive[:used]]
        if len(alive_labels):
            index._grow_labels(int(alive_labels.max()))
            index._slot_of[alive_labels] = np.flatnonzero(index._alive[:used])
        index.last_change_id = int(sidecar["last_change_id"])
        return index


__all__ = [
    "EXACT_FRACTION",
    "EXACT_MIN_VECTORS",
    "Hit",
    "VectorIndex",
    "best_per_title",
]
