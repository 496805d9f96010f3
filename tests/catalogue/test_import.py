"""Importing titles from CSV, XLSX and JSON Lines: ``reelmarket import-titles``."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from reelmarket.__main__ import main
from reelmarket.catalogue import services
from reelmarket.catalogue.avails.territories import GROUPS
from reelmarket.catalogue.enums import Genre, MediaChoices, Stage, TitleKind
from reelmarket.catalogue.importing import (
    CONSOLE_OPERATOR,
    ImportRejected,
    ImportStopped,
    import_titles,
    row_to_title_input,
)
from reelmarket.catalogue.models import ImportJob, RightsWindow, Title
from tests.factories import RightsWindowFactory, TitleFactory

DOCS = Path(__file__).resolve().parents[2] / "docs"

HEADER = "reference,kind,original_title,original_language,year"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(n: int, *, year: int = 2024) -> str:
    lines = [HEADER] + [f"R-{i:02d},feature,Film {i},ja,{year}" for i in range(1, n + 1)]
    return "\n".join(lines) + "\n"


def rejected(excinfo: pytest.ExceptionInfo[ImportRejected]) -> list[str]:
    return excinfo.value.messages


# --------------------------------------------------------------------------------------
# Happy paths: exact values in the database

FULL_CSV = """\
Reference,Kind,Original Title,original_language,year,runtime_minutes,stage,budget_amount,\
budget_currency,financing_secured,genres,countries,languages,title_en,logline_en,synopsis_en,\
Title_ZH-HANT,directors,cast,producers,writers,festivals,trailer_url,screener_url,\
new_this_market,rights
TS-001,Feature film,夏の灯籠,ja,2024,104,Post-production,"1,200,000",usd,800000,\
Drama; Sci-Fi,JP;fr,ja;ZH-hant,Summer Lanterns,A grandmother keeps a lantern shop open.,"Aoi
spends the summer, with her grandmother.",夏日燈籠,Sato Yui,Kaneko Mari; Ishida Ren,\
Tokyo Sales Co,Sato Yui,Busan 2024 selection: Jiseok; Berlinale 2025 award: Crystal Bear,\
https://example.com/t,https://example.com/s,Yes,\
"svod:VN,TH:2026-01-01..2028-12-31:exclusive:available; \
free_tv:WW-CN,hk:2025..:non-exclusive:sold:Mango TV"
TS-002,series,Night Diner,en,,,,,,,,,,,,,,,,,,,,,no,
"""


def test_csv_import_saves_every_field(tmp_path, owner_org, users):
    path = write(tmp_path, "kenji.csv", FULL_CSV)

    result = import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert result.summary() == "2 titles: 2 created, 0 updated"
    title = Title.objects.get(owner=owner_org, reference="TS-001")
    assert (title.kind, title.original_title, title.original_language) == (
        "feature",
        "夏の灯籠",
        "ja",
    )
    assert (title.year, title.runtime_minutes, title.stage) == (2024, 104, Stage.POST_PRODUCTION)
    assert (title.budget_amount, title.budget_currency, title.financing_secured) == (
        Decimal("1200000.00"),
        "USD",
        Decimal("800000.00"),
    )
    assert (title.trailer_url, title.screener_url) == (
        "https://example.com/t",
        "https://example.com/s",
    )
    assert title.new_this_market is True
    assert sorted(g.genre for g in title.genres.all()) == ["drama", "sci_fi"]
    assert sorted(c.country for c in title.countries.all()) == ["FR", "JP"]
    assert sorted(lang.language for lang in title.languages.all()) == ["ja", "zh-Hant"]
    assert [(t.language, t.name, t.logline, t.synopsis) for t in title.texts.all()] == [
        (
            "en",
            "Summer Lanterns",
            "A grandmother keeps a lantern shop open.",
            "Aoi\nspends the summer, with her grandmother.",
        ),
        ("zh-Hant", "夏日燈籠", "", ""),
    ]
    assert [(c.role, c.name, c.position) for c in title.credits.all()] == [
        ("director", "Sato Yui", 0),
        ("writer", "Sato Yui", 1),
        ("producer", "Tokyo Sales Co", 2),
        ("cast", "Kaneko Mari", 3),
        ("cast", "Ishida Ren", 4),
    ]
    assert [(r.festival, r.year, r.kind, r.award) for r in title.recognitions.all()] == [
        ("Berlinale", 2025, "award", "Crystal Bear"),
        ("Busan", 2024, "selection", "Jiseok"),
    ]
    windows = [
        (
            w.media,
            w.territories,
            w.excluded,
            w.starts_on,
            w.ends_on,
            w.exclusive,
            w.status,
            w.counterparty,
        )
        for w in title.rights.all()
    ]
    assert windows == [
        ("free_tv", ["WW"], ["CN", "HK"], date(2025, 1, 1), None, False, "sold", "Mango TV"),
        ("svod", ["VN", "TH"], [], date(2026, 1, 1), date(2028, 12, 31), True, "available", ""),
    ]
    second = Title.objects.get(owner=owner_org, reference="TS-002")
    assert (second.kind, second.year, second.stage, second.new_this_market) == (
        "series",
        None,
        "completed",
        False,
    )
    assert second.rights.count() == 0
    job = ImportJob.objects.get()
    assert (job.status, job.file_name, job.total_rows, job.batches_done, job.created) == (
        "done",
        "kenji.csv",
        2,
        1,
        2,
    )
    assert job.started_by == users["owner_exhibitor"]


def test_xlsx_import_reads_typed_cells(tmp_path, owner_org, users):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "reference",
            "kind",
            "original_title",
            "original_language",
            "year",
            "budget_amount",
            "financing_secured",
            "genres",
            "new_this_market",
            "title_en",
        ]
    )
    sheet.append(
        [
            1001,
            "Animated feature",
            "星を編む少女",
            "ja",
            2026,
            3500000,
            2100000.5,
            "Animation\nFantasy",
            True,
            "The Girl Who Knits Stars",
        ]
    )
    sheet.append([None] * 10)  # blank rows are skipped
    sheet.append(
        ["TS-2", "documentary", "Projectionist", "en", 2023.0, None, None, None, False, None]
    )
    path = tmp_path / "catalogue.xlsx"
    book.save(path)

    result = import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert result.summary() == "2 titles: 2 created, 0 updated"
    title = Title.objects.get(reference="1001")
    assert (title.kind, title.year, title.budget_amount, title.financing_secured) == (
        "animation_feature",
        2026,
        Decimal("3500000.00"),
        Decimal("2100000.50"),
    )
    assert title.new_this_market is True
    assert sorted(g.genre for g in title.genres.all()) == ["animation", "fantasy"]
    assert [t.name for t in title.texts.all()] == ["The Girl Who Knits Stars"]
    other = Title.objects.get(reference="TS-2")
    assert (other.kind, other.year, other.new_this_market) == ("documentary", 2023, False)


def test_xlsx_problems_are_named_by_sheet_row(tmp_path, owner_org, users):
    book = openpyxl.Workbook()
    book.active.append(["reference", "kind", "original_title", "original_language", "year"])
    book.active.append(["A", "feature", "One", "ja", 2024])
    book.active.append(["B", "feature", "Two", "ja", 2101])
    path = tmp_path / "bad.xlsx"
    book.save(path)

    with pytest.raises(ImportRejected) as excinfo:
        import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert rejected(excinfo) == ["row 3, column year: Input should be less than or equal to 2100"]
    assert Title.objects.count() == 0


def test_jsonl_import_takes_lists_and_rights_objects(tmp_path, owner_org, users):
    lines = [
        {
            "reference": "J-1",
            "kind": "series",
            "original_title": "海辺の探偵",
            "original_language": "ja",
            "episodes": 8,
            "episode_minutes": 50,
            "genres": ["Crime", "mystery"],
            "countries": ["jp"],
            "title_en": "The Seaside Detective",
            "cast": ["Fujita Kei", "Ono Saki"],
            "festivals": [
                {"festival": "MIPCOM", "year": 2024, "kind": "award", "award": "Best"},
                "Busan 2025 selection",
            ],
            "budget_amount": 450000.25,
            "new_this_market": True,
            "rights": [
                {
                    "media": "svod",
                    "territories": ["ASIA"],
                    "excluded": ["JP"],
                    "starts_on": "2025-06-01",
                    "ends_on": "2028-05-31",
                    "status": "available",
                    "note": "prime",
                }
            ],
        },
        {
            "reference": "J-2",
            "kind": "Format (unscripted)",
            "original_title": "Kitchen Battle",
            "original_language": "en",
            "stage": "In development",
            "genres": "Reality; Game show",
            "rights": "format:WW:2025..:exclusive:available",
        },
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n\n"
    path = write(tmp_path, "titles.ndjson", text)

    result = import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert result.summary() == "2 titles: 2 created, 0 updated"
    first = Title.objects.get(reference="J-1")
    assert (first.kind, first.episodes, first.episode_minutes, first.budget_amount) == (
        "series",
        8,
        50,
        Decimal("450000.25"),
    )
    assert sorted(g.genre for g in first.genres.all()) == ["crime", "mystery"]
    assert [c.country for c in first.countries.all()] == ["JP"]
    assert [(c.role, c.name) for c in first.credits.all()] == [
        ("cast", "Fujita Kei"),
        ("cast", "Ono Saki"),
    ]
    assert [(r.festival, r.year, r.kind, r.award) for r in first.recognitions.all()] == [
        ("Busan", 2025, "selection", ""),
        ("MIPCOM", 2024, "award", "Best"),
    ]
    window = first.rights.get()
    assert (window.media, window.territories, window.excluded, window.note) == (
        "svod",
        ["ASIA"],
        ["JP"],
        "prime",
    )
    second = Title.objects.get(reference="J-2")
    assert (second.kind, second.stage) == ("format_unscripted", "development")
    assert sorted(g.genre for g in second.genres.all()) == ["game_show", "reality"]
    assert list(second.rights.values_list("media", "territories", "ends_on")) == [
        ("format", ["WW"], None),
    ]


# --------------------------------------------------------------------------------------
# Rejected files: every problem, by line, and nothing written

BAD_CSV = """\
reference,kind,original_title,original_language,year,genres,synopsis_en,rights,festivals
A1,feature,One,ja,2101,Drama;Horor,"two
lines",svd:VN:2026..,Busan selection
A2,Format,Two,JA,2000,,,svod:XX:2026..2027,
A3,feature,Three,ja,1999,,,"svod:VN:2026..2028::sold:A; svod:VN:2027..2029::sold:B",
,feature,,ja,abc,,,,
"""


def test_bad_file_lists_every_problem_by_physical_line_and_writes_nothing(
    tmp_path, owner_org, users
):
    path = write(tmp_path, "bad.csv", BAD_CSV)

    with pytest.raises(ImportRejected) as excinfo:
        import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    genres = ", ".join(Genre.values)
    media = ", ".join(MediaChoices.values)
    kinds = ", ".join(TitleKind.values)
    assert rejected(excinfo) == [
        "line 2, column year: Input should be less than or equal to 2100",
        f"line 2, column genres: “Horor” is not one of: {genres}",
        "line 2, column title_en: a title in en is needed with its logline or synopsis",
        "line 2, column rights: window 1 (“svd:VN:2026..”): “svd” is not a media "
        f"(use one of: {media})",
        "line 2, column festivals: “Busan selection”: write the festival, its year, then "
        "selection, nomination or award, like “Busan 2024 selection” or "
        "“Berlinale 2025 award: Crystal Bear”",
        f"line 4, column kind: “Format” is not one of: {kinds}",
        "line 4, column rights: window 1 (“svod:XX:2026..2027”): Unknown territory code: 'XX'",
        "line 5, column rights: window 1 (“svod:VN:2026..2028::sold:A”): "
        "Sold to B for SVOD in Vietnam from 2027-01-01 to 2028-12-31",
        "line 6, column reference: a value is required",
        "line 6, column original_title: a value is required",
        "line 6, column year: Input should be a valid integer, unable to parse string as an "
        "integer (“abc”)",
    ]
    assert Title.objects.count() == 0
    job = ImportJob.objects.get()
    assert (job.status, job.batches_done, len(job.errors)) == ("rejected", 0, 11)
    assert job.errors[0] == {
        "line": 2,
        "column": "year",
        "message": "Input should be less than or equal to 2100",
        "text": "line 2, column year: Input should be less than or equal to 2100",
    }


def test_duplicate_references_name_both_lines(tmp_path, owner_org, users):
    text = (
        HEADER + "\nD-1,feature,One,ja,2020\nD-2,feature,Two,ja,2020\nD-1,feature,Again,ja,2021\n"
    )
    path = write(tmp_path, "dup.csv", text)

    with pytest.raises(ImportRejected) as excinfo:
        import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert rejected(excinfo) == [
        "line 4, column reference: “D-1” is also on line 2; each title (reference) may appear "
        "only once in a file",
    ]
    assert Title.objects.count() == 0


def test_unknown_and_misspelt_columns_are_errors(tmp_path, owner_org, users):
    path = write(tmp_path, "typo.csv", HEADER + ",Yaer,title,colour\nA,feature,One,ja,2020,,,\n")

    with pytest.raises(ImportRejected) as excinfo:
        import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert rejected(excinfo) == [
        "line 1: unknown column “Yaer” (did you mean year?)",
        "line 1: column “title” needs a language, like title_en or title_zh-Hant "
        "(or did you mean original_title?)",
        "line 1: unknown column “colour”",
    ]


def test_jsonl_unknown_field_and_broken_json(tmp_path, owner_org, users):
    text = (
        '{"reference": "A", "kind": "feature", "original_title": "One", "original_language": "ja",'
        ' "yeer": 2020}\n'
        "[1, 2]\n"
        '{"reference": "B", "kind": "feature",\n'
    )
    path = write(tmp_path, "titles.jsonl", text)

    with pytest.raises(ImportRejected) as excinfo:
        import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert rejected(excinfo) == [
        "line 1: unknown field “yeer” (did you mean year?)",
        "line 2: expected one JSON object {...} per line, one title each",
        "line 3: not valid JSON: Expecting property name enclosed in double quotes (character 38)",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "reference,kind\nA,Caf\xe9\n".encode("latin-1"),
            "line 2: the file is not UTF-8 text (byte 0xE9 cannot be read); save it with UTF-8 "
            "encoding (in Excel: Save As › “CSV UTF-8”)",
        ),
        (b"", "the file is empty"),
        (b"\n  \n", "the file is empty"),
        (HEADER.encode() + b"\n", "line 1: the file has a header but no titles"),
        (
            b"reference,year\nA,2020\n",
            "line 1: missing required columns: kind, original_title, original_language",
        ),
        (b"PK\x03\x04rest", "this is an Excel workbook, not CSV: give it the .xlsx extension"),
        (
            b"reference,kind,original_title,original_language\nA,feature,One, two,ja\n",
            "line 2: 5 values but the header has 4 columns; put values that contain the "
            "separator in double quotes",
        ),
    ],
)
def test_unreadable_csv_files_get_one_clear_message(tmp_path, owner_org, users, content, expected):
    path = tmp_path / "file.csv"
    path.write_bytes(content)

    with pytest.raises(ImportRejected) as excinfo:
        import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert rejected(excinfo) == [expected]
    assert Title.objects.count() == 0


def test_utf8_with_bom_and_semicolon_separator_are_accepted(tmp_path, owner_org, users):
    text = "reference;kind;original_title;original_language;genres\nB-1;feature;Café;fr;drama,war\n"
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())

    import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    title = Title.objects.get(reference="B-1")
    assert title.original_title == "Café"
    assert sorted(g.genre for g in title.genres.all()) == ["drama", "war"]


def test_not_an_xlsx_and_unknown_extension(tmp_path, owner_org, users):
    fake = write(tmp_path, "titles.xlsx", "reference\n")
    with pytest.raises(ImportRejected) as excinfo:
        import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=fake)
    assert rejected(excinfo) == [
        "the file is not an Excel workbook (.xlsx) that can be read (BadZipFile)"
    ]
    other = write(tmp_path, "titles.txt", rows(1))
    with pytest.raises(ImportRejected) as excinfo:
        import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=other)
    assert rejected(excinfo) == [
        "cannot tell the format of “titles.txt”: use a .csv, .xlsx, .jsonl or .ndjson file, or "
        "give the format (csv, xlsx or jsonl)"
    ]
    result = import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=other, fmt="csv")
    assert result.created == 1


# --------------------------------------------------------------------------------------
# Row conversion: friendly values, rights and festivals syntax (no database)


def convert(**values):
    return row_to_title_input(
        {
            "reference": "X",
            "kind": "feature",
            "original_title": "T",
            "original_language": "en",
            **values,
        }
    )


@pytest.mark.parametrize(
    ("column", "given", "stored"),
    [
        ("kind", "Feature film", "feature"),
        ("kind", "MOVIE", "feature"),
        ("kind", "Series / drama", "series"),
        ("kind", "animated series", "animation_series"),
        ("kind", "format_scripted", "format_scripted"),
        ("stage", "Post-production", "post_production"),
        ("stage", "in production", "production"),
        ("stage", "finished", "completed"),
    ],
)
def test_friendly_kind_and_stage(column, given, stored):
    data, problems = convert(**{column: given})
    assert problems == []
    assert getattr(data, column) == stored


def test_friendly_genres_and_ambiguous_values():
    data, problems = convert(genres="Sci-Fi; Coming-of-age; MARTIAL ARTS; Science fiction")
    assert data.genres == ["sci_fi", "youth", "martial_arts", "sci_fi"]
    _, problems = convert(kind="animation")
    assert problems == [("kind", f"“animation” is not one of: {', '.join(TitleKind.values)}")]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "svod:VN,TH:2026-01-01..2028-12-31",
            {
                "media": "svod",
                "territories": ["VN", "TH"],
                "excluded": [],
                "starts_on": date(2026, 1, 1),
                "ends_on": date(2028, 12, 31),
                "exclusive": True,
                "status": "available",
                "counterparty": "",
            },
        ),
        (
            "Free TV: Worldwide - CN, HK : 2025.. : non-exclusive : sold : Mango TV: Hunan",
            {
                "media": "free_tv",
                "territories": ["WW"],
                "excluded": ["CN", "HK"],
                "starts_on": date(2025, 1, 1),
                "ends_on": None,
                "exclusive": False,
                "status": "sold",
                "counterparty": "Mango TV: Hunan",
            },
        ),
        (
            "TVOD:greater china:2026..2027::on hold:Catchplay",
            {
                "media": "tvod_est",
                "territories": ["GREATER_CHINA"],
                "excluded": [],
                "starts_on": date(2026, 1, 1),
                "ends_on": date(2027, 12, 31),
                "exclusive": True,
                "status": "on_hold",
                "counterparty": "Catchplay",
            },
        ),
    ],
)
def test_rights_compact_syntax(given, expected):
    data, problems = convert(rights=given)
    assert problems == []
    window = data.rights[0].model_dump(exclude={"note"})
    assert window == expected


def test_rights_none_clears_and_blank_leaves_alone():
    assert convert(rights="none")[0].rights == []
    assert convert(rights="")[0].rights is None
    assert convert(rights=None)[0].rights is None
    one = {"media": "avod", "territories": ["TH"], "starts_on": "2026-01-01"}
    assert [w.media for w in convert(rights=one)[0].rights] == ["avod"]


def test_reimport_without_rights_keeps_the_windows(tmp_path, owner_org, users):
    title = TitleFactory(owner=owner_org, reference="R-01")
    RightsWindowFactory(title=title, media="svod", territories=["JP"])
    path = write(tmp_path, "a.csv", rows(1))

    import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert list(title.rights.values_list("media", "territories")) == [("svod", ["JP"])]
    assert Title.objects.get(pk=title.pk).original_title == "Film 1"


def test_xlsx_value_under_a_column_without_header(tmp_path, owner_org, users):
    book = openpyxl.Workbook()
    book.active.append(["reference", "kind", "original_title", "original_language", None, "year"])
    book.active.append(["A", "feature", "One", "ja", "stray note", 2024])
    path = tmp_path / "t.xlsx"
    book.save(path)

    with pytest.raises(ImportRejected) as excinfo:
        import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert rejected(excinfo) == ["row 2: a value in column E, which has no header"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            "svod:VN",
            "window 1 (“svod:VN”): write media:territories:from..until"
            "[:exclusive|non-exclusive[:available|on hold|sold[:counterparty]]], like "
            "svod:VN,TH:2026-01-01..2028-12-31",
        ),
        (
            "svod:VN:2026-02-30..",
            "window 1 (“svod:VN:2026-02-30..”): “2026-02-30” is not a date "
            "(use YYYY-MM-DD or a year)",
        ),
        (
            "svod:VN:2026",
            "window 1 (“svod:VN:2026”): “2026”: write the term as from..until, like "
            "2026-01-01..2028-12-31, or 2026-01-01.. with no end",
        ),
        (
            "svod:VN:2026..:exclusiv",
            "window 1 (“svod:VN:2026..:exclusiv”): “exclusiv” is not exclusive or non-exclusive",
        ),
        (
            "svod:VN:2026..:exclusive:gone",
            "window 1 (“svod:VN:2026..:exclusive:gone”): “gone” is "
            "not a status (use available, on hold or sold)",
        ),
        (
            "svod:VN:2026..:exclusive:sold",
            "window 1 (“svod:VN:2026..:exclusive:sold”): say who "
            "the rights are sold to or held for (counterparty)",
        ),
        ("svod:VN:2028..2026", "window 1 (“svod:VN:2028..2026”): ends_on is before starts_on"),
        (
            "svod:VN:2026..; svod:ASEAN-VN,TH,MY,SG,ID,PH,KH,LA,MM,BN,TL:2026..",
            "window 2 (“svod:ASEAN-VN,TH,MY,SG,ID,PH,KH,LA,MM,BN,TL:2026..”): the exclusions leave "
            "no territory",
        ),
    ],
)
def test_rights_syntax_errors(given, message):
    data, problems = convert(rights=given)
    assert data is None
    assert problems == [("rights", message)]


def test_festival_syntax():
    data, _ = convert(festivals="Festival 2000 Days 2024 nominated; Cannes 2025: Un Certain Regard")
    assert [r.model_dump() for r in data.recognitions] == [
        {"festival": "Festival 2000 Days", "year": 2024, "kind": "nomination", "award": ""},
        {"festival": "Cannes", "year": 2025, "kind": "selection", "award": "Un Certain Regard"},
    ]
    _, problems = convert(festivals="Busan 1700 selection")
    assert problems == [
        ("festivals", "“Busan 1700 selection”: Input should be greater than or equal to 1888")
    ]


def test_new_this_market_values():
    assert convert(new_this_market="TRUE")[0].new_this_market is True
    assert convert(new_this_market="0")[0].new_this_market is False
    assert convert(new_this_market="maybe")[1] == [
        ("new_this_market", "“maybe” is not yes or no (use yes, no, true, false, 1 or 0)")
    ]


def test_model_level_problem_has_no_column():
    _, problems = convert(budget_amount="100", financing_secured="200")
    assert problems == [(None, "financing_secured is larger than budget_amount")]


# --------------------------------------------------------------------------------------
# Idempotency, resume, permissions


def test_reimport_updates_and_never_duplicates(tmp_path, owner_org, users):
    actor = users["owner_exhibitor"]
    import_titles(actor=actor, owner=owner_org, path=write(tmp_path, "a.csv", rows(3)))
    TitleFactory(owner=owner_org, reference="OTHER")

    result = import_titles(
        actor=actor, owner=owner_org, path=write(tmp_path, "b.csv", rows(3, year=2019))
    )

    assert result.summary() == "3 titles: 0 created, 3 updated"
    assert Title.objects.filter(owner=owner_org).count() == 4
    assert set(Title.objects.filter(reference__startswith="R-").values_list("year", flat=True)) == {
        2019
    }


def test_reimporting_a_completed_file_runs_again(tmp_path, owner_org, users):
    path = write(tmp_path, "a.csv", rows(2))
    import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)
    Title.objects.filter(reference="R-01").update(original_title="Edited on the web")

    result = import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path)

    assert result.summary() == "2 titles: 0 created, 2 updated"
    assert Title.objects.get(reference="R-01").original_title == "Film 1"
    assert list(ImportJob.objects.values_list("status", flat=True)) == ["done", "done"]


def test_dry_run_checks_and_writes_nothing(tmp_path, owner_org, users):
    TitleFactory(owner=owner_org, reference="R-02")
    path = write(tmp_path, "a.csv", rows(3))

    result = import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path, dry_run=True)

    assert (
        result.summary() == "3 titles valid: 2 would be created, 1 updated (dry run, nothing saved)"
    )
    assert Title.objects.count() == 1
    assert ImportJob.objects.count() == 0


def test_resume_after_a_crash_skips_the_batches_done(tmp_path, owner_org, users, monkeypatch):
    path = write(tmp_path, "five.csv", rows(5))
    real = services.titles_import_batch
    calls: list[list[str]] = []
    crash_at: list[int] = [2]

    def flaky(*, actor, owner, rows):
        calls.append([r.reference for r in rows])
        if len(calls) in crash_at:
            raise RuntimeError("database connection lost")
        return real(actor=actor, owner=owner, rows=rows)

    monkeypatch.setattr(services, "titles_import_batch", flaky)
    actor = users["owner_exhibitor"]

    with pytest.raises(ImportStopped) as excinfo:
        import_titles(actor=actor, owner=owner_org, path=path, batch_size=2)

    assert str(excinfo.value) == (
        "The import stopped in batch 2 of 3: database connection lost. 2 of 5 titles are saved; "
        "import the same file again to resume at batch 2."
    )
    assert calls == [["R-01", "R-02"], ["R-03", "R-04"]]
    assert sorted(Title.objects.values_list("reference", flat=True)) == ["R-01", "R-02"]
    job = ImportJob.objects.get()
    assert (job.status, job.batches_done, job.rows_done, job.errors[0]["line"]) == (
        "failed",
        1,
        2,
        4,
    )

    crash_at.clear()
    calls.clear()
    progress: list[tuple[int, int]] = []
    result = import_titles(
        actor=actor,
        owner=owner_org,
        path=path,
        batch_size=50,
        progress=lambda done, total: progress.append((done, total)),
    )

    assert calls == [["R-03", "R-04"], ["R-05"]]  # the stopped run's batch size is kept
    assert progress == [(2, 5), (4, 5), (5, 5)]
    assert result.summary() == (
        "5 titles: 5 created, 0 updated (resumed an interrupted import: 1 of 3 batches were "
        "already saved)"
    )
    assert Title.objects.count() == 5
    job.refresh_from_db()
    assert (job.status, job.batches_done, job.rows_done, job.created, job.errors) == (
        "done",
        3,
        5,
        5,
        [],
    )
    assert ImportJob.objects.count() == 1


def test_no_resume_starts_a_new_job(tmp_path, owner_org, users):
    path = write(tmp_path, "a.csv", rows(2))
    stopped = ImportJob.objects.create(
        owner=owner_org,
        file_name="a.csv",
        batch_size=1,
        batches_done=1,
        rows_done=1,
        file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        status=ImportJob.Status.FAILED,
        total_rows=2,
    )

    result = import_titles(actor=users["owner_exhibitor"], owner=owner_org, path=path, resume=False)

    assert (result.created, result.resumed_batches) == (2, 0)
    stopped.refresh_from_db()
    assert stopped.status == "failed"


def test_another_organisations_seller_is_refused(tmp_path, owner_org, users):
    path = write(tmp_path, "a.csv", rows(2))

    with pytest.raises(PermissionDenied):
        import_titles(actor=users["other_exhibitor"], owner=owner_org, path=path)
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "import_titles",
            str(path),
            organisation="tokyo-sales",
            as_user=users["other_exhibitor"].email,
            quiet=True,
        )

    assert str(excinfo.value) == (
        f"{users['other_exhibitor'].email} may not import titles into Tokyo Sales Co "
        "(tokyo-sales): only the organisation's sellers and market organisers may."
    )
    assert Title.objects.count() == 0
    assert ImportJob.objects.count() == 0


def test_an_organiser_and_the_console_may_import(tmp_path, owner_org, users):
    path = write(tmp_path, "a.csv", rows(1))
    import_titles(actor=users["organiser"], owner=owner_org, path=path)
    result = import_titles(actor=CONSOLE_OPERATOR, owner=owner_org, path=path)
    assert result.summary() == "1 title: 0 created, 1 updated"
    assert ImportJob.objects.filter(started_by=None).count() == 1


def test_stream_input(owner_org, users):
    stream = BytesIO(rows(1).encode())
    result = import_titles(
        actor=users["owner_exhibitor"], owner=owner_org, stream=stream, file_name="upload.csv"
    )
    assert result.created == 1
    assert ImportJob.objects.get().file_name == "upload.csv"


# --------------------------------------------------------------------------------------
# The command


def test_command_imports_and_prints_the_summary(tmp_path, owner_org, users):
    path = write(tmp_path, "a.csv", rows(3))
    out = StringIO()

    call_command(
        "import_titles",
        str(path),
        "--organisation",
        "tokyo-sales",
        "--as",
        users["owner_exhibitor"].email.upper(),
        "--batch-size",
        "2",
        stdout=out,
    )

    assert out.getvalue() == "3 titles: 3 created, 0 updated\n"
    assert ImportJob.objects.get().batches_done == 2


def test_command_rejection_lists_the_problems(tmp_path, owner_org):
    path = write(tmp_path, "a.csv", HEADER + "\nA,feature,One,ja,2101\nB,feature,,ja,2000\n")

    with pytest.raises(CommandError) as excinfo:
        call_command("import_titles", str(path), organisation="tokyo-sales")

    assert str(excinfo.value) == (
        "a.csv was rejected and nothing was imported. Fix these 2 problems and import it again:\n"
        "  line 2, column year: Input should be less than or equal to 2100\n"
        "  line 3, column original_title: a value is required"
    )
    assert Title.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--organisation", "tokyo-sales"], "No such file: missing.csv"),
        (["{file}", "--organisation", "nope"], "No organisation with the slug “nope”."),
        (
            ["{file}", "--organisation", "tokyo-sales", "--as", "who@example.com"],
            "No user with the e-mail address who@example.com.",
        ),
        (
            ["{file}", "--organisation", "tokyo-sales", "--batch-size", "0"],
            "--batch-size must be at least 1.",
        ),
    ],
)
def test_command_argument_errors(tmp_path, owner_org, args, message):
    path = write(tmp_path, "a.csv", rows(1))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_titles", *[a.replace("{file}", str(path)) for a in args])
    assert str(excinfo.value) == message


@pytest.mark.django_db(transaction=True)
def test_hyphenated_console_name_runs_the_command(tmp_path, capsys, owner_org, users):
    path = write(tmp_path, "a.csv", rows(2))

    main(
        [
            "import-titles",
            str(path),
            "--organisation",
            "tokyo-sales",
            "--as",
            users["owner_exhibitor"].email,
            "--quiet",
        ]
    )

    assert capsys.readouterr().out == "2 titles: 2 created, 0 updated\n"
    assert Title.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_hyphenated_name_reports_errors_without_traceback(tmp_path, capsys, owner_org):
    path = write(tmp_path, "a.csv", HEADER + "\nA,feature,One,ja,2101\n")

    with pytest.raises(SystemExit) as excinfo:
        main(["import-titles", str(path), "--organisation", "tokyo-sales"])

    assert excinfo.value.code == 1
    err = capsys.readouterr().err
    assert "line 2, column year: Input should be less than or equal to 2100" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------------------
# The user guide and its samples


def test_guide_lists_every_vocabulary_value():
    guide = (DOCS / "import-format.md").read_text(encoding="utf-8")
    values = [*TitleKind.values, *Stage.values, *Genre.values, *MediaChoices.values, *GROUPS]
    assert [v for v in values if f"`{v}`" not in guide] == []


@pytest.mark.parametrize(("name", "count"), [("titles.csv", 4), ("titles.jsonl", 2)])
def test_samples_import_cleanly(owner_org, users, name, count):
    result = import_titles(
        actor=users["owner_exhibitor"], owner=owner_org, path=DOCS / "samples" / name
    )
    assert (result.total, result.created) == (count, count)
    assert RightsWindow.objects.filter(title__owner=owner_org).exists()
