"""Fulfilment commands (pick, pack, ship, customer return): frozen records of typed
fields, their canonical form, the fingerprint made of it, and text read at the edge
with errors naming the field."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.commands import (
    ConfirmPick,
    PackageSpec,
    PackOrder,
    PickConfirmation,
    ReceiveReturn,
    ReturnLine,
    ShipLine,
    ShipOrder,
    parse_customer_return_line,
    parse_package,
    parse_pick,
    parse_ship_line,
)


def test_fulfilment_commands_are_frozen_and_keep_their_lines_as_tuples():
    packed = PackOrder("SO-1", [PackageSpec(contents=[[1, D(2)]], dimensions_cm=[D(30), D(20), D(10)])])
    assert isinstance(packed.packages, tuple)
    assert packed.packages[0].contents == ((1, D(2)),)
    assert packed.packages[0].dimensions_cm == (D(30), D(20), D(10))
    assert ShipOrder("SO-1").lines is None
    assert isinstance(ConfirmPick("SO-1", [PickConfirmation("TEA", "NY", D(1))]).picks, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        packed.reference = "SO-2"  # type: ignore[misc]
    assert hash(packed) == hash(PackOrder("SO-1", [PackageSpec(contents=[(1, D(2))], dimensions_cm=(D(30), D(20),
                                                                                                      D(10)))]))


def test_the_canonical_form_of_a_package_has_decimals_as_text_and_pairs_as_lists():
    command = PackOrder("SO-1", [PackageSpec(contents=[(1, D("2.5"))], carrier="UPS", weight_kg=D("1.2"))])
    assert canonical(command) == {"reference": "SO-1", "packages": [
        {"contents": [[1, "2.5"]], "carrier": "UPS", "tracking_number": None, "weight_kg": "1.2",
         "dimensions_cm": []},
    ]}


def test_the_fulfilment_fingerprints_are_those_of_the_request_dicts_they_replace():
    picks = [PickConfirmation("TEA", "NY", D("2"), lot="L1")]
    assert fingerprint("confirm_pick", ConfirmPick("SO-1", picks)) == fingerprint("confirm_pick", {
        "reference": "SO-1", "picks": [{"sku": "TEA", "location": "NY", "quantity": D(2), "lot": "L1",
                                        "barcode": None}]})
    assert fingerprint("ship_order", ShipOrder("SO-1", [ShipLine(1, D("3"))])) == fingerprint(
        "ship_order", {"reference": "SO-1", "lines": [{"line_no": 1, "quantity": D(3)}]})
    named = ShipOrder("SO-1", [ShipLine(1, D("3"), serials=("SN1",))])
    assert fingerprint("ship_order", named) == fingerprint(
        "ship_order", {"reference": "SO-1", "lines": [{"line_no": 1, "quantity": D(3), "serials": ["SN1"]}]})
    assert fingerprint("ship_order", ShipOrder("SO-1")) == fingerprint(
        "ship_order", {"reference": "SO-1", "lines": None})
    back = ReceiveReturn("SO-1", "NY", [ReturnLine(1, D(1), refund_unit_price=D("8.50"))], return_reference="RMA-1")
    assert fingerprint("receive_return", back) == fingerprint("receive_return", {
        "reference": "SO-1", "location": "NY", "return_reference": "RMA-1",
        "lines": [{"line_no": 1, "quantity": D(1), "reason": "customer_return", "condition": "new", "lot": None,
                   "refund_unit_price": D("8.50")}]})


@pytest.mark.parametrize("change", [
    {"lines": [ShipLine(1, D("3.1"))]}, {"lines": [ShipLine(2, D("3"))]}, {"lines": None}, {"reference": "SO-2"},
])
def test_a_changed_shipment_gives_a_different_fingerprint(change):
    base = {"reference": "SO-1", "lines": [ShipLine(1, D("3"))]}
    assert fingerprint("ship_order", ShipOrder(**(base | change))) != fingerprint("ship_order", ShipOrder(**base))


def test_fulfilment_input_is_read_from_text_once_naming_the_field():
    assert parse_pick("picks[0]", location="NY", sku="TEA", quantity="2").quantity == D(2)
    assert parse_pick("picks[0]", location="NY", barcode="0950600013435").quantity is None
    assert parse_ship_line("lines[1]", line_no=2, quantity="1.5") == ShipLine(2, D("1.5"))
    with pytest.raises(InvalidInput) as error:
        parse_pick("picks[2]", location="NY", sku="TEA", quantity="two")
    assert error.value.field == "picks[2].quantity"
    with pytest.raises(InvalidInput) as error:
        parse_package("packages[0]", contents=[(1, "1"), (2, "x")])
    assert error.value.field == "packages[0].contents[1].quantity"
    with pytest.raises(InvalidInput) as error:
        parse_package("packages[1]", contents=[(1, "1")], weight_kg="heavy")
    assert error.value.field == "packages[1].weight_kg"
    with pytest.raises(InvalidInput) as error:
        parse_customer_return_line("lines[0]", line_no=1, quantity="1", refund_unit_price=8.5)
    assert error.value.field == "lines[0].refund_unit_price"
