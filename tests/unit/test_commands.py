"""Commands: frozen records of a write's typed fields, their canonical form, and the
idempotency fingerprint made of it."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest

from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.commands import (
    Address,
    CreateOrder,
    NewOrderLine,
    OrderAction,
    ShipLineFrom,
    UpdateOrder,
    parse_order_line,
)


def an_order(**changes) -> CreateOrder:
    fields = {
        "lines": [NewOrderLine("TEA", D("2.5"), unit_price=D("9.95"), lot="L1")],
        "reference": "SO-1", "channel": "shop", "external_id": "1001", "customer": "Ada",
        "customer_email": None, "customer_external_id": None,
        "ship_to": Address(name="Ada", country="US", latitude=40.7), "currency": "EUR",
        "exchange_rate": D("1.25"), "requested_ship_date": date(2026, 3, 2),
    }
    return CreateOrder(**(fields | changes))


def test_a_command_is_frozen_and_keeps_its_lines_as_a_tuple():
    command = an_order()
    assert isinstance(command.lines, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.reference = "SO-2"  # type: ignore[misc]
    assert hash(OrderAction("SO-1")) == hash(OrderAction("SO-1"))


def test_the_canonical_form_has_decimals_and_dates_as_text_and_lines_as_lists():
    assert canonical(an_order()) == {
        "lines": [{"sku": "TEA", "quantity": "2.5", "unit_price": "9.95", "lot": "L1", "location": None}],
        "reference": "SO-1", "channel": "shop", "external_id": "1001", "customer": "Ada",
        "customer_email": None, "customer_external_id": None,
        "ship_to": {"name": "Ada", "line1": None, "line2": None, "city": None, "region": None, "postcode": None,
                    "country": "US", "latitude": 40.7, "longitude": None},
        "currency": "EUR", "exchange_rate": "1.25", "requested_ship_date": "2026-03-02",
    }
    assert canonical(UpdateOrder("SO-1"))["lines"] is None
    assert canonical(ShipLineFrom("SO-1", line_no=2, location="NY")) == {"reference": "SO-1", "line_no": 2,
                                                                       "location": "NY"}


def test_the_same_command_gives_the_same_fingerprint():
    assert fingerprint("create_order", an_order()) == fingerprint("create_order", an_order())
    # built from a list or a tuple of lines alike
    assert fingerprint("create_order", an_order(lines=tuple(an_order().lines))) == fingerprint(
        "create_order", an_order())


@pytest.mark.parametrize("change", [
    {"reference": "SO-2"},
    {"exchange_rate": D("1.26")},
    {"requested_ship_date": date(2026, 3, 3)},
    {"lines": [NewOrderLine("TEA", D("2.6"), unit_price=D("9.95"), lot="L1")]},
    {"ship_to": Address(name="Ada", country="GB", latitude=40.7)},
    {"customer": None},
])
def test_a_changed_field_gives_a_different_fingerprint(change):
    assert fingerprint("create_order", an_order(**change)) != fingerprint("create_order", an_order())


def test_the_same_fields_under_another_action_give_another_fingerprint():
    assert fingerprint("allocate_order", OrderAction("SO-1")) != fingerprint("cancel_order", OrderAction("SO-1"))


def test_the_fingerprint_is_the_one_of_the_request_dict_it_replaces():
    """A key given before an upgrade still matches the same request after it: the command's
    fingerprint equals the one made of the dict the service built by hand before."""
    command = an_order()
    line = command.lines[0]
    before = {
        "lines": [{"sku": "TEA", "quantity": line.quantity, "unit_price": line.unit_price, "lot": "L1",
                   "location": None}],
        "reference": "SO-1", "channel": "shop", "external_id": "1001", "customer": "Ada",
        "customer_email": None, "customer_external_id": None,
        "ship_to": dataclasses.asdict(command.ship_to), "currency": "EUR", "exchange_rate": "1.25",
        "requested_ship_date": date(2026, 3, 2),
    }
    assert fingerprint("create_order", command) == fingerprint("create_order", before)
    assert fingerprint("allocate_order", OrderAction("SO-1")) == fingerprint("allocate_order", {"reference": "SO-1"})
    assert fingerprint("ship_line_from", ShipLineFrom("SO-1", line_no=2, location="NY")) == fingerprint(
        "ship_line_from", {"reference": "SO-1", "line_no": 2, "location": "NY"})


def test_an_order_line_is_read_from_text_once_naming_the_field():
    line = parse_order_line("lines[3]", sku="TEA", quantity="2.50", unit_price=4)
    assert line == NewOrderLine("TEA", D("2.50"), unit_price=D(4))
    with pytest.raises(InvalidInput) as error:
        parse_order_line("lines[3]", sku="TEA", quantity="two")
    assert error.value.field == "lines[3].quantity"
    with pytest.raises(InvalidInput) as error:
        parse_order_line("lines[0]", sku="TEA", quantity="1", unit_price=1.5)
    assert error.value.field == "lines[0].unit_price"
