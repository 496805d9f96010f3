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

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np

GLOBAL = "*"
# A language needs this many vectors before it gets a centroid of its own at all.
MIN_LANGUAGE_COUNT = 1
# ... and its centroid is shrunk towards the global mean as if CENTROID_PRIOR vectors equal
# to the global mean were added: c = (n * mean_lang + k * mean_all) / (n + k). Six texts give
# a noisy mean that would subtract their meaning along with their language; a hard minimum
# of 20 (the first version) switched centring off for every language of a small catalogue.
# Relevance set (12-36 vectors per language), hybrid R@1/R@5: k=0 0.65/0.89, k=10 0.75/0.94,
# k=20 0.78/0.94; a 5-title catalogue (tests/discovery/test_search.py) needs k >= 20 to
# keep an English query from preferring the one English text. With thousands of texts per
# language the prior no longer matters.
CENTROID_PRIOR = 20.0

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
    prior: float = CENTROID_PRIOR,
) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Mean vector per language (not normalised) plus :data:`GLOBAL`, and the counts.

    A language with fewer than ``min_count`` vectors gets the global mean; the others get
    their mean shrunk towards the global mean by ``prior`` pseudo-vectors (see
    :data:`CENTROID_PRIOR`).
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
    return centroids_from_sums(sums, counts, min_count=min_count, prior=prior)


def centroids_from_sums(
    sums: Mapping[str, np.ndarray],
    counts: Mapping[str, int],
    *,
    min_count: int = MIN_LANGUAGE_COUNT,
    prior: float = CENTROID_PRIOR,
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
            blended = np.asarray(sums[language], np.float64) + prior * global_mean
            centroids[language] = (blended / (count + prior)).astype(np.float32)
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


# -- countries a query names ---------------------------------------------------------------

# The languages whose CLDR country names and language names are recognised in queries: the
# languages of the market's buyers and sellers (the relevance set's nine).
QUERY_LOCALES = ("en", "zh_Hans", "zh_Hant", "ja", "ko", "th", "vi", "id", "fr")
# A language name counts as naming a country ("Korean", "coréen", "韓国語" -> KR) only when the
# language is official in at most this many countries ("Chinese" -> CN HK MO SG TW, yes;
# "French", "English", "Spanish", no).
DEMONYM_MAX_COUNTRIES = 5
_LATIN_EDGE = re.compile(r"[0-9a-z\u00c0-\u024f\u1e00-\u1eff]")
_KANA = re.compile(r"[\u30a0-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


# Names buyers use that CLDR does not list: everyday short names (호주 for 오스트레일리아) and
# trade shorthand for a country's series or films (drakor, 韓劇, lakorn, Bollywood).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "호주": ("AU",), "澳洲": ("AU",), "台灣": ("TW",), "大陆": ("CN",), "大陸": ("CN",),
    "内地": ("CN",), "內地": ("CN",), "港產": ("HK",), "港产": ("HK",),
    "drakor": ("KR",), "k-drama": ("KR",), "kdrama": ("KR",), "k-movie": ("KR",),
    "韩剧": ("KR",), "韓劇": ("KR",), "韓ドラ": ("KR",), "韓流": ("KR",), "韩流": ("KR",),
    "日剧": ("JP",), "日劇": ("JP",), "j-drama": ("JP",), "台剧": ("TW",), "台劇": ("TW",),
    "港剧": ("HK",), "港劇": ("HK",), "港片": ("HK",), "泰剧": ("TH",), "泰劇": ("TH",),
    "lakorn": ("TH",), "陆剧": ("CN",), "陸劇": ("CN",), "c-drama": ("CN",), "dracin": ("CN",),
    "美剧": ("US",), "美劇": ("US",), "英剧": ("GB",), "英劇": ("GB",), "한드": ("KR",),
    "phim hàn": ("KR",), "phim thái": ("TH",), "phim nhật": ("JP",), "phim trung": ("CN",),
    "bollywood": ("IN",), "nollywood": ("NG",), "hollywood": ("US",),
}  # fmt: skip


def _name_variants(name: str) -> set[str]:
    """A CLDR name and its short forms: without "(...)" and without what follows a comma."""
    base = re.sub(r"\s*[(（].*?[)）]\s*", " ", name).strip()
    out = {name.strip(), base, base.split(",")[0].strip()}
    return {variant for variant in out if len(variant) >= 2}


@lru_cache(maxsize=1)
def country_lexicon() -> dict[str, frozenset[str]]:
    """Normalised phrase -> ISO country codes, from CLDR (Babel) in :data:`QUERY_LOCALES`.

    Per locale: every country's name (and short forms), the exemplar city of a country with
    one time zone ("Hong Kong" where the country name is "Hong Kong SAR China"; "Seoul"), and
    demonym-like language names (see :data:`DEMONYM_MAX_COUNTRIES`).
    """
    from babel import Locale
    from babel.core import get_global
    from babel.languages import get_official_languages

    from reelmarket.discovery.text import normalize

    codes = sorted(code for code in get_global("territory_languages") if len(code) == 2)
    zones: dict[str, list[str]] = {}
    for zone, territory in get_global("zone_territories").items():
        zones.setdefault(territory, []).append(zone)
    spoken: dict[str, set[str]] = {}
    for code in codes:
        for language in get_official_languages(code, de_facto=True):
            spoken.setdefault(language.split("_")[0], set()).add(code)
    lexicon: dict[str, set[str]] = {}

    def add(phrase: str, countries: set[str]) -> None:
        for variant in _name_variants(phrase):
            key = normalize(variant).strip()
            if len(key) >= 2:
                lexicon.setdefault(key, set()).update(countries)

    for locale_name in QUERY_LOCALES:
        locale = Locale.parse(locale_name)
        for code in codes:
            if name := locale.territories.get(code):
                add(name, {code})
            single_zone = zones[code][0] if len(zones.get(code, ())) == 1 else ""
            if single_zone and (city := locale.time_zones.get(single_zone, {}).get("city")):
                add(city, {code})
        for language, countries in spoken.items():
            if len(countries) <= DEMONYM_MAX_COUNTRIES and (name := locale.languages.get(language)):
                add(name, countries)
    for alias, countries in COUNTRY_ALIASES.items():
        add(alias, set(countries))
    return {key: frozenset(value) for key, value in lexicon.items()}


def _whole(norm: str, start: int, end: int) -> bool:
    """Whether norm[start:end] is not part of a longer word (per the script's word rules)."""
    before = norm[start - 1] if start else ""
    after = norm[end] if end < len(norm) else ""
    first, last = norm[start], norm[end - 1]
    if _LATIN_EDGE.match(first) and before.isalnum():
        return False
    if _LATIN_EDGE.match(last) and after.isalnum():
        return False
    if _KANA.match(first) and _KANA.match(before):  # タイ is not inside タイトル
        return False
    if _KANA.match(last) and _KANA.match(after):
        return False
    # Korean: a name starts a word; particles may follow (한국의)
    return not (_HANGUL.match(first) and _HANGUL.match(before))


def lexicon_keys(norm: str, keys: Iterable[str]) -> list[str]:
    """Which of ``keys`` (normalised phrases) ``norm`` contains as whole words.

    Whole words for Latin, kana and Hangul (see :func:`_whole`); substrings elsewhere (CJK and
    Thai have no spaces). Of overlapping finds the longest wins (中国香港 -> not 中国).
    """
    found: list[tuple[int, int, str]] = []
    for key in keys:
        start = norm.find(key)
        while start >= 0:
            if _whole(norm, start, start + len(key)):
                found.append((start, start + len(key), key))
                break
            start = norm.find(key, start + 1)
    return [
        key
        for start, end, key in found
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _k in found)
    ]


def query_countries(text: str) -> frozenset[str]:
    """ISO codes of the countries ``text`` names, in any of :data:`QUERY_LOCALES`.

    "polar coréen" -> {KR, KP}; "韓国の連続殺人スリラー" -> {KR}; "phim hoạt hình" -> {}. Matching
    is on the normalised text (case, diacritics and Traditional/Simplified folded), whole
    words for Latin, kana and Hangul; the longest of overlapping names wins (中国香港 -> HK,
    not CN). A soft signal: ranking boosts these countries' titles, it never filters.
    """
    from reelmarket.discovery.text import normalize

    norm = normalize(text)
    if not norm.strip():
        return frozenset()
    lexicon = country_lexicon()
    countries: set[str] = set()
    for key in lexicon_keys(norm, lexicon):
        countries |= lexicon[key]
    return frozenset(countries)


__all__ = [
    "CENTROID_PRIOR",
    "COUNTRY_ALIASES",
    "GLOBAL",
    "MIN_LANGUAGE_COUNT",
    "centre",
    "centre_query",
    "centroids_from_sums",
    "chinese_variant_scores",
    "compute_centroids",
    "country_lexicon",
    "guess_query_language",
    "language_script",
    "lexicon_keys",
    "query_countries",
    "text_scripts",
]
