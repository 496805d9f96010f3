"""Page-number pagination shared by the list endpoints: ``?page=1&page_size=20``."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

T = TypeVar("T")


class PageParams(Schema):
    page: int = Field(1, ge=1, description="1-based page number.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"At most {MAX_PAGE_SIZE}."
    )


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[T]


def paginate(
    rows: QuerySet | Sequence[Any], params: PageParams, render: Callable[[Any], Any]
) -> dict[str, Any]:
    """One page of ``rows``; a page past the end is empty (never an error, never a query
    with a huge offset)."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    pages = max(1, math.ceil(count / params.page_size))
    start = (params.page - 1) * params.page_size
    items = [] if start >= count else [render(r) for r in rows[start : start + params.page_size]]
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": pages,
        "items": items,
    }
