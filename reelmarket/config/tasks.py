"""The one task layer of the project: register thin functions, queue them at commit.

A domain app declares its background work in ``<app>/tasks.py``::

    from reelmarket.config.tasks import task

    @task(name="discovery.embed_title", queue="search")
    def embed_title(*, title_id: int) -> None:
        discovery.services.title_embed(title_id=title_id)

and a service queues it inside its transaction::

    enqueue(embed_title, title_id=title.pk)

Rules:

- Tasks take ids and other JSON values, never model instances (``TypeError`` at enqueue
  time); they are idempotent (a task may run twice after a worker crash).
- ``enqueue`` registers the task with ``transaction.on_commit``: a rolled-back write queues
  nothing; outside a transaction it is dispatched at once.
- ``settings.TASKS_MODE`` picks where it runs: ``"immediate"`` (synchronously at commit,
  exceptions propagate — the test suite), ``"thread"`` (the embedded default: one daemon
  thread per queue in this process, FIFO, failures logged, never fatal), ``"celery"``
  (sent to the broker ``settings.TASKS_BROKER_URL`` on the task's named queue; run by
  ``reelmarket worker``).
- Coalescing: the same (name, kwargs) queued again is dropped while an identical one is
  still waiting: (a) within one transaction, in every mode — the transaction commits one
  copy — and (b) in the thread queue until the waiting copy starts. A copy that is already
  running does not absorb new ones (the data may have changed since it read it). So a
  200-row import touching one title queues one re-index, not 200. Celery mode coalesces
  within a transaction only; its tasks are idempotent anyway.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections, models, transaction

logger = logging.getLogger("reelmarket.tasks")

P = ParamSpec("P")
R = TypeVar("R")

MODES = ("immediate", "thread", "celery")
DEFAULT_QUEUE = "default"
# At interpreter exit the thread backend waits this long for queued work (a CLI command that
# forgot to call ``wait_idle``); what is left is logged: ``reelmarket reindex`` catches up.
EXIT_DRAIN_SECONDS = 60.0

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_QUEUE_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class TaskSpec:
    """A registered task: its unique dotted name, the queue it runs on, the function."""

    name: str
    queue: str
    func: Callable[..., Any]


_registry: dict[str, TaskSpec] = {}
_listeners: list[Callable[[TaskSpec], None]] = []
_registry_lock = threading.Lock()


def task(*, name: str, queue: str = DEFAULT_QUEUE) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register ``func`` as the background task ``name`` on ``queue``; returns it unchanged.

    ``name`` is dotted and unique (``"discovery.embed_title"``); the function keeps working
    as a plain call (``embed_title(title_id=3)`` runs it here and now).
    """
    if not _NAME_RE.match(name):
        raise ValueError(f"task name {name!r}: use a dotted lower-case name like 'app.do_thing'")
    if not _QUEUE_RE.match(queue):
        raise ValueError(f"task {name!r}: queue {queue!r} must be a lower-case word")

    def register(func: Callable[P, R]) -> Callable[P, R]:
        spec = TaskSpec(name=name, queue=queue, func=func)
        with _registry_lock:
            existing = _registry.get(name)
            if existing is not None and _qualified(existing.func) != _qualified(func):
                raise ValueError(
                    f"task name {name!r} is already registered by {_qualified(existing.func)}"
                )
            _registry[name] = spec
            listeners = list(_listeners)
        func.task_name = name  # type: ignore[attr-defined]
        for listener in listeners:
            listener(spec)
        return func

    return register


def registered_tasks() -> dict[str, TaskSpec]:
    """Every registered task by name (import the tasks modules first: ``autodiscover``)."""
    with _registry_lock:
        return dict(_registry)


def task_queues() -> list[str]:
    """The queue names the registered tasks use, ``"default"`` always included, sorted."""
    return sorted({DEFAULT_QUEUE, *(spec.queue for spec in registered_tasks().values())})


def on_register(listener: Callable[[TaskSpec], None]) -> None:
    """Call ``listener`` for every task registered so far and every one registered later."""
    with _registry_lock:
        _listeners.append(listener)
        specs = list(_registry.values())
    for spec in specs:
        listener(spec)


def autodiscover() -> None:
    """Import the ``tasks`` module of every installed app, so their tasks are registered."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")


def enqueue(func_or_name: Callable[..., Any] | str, /, **kwargs: Any) -> None:
    """Queue the registered task for when the current transaction commits.

    Raises ``TypeError`` for a model instance (pass its id) or any other value that is not
    JSON, ``LookupError`` for an unknown task. See the module docstring for the modes.
    """
    spec = _resolve(func_or_name)
    payload = _checked_payload(spec.name, kwargs)
    mode = _mode()
    key = (spec.name, payload)
    dispatch = _Dispatch(spec=spec, payload=payload, mode=mode)
    if _coalesced_in_transaction(key, dispatch):
        return
    transaction.on_commit(dispatch)


def wait_idle(timeout: float | None = 30.0) -> bool:
    """Wait until the in-process thread queues are empty and nothing runs; False on timeout.

    Immediate and celery modes have nothing in-process to wait for: True at once.
    """
    backend = _thread_backend(create=False)
    return True if backend is None else backend.wait_idle(timeout)


def queue_status() -> dict[str, dict[str, int]]:
    """Per queue of the thread backend: ``pending``, ``running``, ``failed`` (since start),
    ``done`` and ``coalesced`` counts. Empty when nothing ran in-process (celery mode)."""
    backend = _thread_backend(create=False)
    return {} if backend is None else backend.status()


# --- enqueue helpers -----------------------------------------------------------------------


def _qualified(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def _resolve(func_or_name: Callable[..., Any] | str) -> TaskSpec:
    if isinstance(func_or_name, str):
        spec = _registry.get(func_or_name)
        if spec is None:
            autodiscover()
            spec = _registry.get(func_or_name)
        if spec is None:
            raise LookupError(f"no task is registered as {func_or_name!r}")
        return spec
    name = getattr(func_or_name, "task_name", None)
    spec = _registry.get(name) if isinstance(name, str) else None
    if spec is None:
        raise TypeError(
            f"{func_or_name!r} is not a registered task: decorate it with "
            "@task(name=..., queue=...) from reelmarket.config.tasks"
        )
    return spec


def _find_model_instance(value: Any, path: str) -> tuple[str, Any] | None:
    if isinstance(value, models.Model | models.QuerySet):
        return path, value
    if isinstance(value, dict):
        items = ((f"[{k!r}]", v) for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        items = ((f"[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for sub, item in items:
        found = _find_model_instance(item, path + sub)
        if found:
            return found
    return None


def _checked_payload(name: str, kwargs: dict[str, Any]) -> str:
    """The kwargs as canonical JSON (sorted keys): the dedup key and what every mode runs."""
    for key, value in kwargs.items():
        found = _find_model_instance(value, key)
        if found:
            where, obj = found
            raise TypeError(
                f"enqueue({name}): {where} is a {type(obj).__name__}; tasks take ids, not "
                f"model instances (pass e.g. {key.removesuffix('s')}_id=obj.pk)"
            )
    try:
        return json.dumps(kwargs, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"enqueue({name}): keyword arguments must be JSON values: {exc}") from exc


def _mode() -> str:
    mode = settings.TASKS_MODE
    if mode not in MODES:
        raise ImproperlyConfigured(f"TASKS_MODE={mode!r}: expected one of {', '.join(MODES)}")
    if mode == "celery" and not settings.TASKS_BROKER_URL:
        raise ImproperlyConfigured(
            "TASKS_MODE='celery' needs a broker: set REELMARKET_BROKER_URL (redis://... or "
            "amqp://...)"
        )
    return mode


@dataclass
class _Dispatch:
    """The on-commit callback: hands one task to the configured mode."""

    spec: TaskSpec
    payload: str
    mode: str
    fired: bool = False

    def __call__(self) -> None:
        self.fired = True
        kwargs = json.loads(self.payload)
        if self.mode == "immediate":
            self.spec.func(**kwargs)
        elif self.mode == "thread":
            backend = _thread_backend(create=True)
            assert backend is not None
            backend.put(self.spec, self.payload)
        else:
            _send_to_celery(self.spec, kwargs)


_local = threading.local()


def _coalesced_in_transaction(key: tuple[str, str], dispatch: _Dispatch) -> bool:
    """True when an identical task already waits for this transaction's commit.

    Keyed on the connection's list of commit hooks: Django replaces that list on commit,
    rollback and savepoint rollback, so a stale entry can never swallow a task.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        return False
    hooks = connection.run_on_commit
    state = getattr(_local, "waiting", None)
    if state is None or state[0] is not hooks:
        state = (hooks, {})
        _local.waiting = state
    waiting: dict[tuple[str, str], _Dispatch] = state[1]
    earlier = waiting.get(key)
    if earlier is not None and not earlier.fired:
        return True
    waiting[key] = dispatch
    return False


def _send_to_celery(spec: TaskSpec, kwargs: dict[str, Any]) -> None:
    from reelmarket.config.celery import send

    try:
        send(name=spec.name, queue=spec.queue, kwargs=kwargs)
    except Exception:
        # The write is committed; failing the request now would only invite a duplicate.
        logger.exception(
            "could not send task %s %s to the broker (lost; `reelmarket reindex` and the "
            "other catch-up commands repair what it would have done)",
            spec.name,
            kwargs,
        )


# --- the in-process thread backend ---------------------------------------------------------


@dataclass
class _Job:
    spec: TaskSpec
    payload: str


@dataclass
class _QueueState:
    jobs: deque[_Job] = field(default_factory=deque)
    waiting: set[tuple[str, str]] = field(default_factory=set)
    running: int = 0
    done: int = 0
    failed: int = 0
    coalesced: int = 0
    thread: threading.Thread | None = None


class _ThreadBackend:
    """One daemon thread per queue, FIFO; a failing task is logged and the thread goes on."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.changed = threading.Condition()
        self.queues: dict[str, _QueueState] = {}

    def put(self, spec: TaskSpec, payload: str) -> None:
        key = (spec.name, payload)
        with self.changed:
            state = self.queues.setdefault(spec.queue, _QueueState())
            if key in state.waiting:
                state.coalesced += 1
                return
            state.waiting.add(key)
            state.jobs.append(_Job(spec=spec, payload=payload))
            if state.thread is None:
                state.thread = threading.Thread(
                    target=self._work,
                    args=(spec.queue, state),
                    name=f"reelmarket-tasks-{spec.queue}",
                    daemon=True,
                )
                state.thread.start()
            self.changed.notify_all()

    def _work(self, queue: str, state: _QueueState) -> None:
        while True:
            with self.changed:
                while not state.jobs:
                    self.changed.wait()
                job = state.jobs.popleft()
                state.waiting.discard((job.spec.name, job.payload))
                state.running += 1
            ok = self._run(job)
            with self.changed:
                state.running -= 1
                if ok:
                    state.done += 1
                else:
                    state.failed += 1
                self.changed.notify_all()

    @staticmethod
    def _run(job: _Job) -> bool:
        close_old_connections()
        try:
            job.spec.func(**json.loads(job.payload))
        except Exception:
            logger.exception("background task %s failed (kwargs %s)", job.spec.name, job.payload)
            return False
        finally:
            # This thread's own connections: closed after every task, never leaked.
            connections.close_all()
        return True

    def idle(self) -> bool:
        return all(not s.jobs and not s.running for s in self.queues.values())

    def wait_idle(self, timeout: float | None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.changed:
            while not self.idle():
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self.changed.wait(remaining)
        return True

    def status(self) -> dict[str, dict[str, int]]:
        with self.changed:
            return {
                name: {
                    "pending": len(s.jobs),
                    "running": s.running,
                    "failed": s.failed,
                    "done": s.done,
                    "coalesced": s.coalesced,
                }
                for name, s in sorted(self.queues.items())
            }


_backend: _ThreadBackend | None = None
_backend_lock = threading.Lock()


def _thread_backend(*, create: bool) -> _ThreadBackend | None:
    """The process's thread backend; a forked child (gunicorn) starts its own."""
    global _backend
    with _backend_lock:
        if _backend is not None and _backend.pid != os.getpid():
            _backend = None
        if _backend is None and create:
            _backend = _ThreadBackend()
        return _backend


@atexit.register
def _drain_at_exit() -> None:
    backend = _thread_backend(create=False)
    if backend is None or backend.idle():
        return
    logger.warning("waiting up to %.0f s for background tasks to finish", EXIT_DRAIN_SECONDS)
    if not backend.wait_idle(EXIT_DRAIN_SECONDS):
        logger.warning("background tasks left unfinished at exit: %s", backend.status())
