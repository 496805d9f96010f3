"""Background tasks of Producers Connect; the worker finds them through this module."""

from reelmarket.financing import tasks_connect  # noqa: F401
