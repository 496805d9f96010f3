"""Text rules for keyword search: normalisation, index form, query parsing, highlighting.

Pure Python (no Django). The same rules build the stored *index form* of a title's texts
and the tokens of a query, so the two always agree:

* :func:`normalize`: NFKC, casefold, Traditional -> Simplified Chinese (OpenCC ``t2s``),
  Latin (and Greek) diacritics removed (``hoạt`` == ``hoat``, ``đ`` == ``d``); the combining
  marks of Thai, Lao, Khmer, Devanagari ... are kept (they change the word).
* Runs of Han / kana / Hangul and of Thai / Lao / Khmer / Myanmar (no spaces between words)
  become overlapping bigrams of characters (a character is a base letter with its combining
  marks) plus the run's last character on its own, so a one-character query finds every
  occurrence with a prefix query. Everything else is split into words of letters, marks
  and digits.
* A query is a list of phrases (one per whitespace-separated chunk), all of which must
  match. User input never reaches FTS5 ``MATCH`` or ``to_tsquery`` as syntax: tokens hold
  only letters, marks and digits, and are quoted.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import opencc

MAX_QUERY_CHARS = 500
MAX_KEY_CHARS = 300
# Longer words are cut (PostgreSQL refuses lexemes over 2047 bytes; nobody types them).
MAX_TOKEN_CHARS = 64
MAX_PHRASES = 32
MAX_PHRASE_TOKENS = 64


class QueryTooLong(ValueError):
    """The query is longer than :data:`MAX_QUERY_CHARS` characters."""

    def __init__(self, length: int) -> None:
        super().__init__(f"search query too long: {length} characters (at most {MAX_QUERY_CHARS})")
        self.length = length


# --- character classes -----------------------------------------------------------------

# Scripts written without spaces between words: split into bigrams.
_BIGRAM_RANGES = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FA),  # Hiragana, Katakana (not the ・ middle dot)
    (0x30FC, 0x30FF),  # ー and friends
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x323AF),  # CJK extensions B..H
)
# Diacritics dropped from Latin and Greek letters (after decomposition).
_STRIP_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Letters NFD does not decompose but readers treat as the plain letter.
_LATIN_EXTRA = {"đ": "d", "ø": "o", "ł": "l", "ħ": "h", "ŧ": "t", "ı": "i", "ɨ": "i", "ƀ": "b"}


def _ranges_to_class(ranges: list[tuple[int, int]]) -> str:
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


def _build_classes() -> tuple[str, str]:
    """Regex classes: letters of the bigram scripts, combining marks (BMP only).

    Other word characters are ``\\w`` minus ``_`` (checked by the regex engine itself; a
    class of every letter would be slow). Marks outside the BMP are left out so the class
    compiles to a bitmap; they are separators, on both the index and the query side.
    """
    bigram: list[tuple[int, int]] = []
    marks: list[tuple[int, int]] = []
    starts = [a for a, _ in _BIGRAM_RANGES]

    def in_bigram(cp: int) -> bool:
        i = bisect.bisect_right(starts, cp) - 1
        return i >= 0 and cp <= _BIGRAM_RANGES[i][1]

    def add(target: list[tuple[int, int]], cp: int) -> None:
        if target and target[-1][1] == cp - 1:
            target[-1] = (target[-1][0], cp)
        else:
            target.append((cp, cp))

    for start, end in ((0x300, 0xD7FF), (0xF900, 0xFFFF), (0x20000, 0x323AF)):
        for cp in range(start, end + 1):
            category = unicodedata.category(chr(cp))
            if category[0] == "M" and cp <= 0xFFFF:
                add(marks, cp)
            elif category[0] == "L" and in_bigram(cp):
                add(bigram, cp)
    return _ranges_to_class(bigram), _ranges_to_class(marks)


_B, _M = _build_classes()
# Letters, digits and marks; within one, CJK/Thai runs (a letter and its marks, repeated)
# and words (anything else; marks with no letter before them are a word of their own).
_SEGMENT = re.compile(f"(?:[^\\W_]|[{_M}])+")
_SPLIT = re.compile(f"(?P<run>(?:[{_B}][{_M}]*)+)|(?P<word>[^{_B}]+)")
_CLUSTER = re.compile(f"[{_B}][{_M}]*")
_HAS_MARK = re.compile(f"[{_M}]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]")


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _latin_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in (*range(0xC0, 0x250), *range(0x370, 0x400), *range(0x1E00, 0x1F00)):
        char = chr(cp)
        plain = _STRIP_MARKS.sub("", unicodedata.normalize("NFD", char))
        plain = unicodedata.normalize("NFC", plain)
        if plain != char:
            table[cp] = plain
    for char, plain in _LATIN_EXTRA.items():
        table[ord(char)] = plain
    return table


_LATIN_TABLE = _latin_table()


def _fold(text: str) -> str:
    """NFKC, casefold, strip Latin/Greek diacritics (no Chinese folding)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        text = _STRIP_MARKS.sub("", text.translate(_LATIN_TABLE))
    return text


@functools.lru_cache(maxsize=1 << 16)
def _fold_char(char: str) -> str:
    """``_fold`` of one character, remembered: highlighting folds synopses character by
    character, and a catalogue uses a few thousand distinct characters."""
    return _fold(char)


def _t2s(text: str) -> str:
    return _converter().convert(text) if _HAN.search(text) else text


def normalize(text: str) -> str:
    """The searchable form of ``text`` (same length class, not yet tokenised)."""
    return _t2s(_fold(text))


# --- tokens --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    text: str
    start: int  # span in the normalised string
    end: int


def _cut(word: str) -> str:
    return word[:MAX_TOKEN_CHARS]


def _runs(norm: str) -> Iterator[tuple[bool, str, int]]:
    """(is a CJK/Thai run, text, start) for each run or word of a normalised string."""
    for segment in _SEGMENT.finditer(norm):
        text = segment.group()
        if text.isascii():
            yield False, text, segment.start()
            continue
        base = segment.start()
        for match in _SPLIT.finditer(text):
            yield match.group("run") is not None, match.group(), base + match.start()


def _clusters(run: str) -> list[str]:
    """Characters of a run: a letter with the marks that follow it."""
    return list(run) if _HAS_MARK.search(run) is None else _CLUSTER.findall(run)


def _tokens(norm: str, *, query: bool = False) -> list[_Token]:
    """Index tokens of a normalised string, with spans.

    With ``query=True`` (one query chunk) the final run's trailing unigram is left out:
    in the indexed text that run may go on, so only its bigrams are sure to be there.
    """
    tokens: list[_Token] = []
    runs = list(_runs(norm))
    for n, (is_run, text, start) in enumerate(runs):
        if not is_run:
            tokens.append(_Token(_cut(text), start, start + len(text)))
            continue
        clusters = _clusters(text)
        offsets = list(itertools.accumulate((len(c) for c in clusters), initial=start))
        if len(clusters) == 1:
            tokens.append(_Token(_cut(text), start, start + len(text)))
            continue
        for i in range(len(clusters) - 1):
            pair = clusters[i] + clusters[i + 1]
            tokens.append(_Token(_cut(pair), offsets[i], offsets[i + 2]))
        if not (query and n == len(runs) - 1):
            tokens.append(_Token(_cut(clusters[-1]), offsets[-2], offsets[-1]))
    return tokens


def _token_texts(norm: str) -> list[str]:
    """The texts of ``_tokens(norm)``, without spans (the fast path for indexing)."""
    out: list[str] = []
    for is_run, text, _ in _runs(norm):
        if not is_run:
            out.append(text[:MAX_TOKEN_CHARS])
            continue
        clusters = _clusters(text)
        if len(clusters) > 1:
            out.extend(
                [
                    (clusters[i] + clusters[i + 1])[:MAX_TOKEN_CHARS]
                    for i in range(len(clusters) - 1)
                ]
            )
        out.append(clusters[-1][:MAX_TOKEN_CHARS])
    return out


# Whitespace and CJK sentence punctuation: no token, no Chinese phrase conversion and no
# Unicode composition crosses them, so the index form of a text is the index forms of its
# pieces joined by spaces. Pieces (words, CJK clauses) repeat a lot across a catalogue and
# are cached: indexing 1M titles is mostly cache hits.
_PIECES = re.compile("[\\s\u3000-\u3003\u300a-\u300f\uff01\uff0c\uff1a\uff1b\uff1f]+")


@functools.lru_cache(maxsize=200_000)
def _piece_form(piece: str) -> str:
    return " ".join(_token_texts(normalize(piece)))


def _index_form_whole(text: str) -> str:
    """:func:`index_form` without the per-piece cache (the reference it must equal)."""
    return " ".join(_token_texts(normalize(text)))


@functools.lru_cache(maxsize=100_000)
def index_form(text: str) -> str:
    """What ``SearchDocument.names`` / ``body`` store: tokens joined by single spaces."""
    return " ".join(filter(None, map(_piece_form, _PIECES.split(text))))


def exact_key(text: str) -> str:
    """Normalised full name for exact-title hits (``SearchName.key``), at most 300 chars."""
    runs = (text for _, text, _ in _runs(normalize(text)))
    return " ".join(runs)[:MAX_KEY_CHARS].rstrip()


# --- queries -------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """Consecutive tokens; with ``prefix`` the last one may be the start of a longer token."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    phrases: tuple[Phrase, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.phrases)


def _is_cluster(token: str) -> bool:
    match = _CLUSTER.fullmatch(token)
    return match is not None


def _phrase(chunk: str) -> Phrase | None:
    tokens = _tokens(chunk, query=True)[:MAX_PHRASE_TOKENS]
    if not tokens:
        return None
    last = tokens[-1].text
    # The last token is what the user may still be typing: a single CJK/Thai character,
    # or a one- or two-letter word, matches any token it starts.
    prefix = _is_cluster(last) or (len(last) <= 2 and _CLUSTER.match(last) is None)
    return Phrase(tuple(t.text for t in tokens), prefix)


def parse_query(query: str) -> ParsedQuery:
    """Phrases of ``query`` (all must match). Raises :class:`QueryTooLong` past 500 chars."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(len(query))
    phrases: list[Phrase] = []
    for chunk in normalize(query).split():
        phrase = _phrase(chunk)
        if phrase is not None and phrase not in phrases:
            phrases.append(phrase)
    return ParsedQuery(tuple(phrases[:MAX_PHRASES]))


def fts5_match(parsed: ParsedQuery, *, column: str | None = None) -> str:
    """An FTS5 ``MATCH`` expression for ``parsed`` ('' when there is nothing to match).

    ``column`` restricts every phrase to one column (a trusted identifier, not user input).
    """
    parts = []
    for phrase in parsed.phrases:
        quoted = " ".join(t.replace('"', '""') for t in phrase.tokens)
        parts.append(f'"{quoted}"' + (" *" if phrase.prefix else ""))
    expression = " AND ".join(parts)
    if expression and column:
        return f"{column} : ({expression})"
    return expression


def tsquery(parsed: ParsedQuery, *, weights: str = "", phrases: bool = True) -> str:
    """Text for ``to_tsquery('simple', %s)`` (bind it as a parameter); '' for no match.

    ``weights`` (e.g. ``"A"``) restricts every lexeme to those tsvector weights.
    With ``phrases=False`` the tokens of a phrase are ANDed instead of adjacent (``<->``):
    a superset of the phrase matches that a GIN index answers exactly, with no recheck.
    """
    weights = "".join(w for w in weights.upper() if w in "ABCD")
    parts = []
    for phrase in parsed.phrases:
        lexemes = []
        for i, token in enumerate(phrase.tokens):
            quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
            last = i == len(phrase.tokens) - 1
            label = ("*" if last and phrase.prefix else "") + weights
            lexemes.append(f"{quoted}:{label}" if label else quoted)
        parts.append("(" + (" <-> " if phrases else " & ").join(lexemes) + ")")
    return " & ".join(parts)


# --- highlighting --------------------------------------------------------------------


def _normalize_mapped(text: str) -> tuple[str, list[int]]:
    """``normalize`` applied char by char, with the original index of each output char."""
    pieces: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        origin.extend([i] * len(folded))
    folded = "".join(pieces)
    converted = _t2s(folded)
    if len(converted) != len(folded):  # a phrase conversion changed the length
        converted = "".join(_t2s(c) if len(_t2s(c)) == 1 else c for c in folded)
    return converted, origin


def _match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Merged spans of ``text`` (original indices) where a query phrase matched."""
    try:
        parsed = parse_query(query)
    except QueryTooLong:
        return []
    if not parsed or not text:
        return []
    norm, origin = _normalize_mapped(text)
    tokens = _tokens(norm)
    words = [t.text for t in tokens]
    spans: list[tuple[int, int]] = []
    for phrase in parsed.phrases:
        size = len(phrase.tokens)
        head, last = phrase.tokens[:-1], phrase.tokens[-1]
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size - 1]) != head:
                continue
            candidate = words[i + size - 1]
            if candidate == last or (phrase.prefix and candidate.startswith(last)):
                start = tokens[i].start
                end = tokens[i + size - 1].end
                if candidate != last:  # prefix hit: mark only the typed part
                    end = tokens[i + size - 1].start + len(last)
                spans.append((origin[start], origin[end - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _segments(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    at = lo
    for start, end in spans:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < hi:
        out.append((text[at:hi], False))
    return out


def highlight(text: str, query: str) -> list[tuple[str, bool]]:
    """``text`` cut into segments, True where a query phrase matched (for ``<mark>``)."""
    return _segments(text, _match_spans(text, query), 0, len(text))


def snippet(text: str, query: str, width: int = 160) -> list[tuple[str, bool]]:
    """Like :func:`highlight` but only about ``width`` characters around the first match."""
    if len(text) <= width:
        return highlight(text, query)
    spans = _match_spans(text, query)
    first = spans[0][0] if spans else 0
    lo = max(0, min(first - width // 4, len(text) - width))
    if lo > 0:  # start on a word boundary when one is near
        space = text.find(" ", lo, first)
        if space != -1 and space - lo < width // 8:
            lo = space + 1
    hi = min(len(text), lo + width)
    segments = _segments(text, spans, lo, hi)
    if lo > 0:
        segments.insert(0, ("…", False))
    if hi < len(text):
        segments.append(("…", False))
    return segments


__all__ = [
    "MAX_QUERY_CHARS",
    "ParsedQuery",
    "Phrase",
    "QueryTooLong",
    "exact_key",
    "fts5_match",
    "highlight",
    "index_form",
    "normalize",
    "parse_query",
    "snippet",
    "tsquery",
]
