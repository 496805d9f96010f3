"""Read an organiser's past interaction log and title list from CSV (Django-free).

Formats (UTF-8, with or without BOM, comma-separated, a header row; extra columns are
ignored) — documented in docs/matchmaking.md:

* titles: ``id, genres, kind, year, countries[, synopsis]`` — ``genres`` and ``countries``
  separated by ``|``; ``year`` empty or 1880–2100;
* interactions: ``who, title, when[, strength]`` — ``title`` an id of the titles file,
  ``when`` an ISO 8601 date or date-time (without a zone: UTC), ``strength`` empty or a
  number > 0 (default 1).

Any bad row raises :class:`CsvError` naming the file and the line (the header is line 1).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from reelmarket.matchmaking.core.history import VIEW, Interaction

TITLE_COLUMNS = ("id", "genres", "kind", "year", "countries")
LOG_COLUMNS = ("who", "title", "when")
YEAR_RANGE = (1880, 2100)


class CsvError(ValueError):
    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path, self.line, self.message = str(path), line, message
        super().__init__(f"{Path(path).name}, line {line}: {message}")


@dataclass(frozen=True)
class TitleRow:
    key: str  # the id as written in the file
    id: int  # dense id 1..n in file order
    genres: frozenset[str]
    kind: str
    year: int | None
    countries: frozenset[str]
    synopsis: str


@dataclass(frozen=True)
class InteractionLog:
    interactions: list[Interaction]
    users: dict[str, int]  # who as written -> dense id


def _split(value: str) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in value.split("|") if v.strip())


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CsvError(path, 0, f"cannot read the file ({exc.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise CsvError(path, 1, "the file is empty; expected a header row")
            names = [h.strip().lower() for h in header]
            missing = [c for c in required if c not in names]
            if missing:
                raise CsvError(
                    path, 1, f"missing column(s) {', '.join(missing)}; found {', '.join(names)}"
                )
            line = reader.line_num + 1
            for values in reader:
                start, line = line, reader.line_num + 1
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(names):
                    raise CsvError(path, start, f"{len(values)} values for {len(names)} columns")
                row = dict(zip(names, (v.strip() for v in values), strict=False))
                yield start, {n: row.get(n, "") for n in names}
        except UnicodeDecodeError:
            raise CsvError(path, reader.line_num + 1, "not UTF-8 text") from None
        except csv.Error as exc:
            raise CsvError(path, reader.line_num, f"malformed CSV ({exc})") from None


def read_titles(path: Path | str) -> list[TitleRow]:
    path = Path(path)
    titles: list[TitleRow] = []
    seen: dict[str, int] = {}
    for line, row in _rows(path, TITLE_COLUMNS):
        key = row["id"]
        if not key:
            raise CsvError(path, line, "the id is empty")
        if key in seen:
            raise CsvError(path, line, f"duplicate id “{key}” (first on line {seen[key]})")
        seen[key] = line
        year: int | None = None
        if row["year"]:
            try:
                year = int(row["year"])
            except ValueError:
                raise CsvError(path, line, f"year “{row['year']}” is not a whole number") from None
            if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
                raise CsvError(
                    path, line, f"year {year} is outside {YEAR_RANGE[0]}–{YEAR_RANGE[1]}"
                )
        titles.append(
            TitleRow(
                key=key,
                id=len(titles) + 1,
                genres=_split(row["genres"]),
                kind=row["kind"].lower(),
                year=year,
                countries=frozenset(c.upper() for c in _split(row["countries"])),
                synopsis=row.get("synopsis", ""),
            )
        )
    if not titles:
        raise CsvError(path, 2, "no titles")
    return titles


def parse_when(value: str) -> datetime:
    """An ISO 8601 date or date-time as an aware UTC datetime (raises ValueError)."""
    text = value.strip()
    if not text:
        raise ValueError("empty")
    if len(text) == 10:
        day = date.fromisoformat(text)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    moment = datetime.fromisoformat(text)
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_interactions(path: Path | str, titles: list[TitleRow]) -> InteractionLog:
    path = Path(path)
    title_of = {t.key: t.id for t in titles}
    users: dict[str, int] = {}
    rows: list[Interaction] = []
    for line, row in _rows(path, LOG_COLUMNS):
        who, title = row["who"], row["title"]
        if not who:
            raise CsvError(path, line, "“who” is empty")
        if title not in title_of:
            raise CsvError(path, line, f"title “{title}” is not in the titles file")
        try:
            when = parse_when(row["when"])
        except ValueError:
            raise CsvError(
                path,
                line,
                f"“when” must be an ISO 8601 date or date-time (2025-03-14 or "
                f"2025-03-14T10:30:00+08:00), not “{row['when']}”",
            ) from None
        strength = 1.0
        if row.get("strength"):
            try:
                strength = float(row["strength"])
            except ValueError:
                strength = float("nan")
            if not strength > 0 or strength == float("inf"):
                raise CsvError(
                    path, line, f"strength must be a number above 0, not “{row['strength']}”"
                )
        user = users.setdefault(who, len(users) + 1)
        rows.append(Interaction(user, title_of[title], VIEW, when, strength))
    if not rows:
        raise CsvError(path, 2, "no interactions")
    return InteractionLog(interactions=rows, users=users)


__all__ = [
    "CsvError",
    "InteractionLog",
    "TitleRow",
    "parse_when",
    "read_interactions",
    "read_titles",
]
