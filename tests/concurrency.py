"""Run one function from several threads at once, each thread on its own DB connection."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections


def require_postgres() -> None:
    """Concurrency tests need PostgreSQL; SQLite serialises writers, so nothing races.

    Skips elsewhere, but fails in CI when the suite runs on PostgreSQL and still lands here.
    """
    if connection.vendor == "postgresql":
        return
    reason = (
        "concurrency test needs PostgreSQL (REELMARKET_DATABASE_URL=postgres://...): "
        "SQLite serialises writers, so there is no race to test"
    )
    if os.environ.get("CI") and "postgres" in os.environ.get("REELMARKET_DATABASE_URL", ""):
        pytest.fail(reason)
    pytest.skip(reason)


def run_concurrently(work: Callable[[int], Any], *, threads: int) -> list[Any]:
    """Start ``threads`` calls of ``work(i)`` behind a barrier; return results or exceptions."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # returned to the test, which asserts on it
            results[i] = exc
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return results
