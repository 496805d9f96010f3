"""The task layer: enqueue at commit, the immediate / thread / celery modes, coalescing."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections, transaction

from reelmarket.config.tasks import enqueue, queue_status, registered_tasks, task, wait_idle
from tests import task_helpers
from tests.factories import UserFactory
from tests.task_helpers import explode, hold, query, record, record_other, write_file

REPO = Path(__file__).resolve().parent.parent
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
TEST_BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"


@pytest.fixture
def token() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def immediate(settings):
    settings.TASKS_MODE = "immediate"


@pytest.fixture
def threaded(settings):
    settings.TASKS_MODE = "thread"
    yield
    assert wait_idle(10)


def _counts(queue: str) -> dict[str, int]:
    return queue_status().get(
        queue, {"pending": 0, "running": 0, "failed": 0, "done": 0, "coalesced": 0}
    )


# --- registration and arguments -------------------------------------------------------------


def test_registered_tasks_know_name_queue_and_function():
    spec = registered_tasks()["tests.record"]
    assert (spec.name, spec.queue, spec.func) == ("tests.record", "tests", record)
    assert record.task_name == "tests.record"


def test_a_name_taken_by_another_function_is_refused():
    with pytest.raises(ValueError, match="already registered"):

        @task(name="tests.record")
        def impostor() -> None:
            pass


def test_bad_names_and_queues_are_refused():
    with pytest.raises(ValueError, match="dotted"):
        task(name="NoDots")
    with pytest.raises(ValueError, match="queue"):
        task(name="tests.x", queue="Mail Queue")


def test_a_model_instance_is_a_type_error_at_enqueue(db, immediate, token):
    user = UserFactory.build()
    with pytest.raises(TypeError, match=r"value is a User; tasks take ids, not model instances"):
        enqueue(record, token=token, value=user)
    with pytest.raises(TypeError, match=r"value\[0\] is a User"):
        enqueue(record, token=token, value=[user])
    assert token not in task_helpers.calls


def test_values_that_are_not_json_are_a_type_error(db, immediate, token):
    with pytest.raises(TypeError, match="must be JSON values"):
        enqueue(record, token=token, value={1, 2})
    with pytest.raises(TypeError, match="must be JSON values"):
        enqueue(record, token=token, value=float("nan"))


def test_unknown_and_unregistered_tasks(db, immediate):
    with pytest.raises(LookupError, match=r"no task is registered as 'tests\.nothing'"):
        enqueue("tests.nothing")
    with pytest.raises(TypeError, match="not a registered task"):
        enqueue(print)


def test_an_unknown_mode_is_a_configuration_error(db, settings, token):
    settings.TASKS_MODE = "sometimes"
    with pytest.raises(ImproperlyConfigured, match="TASKS_MODE='sometimes'"):
        enqueue(record, token=token, value=1)
    settings.TASKS_MODE = "celery"
    settings.TASKS_BROKER_URL = ""
    with pytest.raises(ImproperlyConfigured, match="REELMARKET_BROKER_URL"):
        enqueue(record, token=token, value=1)


# --- immediate mode: at commit, never on rollback --------------------------------------------
# Two tests commit for real (transactional_db); the others run inside the test's transaction
# and see what a commit would run through django_capture_on_commit_callbacks.


def test_immediate_runs_at_commit_and_not_on_rollback(transactional_db, immediate, token):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(record, token=token, value="rolled back")
        raise RuntimeError("write failed")
    assert token not in task_helpers.calls
    with transaction.atomic():
        enqueue(record, token=token, value=(1, "a"))
        assert token not in task_helpers.calls
    # JSON in, JSON out: every mode hands the task what a Celery worker would see.
    assert task_helpers.calls[token] == [[1, "a"]]


def test_outside_a_transaction_it_runs_at_once(transactional_db, immediate, token):
    enqueue("tests.record", token=token, value=7)
    assert task_helpers.calls[token] == [7]


def test_a_rolled_back_savepoint_drops_only_its_own_tasks(
    db, immediate, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue(record, token=token, value="outer")
        try:
            with transaction.atomic():
                enqueue(record, token=token, value="inner")
                raise RuntimeError("row rejected")
        except RuntimeError:
            pass
        assert token not in task_helpers.calls
        # Queued again after the savepoint that held it rolled back: runs once.
        enqueue(record, token=token, value="inner")
    assert task_helpers.calls[token] == ["outer", "inner"]


def test_one_transaction_commits_one_copy_of_identical_tasks(
    db, immediate, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(200):
            enqueue(record, token=token, value={"title_ids": [3], "b": 1})
        enqueue(record, token=token, value={"b": 1, "title_ids": [3]})  # same, other order
        enqueue(record, token=token, value={"title_ids": [4], "b": 1})
    assert len(callbacks) == 2
    assert task_helpers.calls[token] == [{"b": 1, "title_ids": [3]}, {"b": 1, "title_ids": [4]}]


def test_a_later_transaction_queues_the_same_task_again(
    db, immediate, token, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            enqueue(record, token=token, value=1)
            enqueue(record, token=token, value=1)
    assert task_helpers.calls[token] == [1, 1]


def test_immediate_mode_lets_a_failure_propagate(
    db, immediate, token, django_capture_on_commit_callbacks
):
    with (
        pytest.raises(RuntimeError, match=f"boom {token}"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue(explode, token=token)


# --- thread mode: background, FIFO, failures logged, coalescing ------------------------------


def test_thread_mode_runs_in_a_background_thread(
    db, threaded, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for value in range(5):
            enqueue(record, token=token, value=value)
    assert wait_idle(10)
    assert task_helpers.calls[token] == [0, 1, 2, 3, 4]
    assert task_helpers.threads[token] == ["reelmarket-tasks-tests"] * 5
    assert threading.current_thread().name != "reelmarket-tasks-tests"


def test_a_failing_task_is_logged_and_the_thread_goes_on(
    db, threaded, token, caplog, django_capture_on_commit_callbacks
):
    before = _counts("tests")
    with caplog.at_level(logging.ERROR, logger="reelmarket.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(explode, token=token)
            enqueue(record, token=token, value="after")
        assert wait_idle(10)
    assert task_helpers.calls[token] == ["after"]
    failures = [r for r in caplog.records if r.name == "reelmarket.tasks"]
    assert [r.getMessage() for r in failures] == [
        f'background task tests.explode failed (kwargs {{"token":"{token}"}})'
    ]
    assert failures[0].exc_info[1].args == (f"boom {token}",)
    after = _counts("tests")
    assert (after["failed"] - before["failed"], after["done"] - before["done"]) == (1, 1)


def test_waiting_duplicates_coalesce_a_running_one_does_not(
    db, threaded, token, django_capture_on_commit_callbacks
):
    gate = task_helpers.gates.setdefault(token, threading.Event())
    started = task_helpers.started.setdefault(token, threading.Event())
    before = _counts("tests")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(hold, token=token)
        assert started.wait(10)
        # The held task runs; identical copies in three separate commits wait as one.
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                enqueue(record, token=token, value="x")
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(record, token=token, value="y")
            enqueue(hold, token=token)  # identical to the running one: queued, not absorbed
        now = _counts("tests")
        assert (now["pending"], now["running"], now["coalesced"] - before["coalesced"]) == (
            3,
            1,
            2,
        )
        assert not wait_idle(0.2)
    finally:
        gate.set()  # never leave the queue's thread held for the next test
    assert wait_idle(10)
    assert task_helpers.calls[token] == ["held", "x", "y", "held"]


def test_the_thread_closes_its_database_connection_after_each_task(
    db, threaded, token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(query, token=token)
    assert wait_idle(10)
    assert task_helpers.calls[token] == [1]
    used = task_helpers.connections_used[token]
    assert used is not connections["default"]
    # Django never closes an in-memory SQLite database (closing would destroy it).
    assert used.connection is None or used.is_in_memory_db()


def test_queue_status_counts_per_queue(db, threaded, token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(record_other, token=token, value=1)
    assert wait_idle(10)
    assert queue_status()["tests_other"] == {
        "pending": 0,
        "running": 0,
        "failed": 0,
        "done": 1,
        "coalesced": 0,
    }
    assert task_helpers.threads[token] == ["reelmarket-tasks-tests_other"]


# --- celery mode: a real worker on Redis -----------------------------------------------------


def test_worker_command_needs_a_broker(settings):
    settings.TASKS_BROKER_URL = ""
    with pytest.raises(CommandError, match="No broker configured: set REELMARKET_BROKER_URL"):
        call_command("worker")


def test_celery_app_routes_each_task_to_its_queue():
    from reelmarket.config.celery import app, route

    assert app.tasks["tests.record"].name == "tests.record"
    assert app.tasks["tests.write_file"].run is write_file
    assert route("tests.record", (), {}, {}) == {"queue": "tests"}
    assert route("somebody.else", (), {}, {}) is None
    conf = app.conf
    assert (conf.task_acks_late, conf.worker_prefetch_multiplier, conf.task_serializer) == (
        True,
        1,
        "json",
    )
    assert conf.accept_content == ["json"]


def _require_redis() -> None:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return
    except OSError as exc:
        reason = f"the Celery test needs Redis on {REDIS_HOST}:{REDIS_PORT} ({exc})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        REELMARKET_BROKER_URL=TEST_BROKER,
        REELMARKET_TASKS_MODE="celery",
        REELMARKET_VAR_DIR=str(tmp_path / "var"),
        # Only the enqueueing transaction touches a database: a throw-away SQLite file.
        REELMARKET_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REELMARKET_SECRET_KEY="test-only",
    )
    return env


def test_celery_mode_runs_on_a_real_worker(tmp_path):
    _require_redis()
    env = _env(tmp_path)
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reelmarket",
            "worker",
            "--queues",
            "tests",
            "--concurrency",
            "1",
            "--include",
            "tests.task_helpers",
            "--skip-checks",
        ],
        cwd=tmp_path,
        env=env | {"CELERY_SKIP_CHECKS": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    committed, rolled_back = tmp_path / "committed.txt", tmp_path / "rolled-back.txt"
    try:
        script = textwrap.dedent(f"""
            from django.db import connections, transaction
            from reelmarket.config.tasks import enqueue
            from tests.task_helpers import write_file
            try:
                with transaction.atomic():
                    enqueue(write_file, path={str(rolled_back)!r}, text="no")
                    raise RuntimeError
            except RuntimeError:
                pass
            with transaction.atomic():
                enqueue(write_file, path={str(committed)!r}, text="sent at commit")
        """)
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "reelmarket", "shell", "--no-imports", "-c", script],
            cwd=tmp_path,
            env=env,
            check=True,
            timeout=60,
            capture_output=True,
        )
        deadline = time.monotonic() + 30
        while not committed.exists() and time.monotonic() < deadline:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.1)
        assert committed.read_text() == "sent at commit", (tmp_path / "worker.log").read_text()
        assert not rolled_back.exists()
    finally:
        _stop(worker)
        log.close()


def _stop(worker: subprocess.Popen) -> None:
    """Warm shutdown of the worker and its pool processes (its own session), then kill."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        if worker.poll() is not None:
            return
        try:
            os.killpg(worker.pid, sig)
        except ProcessLookupError:
            return
        try:
            worker.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
