"""``reelmarket search "QUERY" [--json]``: the same search as the web page and the API."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.selectors import AvailsFilter
from reelmarket.discovery.selectors import MODES, SearchError, SearchQuery, search


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): “{value}”.") from exc


def _text(segments: list[tuple[str, bool]]) -> str:
    return "".join(f"[{text}]" if marked else text for text, marked in segments)


class Command(BaseCommand):
    help = "Search the catalogue (keyword + semantic), with the web page's filters."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="?", default="", help="what to look for")
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--mode", choices=MODES, default="hybrid")
        parser.add_argument("--media", help="rights availability: media (svod, free_tv…)")
        parser.add_argument("--territory", help="rights availability: country or group code")
        parser.add_argument("--start", help="first day (YYYY-MM-DD), default today")
        parser.add_argument("--end", help="last day (YYYY-MM-DD), default --start")
        parser.add_argument("--exclusive", action="store_true")
        parser.add_argument("--kind", action="append", default=[])
        parser.add_argument("--genre", action="append", default=[])
        parser.add_argument("--country", action="append", default=[], help="of origin")
        parser.add_argument("--language", action="append", default=[], help="original language")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--page", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        avails = None
        if options["media"] or options["territory"]:
            if not (options["media"] and options["territory"]):
                raise CommandError("--media and --territory go together.")
            try:
                media = Media(options["media"])
            except ValueError as exc:
                choices = ", ".join(m.value for m in Media)
                raise CommandError(f"Unknown media “{options['media']}”: {choices}.") from exc
            start = _date(options["start"]) if options["start"] else date.today()
            end = _date(options["end"]) if options["end"] else start
            if end < start:
                raise CommandError("--end is before --start.")
            avails = AvailsFilter(
                media=media,
                territory=options["territory"].upper(),
                start=start,
                end=end,
                exclusive=options["exclusive"],
            )
        query = SearchQuery(
            text=options["query"],
            kinds=tuple(options["kind"]),
            genres=tuple(options["genre"]),
            countries=tuple(c.upper() for c in options["country"]),
            languages=tuple(options["language"]),
            avails=avails,
            mode=options["mode"],
            page=options["page"],
            page_size=options["limit"],
        )
        try:
            result = search(query=query, language="en")
        except SearchError as exc:
            raise CommandError(f"{exc.field}: {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result_json(result), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{result.total} titles ({result.took_ms:.0f} ms)")
        for hit in result.hits:
            how = "exact" if hit.exact else ("keyword" if hit.keyword_rank else "meaning")
            self.stdout.write(
                f"{hit.rank:>3}. {_text(hit.name_marks) or hit.name}  "
                f"[{hit.title.kind}, {hit.title.year or '—'}, {hit.matched_language or '—'}, {how}]"
            )
            if hit.snippet:
                self.stdout.write(f"     {_text(hit.snippet)[:200]}")


def result_json(result: Any) -> dict[str, Any]:
    return {
        "total": result.total,
        "took_ms": round(result.took_ms, 1),
        "semantic_ready": result.semantic_ready,
        "understood_countries": list(result.understood_countries),
        "understood_concepts": list(result.understood_concepts),
        "hits": [
            {
                "rank": hit.rank,
                "id": hit.title_id,
                "name": hit.name,
                "original_title": hit.title.original_title,
                "kind": hit.title.kind,
                "year": hit.title.year,
                "owner": hit.title.owner.name,
                "matched_language": hit.matched_language,
                "exact": hit.exact,
                "keyword_rank": hit.keyword_rank,
                "semantic_rank": hit.semantic_rank,
                "similarity": hit.similarity,
                "snippet": _text(hit.snippet),
            }
            for hit in result.hits
        ],
        "facets": result.facets,
    }
