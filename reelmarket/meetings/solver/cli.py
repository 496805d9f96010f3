"""File-level entry points used by ``reelmarket schedule`` (and usable without Django)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .check import check_schedule
from .generate import generate
from .model import SolverInputError, load_instance
from .solve import result_document, solve


def _write(path: str | Path, doc: dict[str, Any]) -> None:
    p = Path(path)
    try:
        p.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    except OSError as exc:
        raise SolverInputError(f"{p}: cannot write ({exc.strerror})") from exc


def solve_file(
    input_path: str | Path, output_path: str | Path, *, time_limit: float = 30.0, seed: int = 0
) -> dict[str, Any]:
    """Solve INPUT into OUTPUT; returns the output document."""
    if time_limit <= 0:
        raise SolverInputError("--time-limit must be positive")
    inst, _ = load_instance(input_path)
    result = solve(inst, time_limit=time_limit, seed=seed)
    doc = result_document(result, seed=seed, time_limit=time_limit)
    _write(output_path, doc)
    return doc


def generate_file(output_path: str | Path, *, seed: int = 1, **sizes: Any) -> dict[str, Any]:
    doc = generate(seed=seed, **sizes)
    _write(output_path, doc)
    return doc


def _read_json(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SolverInputError(f"{p}: no such file") from exc
    except json.JSONDecodeError as exc:
        raise SolverInputError(
            f"{p}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc


def check_files(input_path: str | Path, output_path: str | Path) -> list[str]:
    load_instance(input_path)  # validates the problem itself
    problem = _read_json(input_path)
    schedule = _read_json(output_path)
    try:
        return check_schedule(problem, schedule)
    except (KeyError, TypeError) as exc:
        raise SolverInputError(f"{output_path}: not a schedule output ({exc!r})") from exc
