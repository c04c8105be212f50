"""The CLI's one way of showing numbers and moments (entrypoints/cli/render.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from onhand.entrypoints.cli.render import Shown, amount, figure, moment


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    (Decimal("5.000000"), 0, "5"),
    (Decimal("1.25"), 3, "1.250"),
    (Decimal("0.123456"), 2, "0.123456"),  # finer than the unit: never rounded
    (Decimal("1E+3"), 0, "1000"),
    (Decimal("2.5"), None, "2.5"),
])
def test_a_figure_has_at_least_its_decimals_and_no_trailing_zeros_beyond(value, decimals, shown):
    assert figure(value, decimals) == shown


def test_money_takes_its_currency_s_minor_unit():
    assert [amount(Decimal("1500.000000"), code).plain for code in ("JPY", "USD", "KWD")] == [
        "1500", "1500.00", "1500.000"]


def test_a_moment_is_shown_in_the_company_s_zone_with_its_offset():
    Shown.bind(None)
    Shown._zone = ZoneInfo("America/New_York")
    try:
        assert moment(datetime(2026, 3, 1, 12, tzinfo=UTC)) == "2026-03-01 07:00:00 -05:00"
        assert moment(datetime(2026, 7, 1, 12)) == "2026-07-01 08:00:00 -04:00"  # naive: stored UTC
    finally:
        Shown.bind(None)
