"""``reelmarket schedule``: clean errors, and a solve/check round trip on files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_generate_solve_check_round_trip(tmp_path: Path) -> None:
    problem, schedule = tmp_path / "in.json", tmp_path / "out.json"
    call_command(
        "schedule",
        "generate",
        "-o",
        str(problem),
        "--people",
        "200",
        "--requests",
        "800",
        "--booths",
        "20",
        "--shared-tables",
        "6",
    )
    call_command("schedule", "solve", str(problem), "-o", str(schedule), "--time-limit", "3")
    out = json.loads(schedule.read_text())
    assert out["format"] == "reelmarket-schedule-output"
    assert len(out["assignments"]) + len(out["left_out"]) == 800
    call_command("schedule", "check", str(problem), str(schedule))


def test_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("schedule", "solve", str(tmp_path / "nope.json"), "-o", str(tmp_path / "o"))


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "grid": {"days": 1,\n  "slots_per_day": }\n}')
    with pytest.raises(CommandError, match="invalid JSON at line 3"):
        call_command("schedule", "solve", str(bad), "-o", str(tmp_path / "o.json"))


def test_unknown_person_names_the_request(tmp_path: Path) -> None:
    doc = {
        "grid": {"days": 1, "slots_per_day": 2},
        "people": [{"id": "a"}],
        "locations": [{"id": "shared", "kind": "shared", "tables": 1}],
        "requests": [{"id": "r7", "side_a": ["a"], "side_b": ["zed"], "locations": ["shared"]}],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError, match=r"request 'r7' \(requests\[0\]\).*unknown person 'zed'"):
        call_command("schedule", "solve", str(path), "-o", str(tmp_path / "o.json"))


def test_check_reports_violations(tmp_path: Path) -> None:
    doc = {
        "grid": {"days": 1, "slots_per_day": 1},
        "people": [{"id": "a"}, {"id": "b"}],
        "locations": [{"id": "shared", "kind": "shared", "tables": 1}],
        "requests": [{"id": "r1", "side_a": ["a"], "side_b": ["b"], "locations": ["shared"]}],
    }
    (tmp_path / "in.json").write_text(json.dumps(doc))
    (tmp_path / "out.json").write_text(json.dumps({"assignments": [], "left_out": []}))
    with pytest.raises(CommandError, match="1 violations"):
        call_command("schedule", "check", str(tmp_path / "in.json"), str(tmp_path / "out.json"))
