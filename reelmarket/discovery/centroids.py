"""Per-language centroids: remove the language bias of multilingual embeddings (pure).

A multilingual model puts texts of one language close together whatever they are about, so
in a mixed-language catalogue a Chinese query finds Chinese texts first. Subtracting each
language's mean vector (its centroid) from that language's vectors, and the query
language's centroid from the query, leaves mostly the meaning.

Centroid keys are the language tags as stored (``"zh-Hans"``, ``"en"``); matching against
them is case-insensitive. The key :data:`GLOBAL` holds the mean of all vectors, used for a
language with too few texts of its own and for a query whose language has no centroid.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

GLOBAL = "*"
MIN_LANGUAGE_COUNT = 20

# Scripts of the languages that are not written in Latin letters (primary subtag).
_LANGUAGE_SCRIPTS = {
    "zh": "han",
    "ja": "ja",
    "ko": "hangul",
    "th": "thai",
    "lo": "lao",
    "km": "khmer",
    "my": "myanmar",
    "ru": "cyrillic",
    "uk": "cyrillic",
    "bg": "cyrillic",
    "sr": "cyrillic",
    "mk": "cyrillic",
    "be": "cyrillic",
    "kk": "cyrillic",
    "mn": "cyrillic",
    "el": "greek",
    "ar": "arabic",
    "fa": "arabic",
    "ur": "arabic",
    "he": "hebrew",
    "hi": "devanagari",
    "mr": "devanagari",
    "ne": "devanagari",
    "bn": "bengali",
    "ta": "tamil",
    "te": "telugu",
    "ml": "malayalam",
    "kn": "kannada",
    "gu": "gujarati",
    "pa": "gurmukhi",
    "si": "sinhala",
    "ka": "georgian",
    "hy": "armenian",
}

# (first, last, script) code point ranges; anything alphabetic not listed counts as "latin"
# when below U+0250 or in Latin Extended Additional, else "other".
_RANGES = (
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0530, 0x058F, "armenian"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"),
    (0x0A00, 0x0A7F, "gurmukhi"),
    (0x0A80, 0x0AFF, "gujarati"),
    (0x0B80, 0x0BFF, "tamil"),
    (0x0C00, 0x0C7F, "telugu"),
    (0x0C80, 0x0CFF, "kannada"),
    (0x0D00, 0x0D7F, "malayalam"),
    (0x0D80, 0x0DFF, "sinhala"),
    (0x0E00, 0x0E7F, "thai"),
    (0x0E80, 0x0EFF, "lao"),
    (0x1000, 0x109F, "myanmar"),
    (0x10A0, 0x10FF, "georgian"),
    (0x1100, 0x11FF, "hangul"),
    (0x1780, 0x17FF, "khmer"),
    (0x1E00, 0x1EFF, "latin"),
    (0x3040, 0x30FF, "kana"),
    (0x3130, 0x318F, "hangul"),
    (0x31F0, 0x31FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "hangul"),
    (0xF900, 0xFAFF, "han"),
    (0xFF66, 0xFF9F, "kana"),
    (0x20000, 0x2FFFF, "han"),
)


def _char_script(char: str) -> str | None:
    code = ord(char)
    for first, last, script in _RANGES:
        if first <= code <= last:
            return script
    if char.isalpha():
        return "latin" if code < 0x0250 else "other"
    return None


def text_scripts(text: str) -> dict[str, int]:
    """How many letters of each script ``text`` has (digits, spaces, punctuation ignored)."""
    counts: dict[str, int] = {}
    for char in text:
        script = _char_script(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return counts


def language_script(language: str) -> str:
    """The script a language tag is usually written in (``"latin"`` unless known otherwise)."""
    tag = language.lower()
    primary = tag.split("-")[0]
    if primary == "sr" and "latn" in tag:
        return "latin"
    return _LANGUAGE_SCRIPTS.get(primary, "latin")


def _chinese_variant(language: str) -> str | None:
    """ "hans" / "hant" for a Chinese tag whose variant is known, else None."""
    tag = language.lower()
    if not (tag == "zh" or tag.startswith("zh-")):
        return None
    if "hant" in tag or tag in {"zh-tw", "zh-hk", "zh-mo"}:
        return "hant"
    if "hans" in tag or tag in {"zh-cn", "zh-sg"}:
        return "hans"
    return None


_opencc_lock = threading.Lock()


@lru_cache(maxsize=2)
def _converter(config: str):  # -> opencc.OpenCC
    import opencc

    return opencc.OpenCC(config)


def chinese_variant_scores(text: str) -> tuple[int, int]:
    """(simplified evidence, traditional evidence): characters that change on conversion.

    A character that changes when converted to Traditional was written Simplified, and the
    other way round. Characters common to both (中文) are evidence for neither.
    """
    with _opencc_lock:
        to_trad = _converter("s2t").convert(text)
        to_simp = _converter("t2s").convert(text)
    simplified = sum(a != b for a, b in zip(text, to_trad, strict=False))
    traditional = sum(a != b for a, b in zip(text, to_simp, strict=False))
    return simplified, traditional


def compute_centroids(
    vectors: np.ndarray,
    languages: Sequence[str],
    *,
    min_count: int = MIN_LANGUAGE_COUNT,
) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Mean vector per language (not normalised) plus :data:`GLOBAL`, and the counts.

    A language with fewer than ``min_count`` vectors gets the global mean: a handful of
    texts gives a noisy mean that would subtract their meaning along with their language.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    langs = np.asarray(list(languages), dtype=object)
    if len(langs) != len(vectors):
        raise ValueError("vectors and languages differ in length")
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for language in set(langs.tolist()):
        rows = langs == language
        sums[language] = vectors[rows].sum(axis=0, dtype=np.float64)
        counts[language] = int(rows.sum())
    return centroids_from_sums(sums, counts, min_count=min_count)


def centroids_from_sums(
    sums: Mapping[str, np.ndarray],
    counts: Mapping[str, int],
    *,
    min_count: int = MIN_LANGUAGE_COUNT,
) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Like :func:`compute_centroids`, from per-language vector sums (for streamed data)."""
    total = sum(counts.values())
    if not total:
        return {}, {}
    global_sum = np.sum([np.asarray(v, dtype=np.float64) for v in sums.values()], axis=0)
    global_mean = (global_sum / total).astype(np.float32)
    centroids: dict[str, np.ndarray] = {GLOBAL: global_mean}
    out_counts: dict[str, int] = {GLOBAL: total}
    for language in sorted(sums):
        count = int(counts[language])
        out_counts[language] = count
        if count >= min_count:
            centroids[language] = (np.asarray(sums[language], np.float64) / count).astype(
                np.float32
            )
        else:
            centroids[language] = global_mean
    return centroids, out_counts


def _lookup(centroids: Mapping[str, np.ndarray], language: str | None) -> np.ndarray | None:
    if language is not None:
        if language in centroids:
            return centroids[language]
        lowered = language.lower()
        for key, vector in centroids.items():
            if key.lower() == lowered:
                return vector
    return centroids.get(GLOBAL)


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


def centre(
    vectors: np.ndarray, languages: Sequence[str], centroids: Mapping[str, np.ndarray]
) -> np.ndarray:
    """normalise(v - centroid[language]) row by row (the global mean for unknown languages).

    With no centroids at all the vectors are returned normalised, unchanged otherwise.
    """
    out = np.array(vectors, dtype=np.float32, copy=True)
    if out.ndim != 2:
        raise ValueError("centre() takes a 2-d array; use centre_query() for one vector")
    langs = np.asarray(list(languages), dtype=object)
    if len(langs) != len(out):
        raise ValueError("vectors and languages differ in length")
    for language in set(langs.tolist()):
        centroid = _lookup(centroids, language)
        if centroid is not None:
            out[langs == language] -= centroid
    return _normalise(out)


def guess_query_language(
    text: str, vector: np.ndarray | None, centroids: Mapping[str, np.ndarray]
) -> str | None:
    """The centroid key the query's language most likely is, or None when none fits.

    Kana -> Japanese, Hangul -> Korean, Thai -> Thai, Han -> Simplified or Traditional
    Chinese (by which characters it uses; the nearer centroid of the two when it could be
    either). Other scripts (Latin, Cyrillic ...): the nearest centroid to ``vector`` among
    the languages written in that script.
    """
    keys = [key for key in centroids if key != GLOBAL]
    if not keys:
        return None
    scripts = text_scripts(text)
    if not scripts:
        return None
    if scripts.get("kana"):
        script = "ja"
    elif scripts.get("hangul"):
        script = "hangul"
    elif scripts.get("thai"):
        script = "thai"
    elif scripts.get("han"):
        script = "han"
    else:
        script = max(sorted(scripts), key=lambda name: scripts[name])

    if script == "han":
        candidates = [key for key in keys if language_script(key) == "han"]
        if not candidates:
            return None
        simplified, traditional = chinese_variant_scores(text)
        wanted = None
        if simplified > traditional:
            wanted = "hans"
        elif traditional > simplified:
            wanted = "hant"
        if wanted is not None:
            exact = [key for key in candidates if _chinese_variant(key) == wanted]
            if exact:
                return sorted(exact)[0]
            unmarked = [key for key in candidates if _chinese_variant(key) is None]
            if unmarked:
                return sorted(unmarked)[0]
        return _nearest(vector, candidates, centroids)

    candidates = [key for key in keys if language_script(key) == script]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    return _nearest(vector, candidates, centroids)


def _nearest(
    vector: np.ndarray | None, candidates: list[str], centroids: Mapping[str, np.ndarray]
) -> str:
    candidates = sorted(candidates)
    if vector is None or len(candidates) == 1:
        return candidates[0]
    query = np.asarray(vector, dtype=np.float32).reshape(-1)
    matrix = _normalise(np.stack([centroids[key] for key in candidates]))
    return candidates[int(np.argmax(matrix @ query))]


def centre_query(
    text: str, vector: np.ndarray, centroids: Mapping[str, np.ndarray]
) -> tuple[np.ndarray, str | None]:
    """(normalise(query - centroid of its guessed language), the guess).

    Falls back to the global mean when no language fits; unchanged (normalised) when there
    are no centroids.
    """
    query = np.asarray(vector, dtype=np.float32).reshape(-1)
    language = guess_query_language(text, query, centroids)
    centroid = _lookup(centroids, language)
    if centroid is not None:
        query = query - centroid
    return _normalise(query[None, :])[0], language


__all__ = [
    "GLOBAL",
    "MIN_LANGUAGE_COUNT",
    "centre",
    "centre_query",
    "centroids_from_sums",
    "chinese_variant_scores",
    "compute_centroids",
    "guess_query_language",
    "language_script",
    "text_scripts",
]
