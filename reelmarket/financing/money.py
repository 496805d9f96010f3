"""Indicative currency conversion to US dollars, for comparing amounts across projects.

Producers state budgets and financing in their own currency; investors state tickets in
theirs. To compare a ticket with a gap (relevance scoring, sorting, dashboards) both are
converted to USD with the table below.

The rates are **indicative**: approximate mid-market rates as of ``RATES_AS_OF``
(2025-06-30), rounded, built into the code. They are good enough to rank and compare
(a few per cent of drift does not change whether a USD 500,000 ticket suits a USD 2 M
gap) and must never be used for accounting, contracts or anything shown as an exact
amount. Updating them is a one-line change per currency plus the date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import MappingProxyType

RATES_AS_OF = date(2025, 6, 30)

# Units of the currency for one US dollar (indicative, see the module docstring).
UNITS_PER_USD: MappingProxyType[str, float] = MappingProxyType(
    {
        "USD": 1.0,
        "HKD": 7.85,
        "CNY": 7.17,
        "TWD": 29.3,
        "JPY": 144.5,
        "KRW": 1355.0,
        "THB": 32.5,
        "VND": 26100.0,
        "IDR": 16250.0,
        "SGD": 1.275,
        "MYR": 4.21,
        "PHP": 56.3,
        "EUR": 0.852,
        "GBP": 0.729,
        "AUD": 1.525,
        "CAD": 1.362,
        "INR": 85.7,
    }
)

SUPPORTED_CURRENCIES: frozenset[str] = frozenset(UNITS_PER_USD)


class UnknownCurrency(ValueError):
    """The currency is not in the table of indicative rates."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        supported = ", ".join(sorted(SUPPORTED_CURRENCIES))
        super().__init__(f"No indicative rate for currency {currency!r}; supported: {supported}.")


def to_usd(amount: Decimal | float, currency: str) -> float:
    """``amount`` in ``currency`` converted to US dollars with the indicative rates.

    The currency code is an ISO 4217 code, case-insensitive. Raises ``UnknownCurrency``
    (a ``ValueError``) for a code the table does not hold.
    """
    code = currency.strip().upper() if isinstance(currency, str) else currency
    try:
        rate = UNITS_PER_USD[code]
    except (KeyError, TypeError):
        raise UnknownCurrency(str(currency)) from None
    return float(amount) / rate


__all__ = ["RATES_AS_OF", "SUPPORTED_CURRENCIES", "UNITS_PER_USD", "UnknownCurrency", "to_usd"]
