"""A small TF-IDF vectoriser with the hashing trick, for logs without embeddings (Django-free).

Words (Unicode ``\\w+``, lower-cased) and, for CJK and Thai runs, character bigrams are
hashed (CRC-32) into ``dim`` buckets, weighted by ``log(1 + tf) × idf`` and L2-normalised.
Deterministic, dependency-free and fast; the multilingual embedder is better across
languages (``reelmarket matchmaking evaluate --embedder e5``).
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

DIM = 1024
_WORD = re.compile(r"\w+", re.UNICODE)
_DENSE_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        if _DENSE_SCRIPT.search(word):
            out.extend(word[i : i + 2] for i in range(max(len(word) - 1, 1)))
        elif len(word) > 2:
            out.append(word)
    return out


def hashed_tfidf(texts: Sequence[str], *, dim: int = DIM) -> np.ndarray:
    """(len(texts), dim) float64, unit rows (empty texts give zero rows)."""
    counts = [Counter(zlib.crc32(t.encode()) % dim for t in tokens(text)) for text in texts]
    df = Counter(bucket for c in counts for bucket in c)
    n = max(len(texts), 1)
    matrix = np.zeros((len(texts), dim))
    for i, c in enumerate(counts):
        for bucket, tf in c.items():
            matrix[i, bucket] = math.log1p(tf) * math.log((1 + n) / (1 + df[bucket]))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


__all__ = ["DIM", "hashed_tfidf", "tokens"]
