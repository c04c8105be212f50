"""Sales-order rules on plain values: line arithmetic and the status an order's facts imply."""

from datetime import date
from decimal import Decimal

import pytest

from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.orders.sales_orders import (
    LineProgress,
    OrderStatus,
    order_status,
    require_active,
    require_editable,
    validate_channel,
    validate_currency,
    validate_ship_date,
    validate_unit_price,
)


def line(ordered, reserved=0, shipped=0, picked=0, returned=0):
    return LineProgress(Decimal(ordered), Decimal(reserved), Decimal(picked), Decimal(shipped), Decimal(returned))


def status(*lines, cancelled=False, allocated=True):
    return order_status(list(lines), cancelled=cancelled, allocated=allocated)


def test_a_line_is_split_into_shipped_reserved_and_backordered():
    progress = line(10, reserved=4, shipped=3)
    assert progress.open == 7
    assert progress.backordered == 3
    assert progress.shipped + progress.reserved + progress.backordered == progress.ordered


def test_returns_do_not_reopen_a_shipped_line():
    progress = line(5, shipped=5, returned=2)
    assert progress.open == 0 and progress.backordered == 0


def test_a_new_order_is_open_until_allocation_is_attempted():
    assert status(line(3), allocated=False) is OrderStatus.OPEN


def test_an_allocated_order_with_everything_reserved_is_allocated():
    assert status(line(3, reserved=3), line(1, reserved=1)) is OrderStatus.ALLOCATED


def test_an_allocated_order_short_on_any_line_is_backordered():
    assert status(line(3, reserved=3), line(2, reserved=1)) is OrderStatus.BACKORDERED
    assert status(line(3)) is OrderStatus.BACKORDERED


def test_shipping_part_makes_it_partially_shipped_whatever_is_reserved():
    assert status(line(3, reserved=2, shipped=1)) is OrderStatus.PARTIALLY_SHIPPED
    assert status(line(3, shipped=1)) is OrderStatus.PARTIALLY_SHIPPED
    assert status(line(3, shipped=3), line(2)) is OrderStatus.PARTIALLY_SHIPPED


def test_shipping_every_line_in_full_makes_it_shipped():
    assert status(line(3, shipped=3), line(2, shipped=2, returned=2)) is OrderStatus.SHIPPED


def test_cancelled_wins_over_everything_even_after_partial_shipment():
    assert status(line(3, reserved=3), cancelled=True) is OrderStatus.CANCELLED
    assert status(line(3, shipped=1), cancelled=True) is OrderStatus.CANCELLED


def test_the_whole_life_of_an_order_follows_the_documented_transitions():
    # open -> backordered -> allocated -> partially_shipped -> shipped
    life = [
        (line(4), False, OrderStatus.OPEN),
        (line(4, reserved=1), True, OrderStatus.BACKORDERED),
        (line(4, reserved=4), True, OrderStatus.ALLOCATED),
        (line(4, reserved=2, shipped=2), True, OrderStatus.PARTIALLY_SHIPPED),
        (line(4, shipped=4), True, OrderStatus.SHIPPED),
    ]
    for progress, allocated, expected in life:
        assert status(progress, allocated=allocated) is expected


def test_an_order_without_lines_is_not_shipped():
    assert order_status([], cancelled=False, allocated=False) is OrderStatus.OPEN


def test_only_orders_that_shipped_nothing_can_be_edited():
    for editable in (OrderStatus.OPEN, OrderStatus.BACKORDERED, OrderStatus.ALLOCATED):
        require_editable(editable, "SO-1")
    for frozen in (OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.CANCELLED):
        with pytest.raises(Conflict, match="SO-1 is"):
            require_editable(frozen, "SO-1")


def test_shipped_and_cancelled_orders_are_no_longer_active():
    for active in (OrderStatus.OPEN, OrderStatus.BACKORDERED, OrderStatus.ALLOCATED, OrderStatus.PARTIALLY_SHIPPED):
        require_active(active, "SO-1")
    for done in (OrderStatus.SHIPPED, OrderStatus.CANCELLED):
        with pytest.raises(Conflict, match=f"SO-1 is {done.value}"):
            require_active(done, "SO-1")


def test_channels_are_lowercase_names():
    assert validate_channel(" Shopify ") == "shopify"
    for bad in ("", "-x", "has space", "x" * 33):
        with pytest.raises(InvalidInput) as error:
            validate_channel(bad)
        assert error.value.field == "channel"


def test_currencies_are_iso_codes():
    assert validate_currency("eur") == "EUR"
    with pytest.raises(InvalidInput):
        validate_currency("EURO")


def test_unit_prices_are_non_negative_with_at_most_six_decimals():
    assert validate_unit_price(Decimal("1.234567"), "p") == Decimal("1.234567")
    with pytest.raises(InvalidInput, match="negative"):
        validate_unit_price(Decimal("-1"), "p")
    with pytest.raises(InvalidInput, match="decimals"):
        validate_unit_price(Decimal("0.0000001"), "p")


def test_a_missing_ship_date_means_today():
    assert validate_ship_date(None, date(2026, 3, 2)) == date(2026, 3, 2)
    assert validate_ship_date(date(2026, 4, 1), date(2026, 3, 2)) == date(2026, 4, 1)


# --- bundles sold on an order -------------------------------------------------------


def test_a_bundle_counts_as_shipped_only_when_every_component_is():
    from onhand.domain.orders.sales_orders import kit_progress

    d = Decimal
    mug = (d(1), LineProgress(d(3), reserved=d(1), picked=d(1), shipped=d(2)))
    tea = (d(2), LineProgress(d(6), reserved=d(4), picked=d(0), shipped=d(2)))
    bundle = kit_progress(d(3), [mug, tea])
    assert (bundle.shipped, bundle.reserved, bundle.picked, bundle.open) == (1, 1, 0, 2)
    assert kit_progress(d(2), []).reserved == 0
    halves = kit_progress(d(2), [(d(2), LineProgress(d(4), reserved=d(3), picked=d(0), shipped=d(0)))], 1)
    assert halves.reserved == d("1.5")
