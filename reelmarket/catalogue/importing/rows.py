"""One row -> TitleInput: friendly values to vocabulary codes, the compact rights and
festivals syntax, and pydantic errors turned into (column, message) pairs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.utils import translation
from pydantic import ValidationError

from reelmarket.catalogue import services
from reelmarket.catalogue.enums import (
    Genre,
    MediaChoices,
    RecognitionKind,
    Stage,
    TitleKind,
    WindowStatus,
)
from reelmarket.catalogue.importing.readers import (
    CREDIT_COLUMNS,
    SCALAR_COLUMNS,
    TEXT_PARTS,
    ImportRejected,
    canonical_tag,
    cell_text,
    read_rows,
)
from reelmarket.catalogue.inputs import RightsInput, TitleInput

# --------------------------------------------------------------------------------------
# Friendly values -> vocabulary codes


def _norm(value: str) -> str:
    return re.sub(r"[\s_\-/().&]+", " ", value.casefold()).strip()


_ALIASES: dict[str, dict[str, str]] = {
    "kind": {
        "film": "feature",
        "movie": "feature",
        "feature film": "feature",
        "drama": "series",
        "tv series": "series",
        "drama series": "series",
        "animated film": "animation_feature",
        "animation film": "animation_feature",
        "doc": "documentary",
        "documentary film": "documentary",
        "short film": "short",
        "unscripted format": "format_unscripted",
        "scripted format": "format_scripted",
        "novel": "book",
        "manga": "comic",
        "webtoon": "comic",
        "video game": "game",
    },
    "stage": {
        "complete": "completed",
        "finished": "completed",
        "released": "completed",
        "pre production": "pre_production",
        "post production": "post_production",
    },
    "genre": {
        "sci fi": "sci_fi",
        "scifi": "sci_fi",
        "coming of age": "youth",
        "history": "historical",
        "animated": "animation",
    },
    "media": {
        "tvod": "tvod_est",
        "est": "tvod_est",
        "cinema": "theatrical",
        "inflight": "airline",
        "in flight": "airline",
    },
    "status": {"hold": "on_hold"},
    "recognition": {
        "official selection": "selection",
        "in competition": "selection",
        "nominated": "nomination",
        "nominee": "nomination",
        "winner": "award",
        "won": "award",
        "prize": "award",
    },
    "exclusive": {
        "exclusive": "yes",
        "excl": "yes",
        "non exclusive": "no",
        "nonexclusive": "no",
        "non excl": "no",
    },
    "boolean": {
        "yes": "yes",
        "y": "yes",
        "true": "yes",
        "1": "yes",
        "no": "no",
        "n": "no",
        "false": "no",
        "0": "no",
    },
}
_CHOICES = {
    "kind": TitleKind,
    "stage": Stage,
    "genre": Genre,
    "media": MediaChoices,
    "status": WindowStatus,
    "recognition": RecognitionKind,
}


@cache
def _vocabulary(name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    if name in _CHOICES:
        with translation.override("en"):
            for value, label in _CHOICES[name].choices:
                table[_norm(value)] = value
                table[_norm(str(label))] = value
    table.update({_norm(alias): value for alias, value in _ALIASES.get(name, {}).items()})
    return table


def _lookup(name: str, text: str) -> str | None:
    return _vocabulary(name).get(_norm(text))


def _allowed(name: str) -> str:
    return ", ".join(_CHOICES[name].values)


def _items(value: Any, *, commas: bool = False) -> list[Any]:
    """A list cell: a JSON array, or text split on ";" and line breaks (and "," for codes).

    A lone JSON object is a list of one."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if v is not None and (not isinstance(v, str) or v.strip())]
    separators = r"[;\n,]" if commas else r"[;\n]"
    return [part.strip() for part in re.split(separators, cell_text(value)) if part.strip()]


# --------------------------------------------------------------------------------------
# One row -> TitleInput


@dataclass
class _Converted:
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    failed_windows: set[int] = field(default_factory=set)
    text_languages: list[str] = field(default_factory=list)
    credit_columns: list[str] = field(default_factory=list)
    festival_sources: list[str] = field(default_factory=list)
    rights_sources: list[str] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.problems.append((column, message))
        self.failed.add(column)


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, list | dict) and cell_text(value) == "")


def _number(value: Any, *, decimal: bool) -> Any:
    """Numbers pass through (a float as text for a Decimal); "1,200,000" loses its commas."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value) if decimal and isinstance(value, float) else value
    text = cell_text(value)
    return text.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text) else text


def _festival(text: str) -> tuple[dict[str, Any] | None, str | None]:
    head, _, award = text.partition(":")
    words = head.split()
    for i in range(len(words) - 1, 0, -1):
        if re.fullmatch(r"\d{4}", words[i]):
            kind_text = " ".join(words[i + 1 :])
            kind = _lookup("recognition", kind_text) if kind_text else "selection"
            if kind is None:
                return None, f"“{kind_text}” is not one of: {_allowed('recognition')}"
            return {
                "festival": " ".join(words[:i]),
                "year": int(words[i]),
                "kind": kind,
                "award": award.strip(),
            }, None
    return None, (
        "write the festival, its year, then selection, nomination or award, "
        "like “Busan 2024 selection” or “Berlinale 2025 award: Crystal Bear”"
    )


def _day(text: str, *, end: bool) -> date:
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a date (use YYYY-MM-DD or a year)") from None


_RIGHTS_SYNTAX = (
    "write media:territories:from..until[:exclusive|non-exclusive"
    "[:available|on hold|sold[:counterparty]]]"
)


def _rights_window(text: str) -> tuple[dict[str, Any] | None, list[str]]:
    parts = [p.strip() for p in text.split(":", 5)]
    if len(parts) < 3:
        return None, [f"{_RIGHTS_SYNTAX}, like svod:VN,TH:2026-01-01..2028-12-31"]
    problems: list[str] = []
    window: dict[str, Any] = {}
    if media := _lookup("media", parts[0]):
        window["media"] = media
    else:
        problems.append(f"“{parts[0]}” is not a media (use one of: {_allowed('media')})")
    include, _, exclude = parts[1].partition("-")

    def codes(spec: str) -> list[str]:
        out = [c.strip().upper().replace(" ", "_") for c in re.split(r"[,-]", spec)]
        return ["WW" if c == "WORLDWIDE" else c for c in out if c]

    window["territories"], window["excluded"] = codes(include), codes(exclude)
    start, dots, end = parts[2].partition("..")
    if not dots or not start.strip():
        problems.append(
            f"“{parts[2]}”: write the term as from..until, like "
            "2026-01-01..2028-12-31, or 2026-01-01.. with no end"
        )
    else:
        try:
            window["starts_on"] = _day(start.strip(), end=False)
            window["ends_on"] = _day(end.strip(), end=True) if end.strip() else None
        except ValueError as exc:
            problems.append(str(exc))
    if len(parts) > 3 and parts[3]:
        if (flag := _lookup("exclusive", parts[3])) is None:
            problems.append(f"“{parts[3]}” is not exclusive or non-exclusive")
        window["exclusive"] = flag == "yes"
    if len(parts) > 4 and parts[4]:
        if (status := _lookup("status", parts[4])) is None:
            problems.append(f"“{parts[4]}” is not a status (use available, on hold or sold)")
        window["status"] = status
    if len(parts) > 5:
        window["counterparty"] = parts[5]
    return (None if problems else window), problems


def _convert_rights(value: Any, conv: _Converted) -> None:
    if isinstance(value, str) and _norm(value) == "none":
        conv.data["rights"] = []
        return
    windows = []
    items = _items(value)
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            windows.append(item)
            conv.rights_sources.append("")
            continue
        source = cell_text(item)
        window, problems = _rights_window(source)
        for message in problems:
            conv.problems.append(("rights", f"window {number} (“{source}”): {message}"))
            conv.failed_windows.add(number - 1)
        windows.append(window)
        conv.rights_sources.append(source)
    conv.data["rights"] = windows


def _convert(values: Mapping[str, Any]) -> _Converted:
    conv = _Converted()
    data = conv.data
    for column in SCALAR_COLUMNS:
        raw = values.get(column)
        if _blank(raw):
            continue
        if column in ("kind", "stage"):
            data[column] = _lookup(column, cell_text(raw)) or cell_text(raw)
        elif column == "original_language":
            data[column] = canonical_tag(cell_text(raw))
        elif column in ("year", "runtime_minutes", "episodes", "episode_minutes"):
            data[column] = _number(raw, decimal=False)
        elif column in ("budget_amount", "financing_secured"):
            data[column] = _number(raw, decimal=True)
        else:
            data[column] = cell_text(raw)
    for column in ("trailer_url", "screener_url"):
        if not _blank(values.get(column)):
            data[column] = cell_text(values[column])
    if not _blank(raw := values.get("new_this_market")):
        flag = _lookup("boolean", cell_text(raw))
        if flag is None:
            conv.fail(
                "new_this_market",
                f"“{cell_text(raw)}” is not yes or no (use yes, no, true, false, 1 or 0)",
            )
        data["new_this_market"] = flag == "yes"
    if not _blank(raw := values.get("genres")):
        genres = [cell_text(g) for g in _items(raw, commas=True)]
        data["genres"] = [_lookup("genre", g) or g for g in genres]
    if not _blank(raw := values.get("countries")):
        data["countries"] = [cell_text(c) for c in _items(raw, commas=True)]
    if not _blank(raw := values.get("languages")):
        data["languages"] = [canonical_tag(cell_text(tag)) for tag in _items(raw, commas=True)]
    credits = []
    for column, role in CREDIT_COLUMNS.items():
        for name in _items(values.get(column)):
            credits.append({"role": role.value, "name": cell_text(name)})
            conv.credit_columns.append(column)
    data["credits"] = credits
    recognitions = []
    for item in _items(values.get("festivals")):
        if isinstance(item, dict):
            recognitions.append(item)
            conv.festival_sources.append("")
            continue
        recognition, message = _festival(cell_text(item))
        if message:
            conv.problems.append(("festivals", f"“{cell_text(item)}”: {message}"))
        else:
            recognitions.append(recognition)
            conv.festival_sources.append(cell_text(item))
    data["recognitions"] = recognitions
    texts: dict[str, dict[str, str]] = {}
    for key, raw in values.items():
        part, _, language = key.partition("_")
        if part in TEXT_PARTS and language and not _blank(raw):
            texts.setdefault(language, {})["name" if part == "title" else part] = cell_text(raw)
    for language, text in texts.items():
        if "name" not in text:
            conv.fail(
                f"title_{language}", f"a title in {language} is needed with its logline or synopsis"
            )
        data.setdefault("texts", []).append({"language": language, **text})
        conv.text_languages.append(language)
    if not _blank(raw := values.get("rights")):
        _convert_rights(raw, conv)
    return conv


def _locate(loc: tuple[Any, ...], conv: _Converted) -> tuple[str | None, str]:
    """The column (and a message prefix) a pydantic error location points at."""
    if not loc:
        return None, ""
    head, index = loc[0], loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    if head == "texts" and index is not None:
        part = {"logline": "logline", "synopsis": "synopsis"}.get(
            loc[2] if len(loc) > 2 else "", "title"
        )
        return f"{part}_{conv.text_languages[index]}", ""
    if head == "credits" and index is not None:
        return conv.credit_columns[index], ""
    if head == "recognitions" and index is not None:
        source = conv.festival_sources[index]
        return "festivals", (f"“{source}”: " if source else f"item {index + 1}: ")
    if head == "rights" and index is not None:
        source = conv.rights_sources[index]
        detail = f" ({loc[2]})" if len(loc) > 2 and not source else ""
        return "rights", f"window {index + 1}" + (f" (“{source}”)" if source else detail) + ": "
    return str(head), ""


def _message(error: Mapping[str, Any]) -> str:
    if error["type"] == "missing":
        return "a value is required"
    message = error["msg"].removeprefix("Value error, ")
    value = error.get("input")
    if error["type"].endswith(("_parsing", "_type")) and isinstance(value, str | int | float):
        message += f" (“{value}”)"
    return message


def _rights_conflicts(windows: list[RightsInput], conv: _Converted) -> list[tuple[str, str]]:
    try:
        services.validate_rights(windows)
    except services.RightsConflict as exc:
        where = "rights"
        if exc.index is not None:
            source = conv.rights_sources[exc.index]
            where = f"window {exc.index + 1}" + (f" (“{source}”)" if source else "")
        return [("rights", f"{where}: {message}") for message in exc.messages]
    return []


def _position(column: str | None, columns: list[str]) -> int:
    """Where a problem's column is in the file, to list a row's problems left to right."""
    if column is None:
        return -1
    part, _, language = column.partition("_")
    candidates = [column]
    if part in TEXT_PARTS:  # title_en may be missing while synopsis_en is there
        candidates += [f"{other}_{language}" for other in TEXT_PARTS]
    return min((columns.index(c) for c in candidates if c in columns), default=len(columns))


def row_to_title_input(
    values: Mapping[str, Any],
) -> tuple[TitleInput | None, list[tuple[str | None, str]]]:
    """One row ``{column: value}`` as a TitleInput, or None and its (column, message) list.

    Column names are canonical (see :data:`COLUMNS`). Every problem of the row is listed,
    in column order; the rights windows are also checked for conflicts with each other.
    """
    conv = _convert(values)
    problems = list(conv.problems)
    data = None
    rights_ok = not conv.failed_windows
    try:
        data = TitleInput.model_validate(conv.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = error["loc"]
            rights_ok = rights_ok and loc[:1] != ("rights",)
            column, prefix = _locate(loc, conv)
            if column in conv.failed or (
                loc[:1] == ("rights",) and len(loc) > 1 and loc[1] in conv.failed_windows
            ):
                continue
            problems.append((column, prefix + _message(error)))
    if rights_ok and conv.data.get("rights"):
        windows = [RightsInput.model_validate(w) for w in conv.data["rights"]]
        problems += _rights_conflicts(windows, conv)
    if problems:
        problems.sort(key=lambda problem: _position(problem[0], list(values)))
        return None, problems
    return data, []


@dataclass(frozen=True)
class ParsedFile:
    titles: list[TitleInput]
    lines: list[int]


def parse_titles(content: bytes, *, fmt: str) -> ParsedFile:
    """Every title of a file, validated; raises ImportRejected listing ALL problems."""
    sheet = read_rows(content, fmt=fmt)
    problems = sheet.problems
    titles, lines, seen = [], [], {}
    for row in sheet.rows if sheet.validate_rows else []:
        data, row_problems = row_to_title_input(row.values)
        problems += [sheet.problem(m, line=row.line, column=c) for c, m in row_problems]
        reference = cell_text(row.values.get("reference"))
        if reference in seen:
            problems.append(
                sheet.problem(
                    f"“{reference}” is also on {sheet.line_word} {seen[reference]}; each title "
                    "(reference) may appear only once in a file",
                    line=row.line,
                    column="reference",
                )
            )
        elif reference:
            seen[reference] = row.line
        if data is not None:
            titles.append(data)
            lines.append(row.line)
    if problems:
        raise ImportRejected(problems)
    return ParsedFile(titles, lines)
