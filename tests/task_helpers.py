"""Tasks registered only for tests/test_tasks.py; a worker subprocess imports this module
(``reelmarket worker --include tests.task_helpers`` with the repository on PYTHONPATH)."""

from __future__ import annotations

import threading
from pathlib import Path

from reelmarket.config.tasks import task

# What the in-process tasks did, by test token (the tests read it back).
calls: dict[str, list[object]] = {}
threads: dict[str, list[str]] = {}
connections_used: dict[str, object] = {}
gates: dict[str, threading.Event] = {}
started: dict[str, threading.Event] = {}


@task(name="tests.record", queue="tests")
def record(*, token: str, value: object) -> None:
    calls.setdefault(token, []).append(value)
    threads.setdefault(token, []).append(threading.current_thread().name)


@task(name="tests.record_other", queue="tests_other")
def record_other(*, token: str, value: object) -> None:
    record(token=token, value=value)


@task(name="tests.explode", queue="tests")
def explode(*, token: str) -> None:
    raise RuntimeError(f"boom {token}")


@task(name="tests.hold", queue="tests")
def hold(*, token: str) -> None:
    """Signals that it runs, then waits for the test to open the gate."""
    calls.setdefault(token, []).append("held")
    started.setdefault(token, threading.Event()).set()
    gates.setdefault(token, threading.Event()).wait(timeout=30)


@task(name="tests.write_file", queue="tests")
def write_file(*, path: str, text: str) -> None:
    """Used by the Celery test: the worker process writes a file the test waits for."""
    target = Path(path)
    target.with_suffix(".tmp").write_text(text, encoding="utf-8")
    target.with_suffix(".tmp").replace(target)


@task(name="tests.query", queue="tests")
def query(*, token: str) -> None:
    """Opens this thread's database connection; the test checks it is closed afterwards."""
    from django.db import connections

    connection = connections["default"]  # this thread's own wrapper, not the proxy
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        calls.setdefault(token, []).append(cursor.fetchone()[0])
    connections_used[token] = connection
