"""Indicative conversion to US dollars."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reelmarket.financing.money import (
    RATES_AS_OF,
    SUPPORTED_CURRENCIES,
    UNITS_PER_USD,
    UnknownCurrency,
    to_usd,
)

MARKET_CURRENCIES = {
    "USD", "HKD", "CNY", "TWD", "JPY", "KRW", "THB", "VND", "IDR",
    "SGD", "MYR", "PHP", "EUR", "GBP", "AUD", "CAD", "INR",
}  # fmt: skip


def test_every_market_currency_has_a_positive_rate() -> None:
    assert MARKET_CURRENCIES <= SUPPORTED_CURRENCIES
    assert all(UNITS_PER_USD[c] > 0 for c in MARKET_CURRENCIES)
    assert RATES_AS_OF.isoformat() == "2025-06-30"


def test_usd_is_identity_and_other_currencies_divide_by_their_rate() -> None:
    assert to_usd(Decimal("1234.50"), "USD") == 1234.5
    assert to_usd(785_000, "HKD") == pytest.approx(100_000.0)
    assert to_usd(Decimal("144500000"), "JPY") == pytest.approx(1_000_000.0)
    assert to_usd(0, "EUR") == 0.0


def test_currency_code_is_case_insensitive_and_trimmed() -> None:
    assert to_usd(7.85, " hkd ") == pytest.approx(1.0)


@pytest.mark.parametrize("code", ["XYZ", "", "US", "BTC"])
def test_unknown_currency_is_a_value_error_naming_it(code: str) -> None:
    with pytest.raises(UnknownCurrency) as raised:
        to_usd(100, code)
    assert isinstance(raised.value, ValueError)
    assert raised.value.currency == code
    assert repr(code) in str(raised.value)
    assert "HKD" in str(raised.value)


def test_hong_kong_dollar_peg_is_respected() -> None:
    # The HKD trades within 7.75-7.85 per USD by the Linked Exchange Rate System.
    assert 7.75 <= UNITS_PER_USD["HKD"] <= 7.85
