"""Template filters: ``{% load rm %}`` then ``{{ amount|money:"USD" }}``, ``{{ "HK"|country }}``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html

from reelmarket.web import formatting

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "USD") -> str:
    return formatting.money(amount, currency or "USD")


@register.filter
def money_compact(amount: Decimal | None, currency: str = "USD") -> str:
    return formatting.money(amount, currency or "USD", compact=True)


@register.filter
def num(value: int | float | None) -> str:
    return formatting.number(value)


@register.filter
def country(code: str) -> str:
    return formatting.country_name(code) if code else ""


@register.filter
def language(tag: str) -> str:
    return formatting.language_name(tag) if tag else ""


@register.filter
def day(value: date | None) -> str:
    return formatting.day(value) if value else ""


@register.simple_tag
def dual_time(moment: datetime, venue_zone: str) -> str:
    parts = formatting.dual_time(moment, venue_zone=venue_zone)
    if parts["viewer"]:
        return format_html(
            '<time datetime="{}">{}</time> <span class="viewer-time">· {}</span>',
            parts["iso"],
            parts["venue"],
            parts["viewer"],
        )
    return format_html('<time datetime="{}">{}</time>', parts["iso"], parts["venue"])


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for pagination, facets)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(sorted(params.lists()), doseq=True)
