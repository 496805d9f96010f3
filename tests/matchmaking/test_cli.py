"""``reelmarket matchmaking evaluate`` on tiny CSV logs; bad rows name file and line."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reelmarket.matchmaking.csvlog import parse_when, read_interactions, read_titles

TITLES = """id,genres,kind,year,countries,synopsis
A,animation|family,animation_feature,2024,JP,A girl and her robot cross the sea.
B,animation|family,animation_feature,2023,KR,A robot dog looks for a home.
C,horror,feature,2022,TH,A haunted hospital at night.
D,horror|thriller,feature,2021,TH,Ghosts in a night hospital ward.
E,drama,feature,2020,VN,
F,drama|romance,series,,VN|FR,Two families in Hanoi.
"""


def log_rows() -> str:
    # Five users: anim fans (u1-u3) and horror fans (u4-u5), six rows each, days 1..6;
    # each user's most recent row (day 6) is held out.
    rows = ["who,title,when,strength"]
    plans = {
        "u1": "ABEFCB"[:5] + "B",
        "u2": "BAEFDA",
        "u3": "AEFCDB",
        "u4": "CDEFAD",
        "u5": "DCEFBC",
    }
    for user, titles in plans.items():
        seen = []
        for day, title in enumerate(titles, start=1):
            if title in seen:
                title = next(t for t in "ABCDEF" if t not in seen)
            seen.append(title)
            rows.append(f"{user},{title},2025-03-0{day}T10:00:00+08:00,")
    return "\n".join(rows) + "\n"


def write(tmp_path: Path, titles: str = TITLES, log: str | None = None) -> tuple[Path, Path]:
    t = tmp_path / "titles.csv"
    t.write_text(titles, encoding="utf-8")
    i = tmp_path / "log.csv"
    i.write_text(log if log is not None else log_rows(), encoding="utf-8")
    return i, t


def run(*args: str) -> str:
    out = StringIO()
    call_command("matchmaking", *args, stdout=out)
    return out.getvalue()


def test_evaluate_prints_the_side_by_side_table(tmp_path):
    log, titles = write(tmp_path)
    output = run("evaluate", "--interactions", str(log), "--titles", str(titles), "--quiet")
    lines = output.splitlines()
    assert lines[0] == (
        "30 interactions of 5 users on 6 titles; held out 5 (each user's most recent 20 %), "
        "5 users evaluated."
    )
    assert lines[1].split() == ["scorer", "NDCG@10", "recall@10"]
    assert [line.split()[0] for line in lines[2:]] == ["ours", "popularity", "item-kNN", "random"]
    # with one held-out title each and 1-2 unseen titles left, recall@10 is 1 for every scorer
    assert all(line.split()[2] == "1.0000" for line in lines[2:])


def test_evaluate_json(tmp_path):
    log, titles = write(tmp_path)
    data = json.loads(
        run("evaluate", "--interactions", str(log), "--titles", str(titles), "--json", "--quiet")
    )
    assert data["titles"] == 6 and data["users"] == 5 and data["interactions"] == 30
    assert data["held_out"] == 5 and data["users_evaluated"] == 5
    assert set(data["results"]) == {"ours", "popularity", "item-kNN", "random"}
    assert data["results"]["popularity"]["users"] == 5
    assert 0.0 <= data["results"]["ours"]["ndcg@10"] <= 1.0


@pytest.mark.parametrize(
    ("log", "message"),
    [
        ("who,title,when\nu1,A,2025-03-01\nu1,Z,2025-03-02\n",
         "log.csv, line 3: title “Z” is not in the titles file"),
        ("who,title,when\nu1,A,yesterday\n",
         "log.csv, line 2: “when” must be an ISO 8601 date or date-time"),
        ("who,title,when,strength\nu1,A,2025-03-01,-2\n",
         "log.csv, line 2: strength must be a number above 0, not “-2”"),
        ("who,title,when,strength\nu1,A,2025-03-01,lots\n",
         "log.csv, line 2: strength must be a number above 0, not “lots”"),
        ("who,title\nu1,A\n", "log.csv, line 1: missing column(s) when"),
        ("", "log.csv, line 1: the file is empty"),
        ("who,title,when\n,A,2025-03-01\n", "log.csv, line 2: “who” is empty"),
        ("who,title,when\n", "log.csv, line 2: no interactions"),
    ],
)  # fmt: skip
def test_bad_log_rows_name_the_file_and_line(tmp_path, log, message):
    log_path, titles = write(tmp_path, log=log)
    with pytest.raises(CommandError) as error:
        run("evaluate", "--interactions", str(log_path), "--titles", str(titles), "--quiet")
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("titles", "message"),
    [
        ("id,genres,kind,year,countries\nA,drama,feature,20x4,VN\n",
         "titles.csv, line 2: year “20x4” is not a whole number"),
        ("id,genres,kind,year,countries\nA,drama,feature,1066,VN\n",
         "titles.csv, line 2: year 1066 is outside 1880–2100"),
        ("id,genres,kind,year,countries\nA,drama,feature,,VN\nA,drama,feature,,VN\n",
         "titles.csv, line 3: duplicate id “A” (first on line 2)"),
        ('id,genres,kind,year,countries,synopsis\nA,drama,feature,,VN,"two\nlines"\n,x,y,,\n',
         "titles.csv, line 4: the id is empty"),
        ("id,genres,kind\nA,drama,feature\n",
         "titles.csv, line 1: missing column(s) year, countries"),
        ("id,genres,kind,year,countries\nA,drama,feature,2020,VN,extra,more\n",
         "titles.csv, line 2: 7 values for 5 columns"),
    ],
)  # fmt: skip
def test_bad_title_rows_name_the_file_and_line(tmp_path, titles, message):
    log_path, titles_path = write(tmp_path, titles=titles)
    with pytest.raises(CommandError) as error:
        run("evaluate", "--interactions", str(log_path), "--titles", str(titles_path), "--quiet")
    assert str(error.value).startswith(message)


def test_not_utf8_and_missing_file(tmp_path):
    log_path, titles = write(tmp_path)
    titles.write_bytes(b"id,genres,kind,year,countries\nA,drama,feature,2020,\xff\xfe\n")
    with pytest.raises(CommandError, match=r"titles\.csv, line \d: not UTF-8 text"):
        run("evaluate", "--interactions", str(log_path), "--titles", str(titles), "--quiet")
    with pytest.raises(CommandError, match=r"nope\.csv, line 0: cannot read the file"):
        run("evaluate", "--interactions", str(log_path), "--titles", str(tmp_path / "nope.csv"))


def test_too_little_history_is_a_clear_error(tmp_path):
    log_path, titles = write(tmp_path, log="who,title,when\nu1,A,2025-03-01\nu1,B,2025-03-02\n")
    with pytest.raises(CommandError, match="Nothing to evaluate"):
        run("evaluate", "--interactions", str(log_path), "--titles", str(titles), "--quiet")


def test_readers_parse_values(tmp_path):
    log_path, titles_path = write(tmp_path)
    titles = read_titles(titles_path)
    assert titles[5].countries == frozenset({"VN", "FR"}) and titles[5].year is None
    assert titles[0].genres == frozenset({"animation", "family"})
    log = read_interactions(log_path, titles)
    assert log.users == {"u1": 1, "u2": 2, "u3": 3, "u4": 4, "u5": 5}
    assert log.interactions[0].when.isoformat() == "2025-03-01T02:00:00+00:00"
    assert parse_when("2025-03-01").isoformat() == "2025-03-01T00:00:00+00:00"
    assert parse_when("2025-03-01T10:00:00").isoformat() == "2025-03-01T10:00:00+00:00"
