"""Readers: a CSV, XLSX or JSON Lines file's bytes -> rows of ``{column: value}``.

Each row keeps its line (CSV: physical line, header = line 1; XLSX: sheet row; JSONL: line).
Headers are case-insensitive and resolved to the canonical column names of :data:`COLUMNS`
plus ``title_<lang>`` / ``logline_<lang>`` / ``synopsis_<lang>``. Problems found here (bad
encoding, unknown columns, ...) are collected, never raised one at a time, except when the
file cannot be read at all.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError

from reelmarket.catalogue.enums import CreditRole
from reelmarket.catalogue.inputs import TITLE_SCALAR_FIELDS
from reelmarket.market.validators import validate_language_tag

CSV, XLSX, JSONL = "csv", "xlsx", "jsonl"
FORMATS = (CSV, XLSX, JSONL)
_EXTENSIONS = {".csv": CSV, ".tsv": CSV, ".xlsx": XLSX, ".jsonl": JSONL, ".ndjson": JSONL}
DEFAULT_BATCH_SIZE = 200

SCALAR_COLUMNS = ("reference", *TITLE_SCALAR_FIELDS)
_LIST_COLUMNS = ("genres", "countries", "languages")
CREDIT_COLUMNS = {
    "directors": CreditRole.DIRECTOR,
    "writers": CreditRole.WRITER,
    "producers": CreditRole.PRODUCER,
    "cast": CreditRole.CAST,
}
COLUMNS: tuple[str, ...] = (
    *SCALAR_COLUMNS,
    *_LIST_COLUMNS,
    "directors",
    "cast",
    "producers",
    "writers",
    "festivals",
    "trailer_url",
    "screener_url",
    "new_this_market",
    "rights",
)
"""Every fixed column, in documentation order; ``title_<lang>``, ``logline_<lang>`` and
``synopsis_<lang>`` come on top for any BCP 47 language tag."""
REQUIRED_COLUMNS = ("reference", "kind", "original_title", "original_language")
TEXT_PARTS = ("title", "logline", "synopsis")
_TEXT_COLUMN = re.compile(r"^(title|logline|synopsis)_(.+)$")


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file, where it is: ``line 7, column year: ...``."""

    message: str
    line: int | None = None
    column: str | None = None
    line_word: str = "line"
    column_word: str = "column"

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"{self.line_word} {self.line}")
        if self.column:
            where.append(f"{self.column_word} {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


class ImportRejected(ValueError):
    """The file has problems; nothing was written. ``problems`` lists all of them."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


# --------------------------------------------------------------------------------------
# Readers: bytes -> header-resolved rows


@dataclass
class _Row:
    line: int
    values: dict[str, Any]


@dataclass
class _Sheet:
    rows: list[_Row] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    line_word: str = "line"
    column_word: str = "column"
    validate_rows: bool = True

    def problem(
        self, message: str, *, line: int | None = None, column: str | None = None
    ) -> ImportProblem:
        return ImportProblem(message, line, column, self.line_word, self.column_word)


def _reject(message: str, *, line: int | None = None) -> ImportRejected:
    return ImportRejected([ImportProblem(message, line)])


def format_for(file_name: str) -> str:
    """The format named by a file's extension (``csv``, ``xlsx`` or ``jsonl``)."""
    suffix = Path(file_name).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if suffix == ".xls":
        raise _reject(
            "old Excel .xls files cannot be read; save the sheet as .xlsx "
            "(Excel Workbook) or as CSV UTF-8"
        )
    raise _reject(
        f"cannot tell the format of “{Path(file_name).name}”: use a .csv, .xlsx, "
        ".jsonl or .ndjson file, or give the format (csv, xlsx or jsonl)"
    )


def _decode(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _reject(
            f"the file is not UTF-8 text (byte 0x{content[exc.start]:02X} cannot be read); "
            "save it with UTF-8 encoding (in Excel: Save As › “CSV UTF-8”)",
            line=content.count(b"\n", 0, exc.start) + 1,
        ) from None
    if not text.strip():
        raise _reject("the file is empty")
    return text


def cell_text(value: Any) -> str:
    """A cell as stripped text (an XLSX number 1001.0 is "1001", a date "2026-01-01")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def canonical_tag(tag: str) -> str:
    """BCP 47 canonical case: ``ZH-hant`` -> ``zh-Hant``, ``pt-br`` -> ``pt-BR``."""
    parts = tag.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 and part.isalpha() else part.upper())
    return "-".join(out)


def _column_key(name: str, noun: str) -> tuple[str | None, str | None]:
    """(canonical column, None) or (None, problem); (None, None) for a blank header."""
    key = re.sub(r"\s+", "_", name.strip()).casefold()
    if not key or key in COLUMNS:
        return key or None, None
    if match := _TEXT_COLUMN.match(key):
        tag = canonical_tag(match.group(2))
        try:
            validate_language_tag(tag)
        except DjangoValidationError:
            return None, (
                f"{noun} “{name}”: “{tag}” is not a language tag "
                "(use BCP 47 like en, zh-Hant, ja, pt-BR)"
            )
        return f"{match.group(1)}_{tag}", None
    if key in TEXT_PARTS:
        return None, (
            f"{noun} “{name}” needs a language, like {key}_en or {key}_zh-Hant"
            + (" (or did you mean original_title?)" if key == "title" else "")
        )
    close = difflib.get_close_matches(key, COLUMNS, n=1, cutoff=0.75)
    return None, f"unknown {noun} “{name}”" + (f" (did you mean {close[0]}?)" if close else "")


def _table(records: list[tuple[int, list[Any]]], sheet: _Sheet, *, letters: bool) -> _Sheet:
    """Header row + data rows of a CSV or XLSX sheet; blank rows are skipped."""
    records = [(line, cells) for line, cells in records if any(cell_text(c) for c in cells)]
    if not records:
        raise _reject("the file is empty")
    (header_line, header), data = records[0], records[1:]

    def position(index: int) -> str:
        if letters:
            from openpyxl.utils import get_column_letter

            return get_column_letter(index + 1)
        return str(index + 1)

    keys: list[str | None] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        key, message = _column_key(cell_text(cell), "column")
        if message:
            sheet.problems.append(sheet.problem(message, line=header_line))
        elif key in seen:
            sheet.problems.append(
                sheet.problem(
                    f"column {key} appears twice (columns {position(seen[key])} and "
                    f"{position(index)})",
                    line=header_line,
                )
            )
            key = None
        elif key:
            seen[key] = index
        keys.append(key)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        sheet.problems.append(
            sheet.problem(
                f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
                line=header_line,
            )
        )
        sheet.validate_rows = False
    for line, cells in data:
        values: dict[str, Any] = {}
        for index, value in enumerate(cells):
            key = keys[index] if index < len(keys) else None
            if key:
                values[key] = value
            elif index >= len(header) and cell_text(value):
                sheet.problems.append(
                    sheet.problem(
                        f"{len(cells)} values but the header has {len(header)} columns; put values "
                        "that contain the separator in double quotes",
                        line=line,
                    )
                )
                break
            elif index < len(header) and not cell_text(header[index]) and cell_text(value):
                sheet.problems.append(
                    sheet.problem(
                        f"a value in column {position(index)}, which has no header", line=line
                    )
                )
        sheet.rows.append(_Row(line, values))
    if not data:
        sheet.problems.append(
            sheet.problem("the file has a header but no titles", line=header_line)
        )
    return sheet


def _read_csv(content: bytes) -> _Sheet:
    if content.startswith(b"PK\x03\x04"):
        raise _reject("this is an Excel workbook, not CSV: give it the .xlsx extension")
    text = _decode(content)
    first = next(line for line in text.splitlines() if line.strip())
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=counts.__getitem__) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, last = [], 0
    try:
        for cells in reader:
            records.append((last + 1, cells))
            last = reader.line_num
    except csv.Error as exc:
        raise _reject(f"this is not readable CSV: {exc}", line=last + 1) from None
    return _table(records, _Sheet(), letters=False)


def _read_xlsx(content: bytes) -> _Sheet:
    if not content:
        raise _reject("the file is empty")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=False, data_only=True)
    except Exception as exc:  # zipfile / XML errors of every kind
        raise _reject(
            f"the file is not an Excel workbook (.xlsx) that can be read ({type(exc).__name__})"
        ) from None
    rows = book.worksheets[0].iter_rows(values_only=True)
    records = [(line, list(cells)) for line, cells in enumerate(rows, start=1)]
    book.close()
    return _table(records, _Sheet(line_word="row"), letters=True)


def _read_jsonl(content: bytes) -> _Sheet:
    sheet = _Sheet(column_word="field")
    for line, text in enumerate(_decode(content).split("\n"), start=1):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            sheet.problems.append(
                sheet.problem(f"not valid JSON: {exc.msg} (character {exc.colno})", line=line)
            )
            continue
        if not isinstance(obj, dict):
            sheet.problems.append(
                sheet.problem("expected one JSON object {...} per line, one title each", line=line)
            )
            continue
        values: dict[str, Any] = {}
        for name, value in obj.items():
            key, message = _column_key(name, "field")
            if message:
                sheet.problems.append(sheet.problem(message, line=line))
            elif key:
                values[key] = value
        sheet.rows.append(_Row(line, values))
    if not sheet.rows and not sheet.problems:
        raise _reject("the file has no titles")
    return sheet


READERS: dict[str, Callable[[bytes], _Sheet]] = {
    CSV: _read_csv,
    XLSX: _read_xlsx,
    JSONL: _read_jsonl,
}


def read_rows(content: bytes, *, fmt: str) -> _Sheet:
    """The rows of a file in format ``fmt``; raises ImportRejected when it cannot be read."""
    if fmt not in READERS:
        raise _reject(f"unknown format “{fmt}” (use one of: {', '.join(FORMATS)})")
    return READERS[fmt](content)
