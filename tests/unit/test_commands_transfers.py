"""Transfer commands: frozen records of typed fields, their canonical form, the
fingerprint made of it (the same as the request dicts they replace), and text read at
the edge with errors naming the field."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest

from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import InvalidInput
from onhand.domain.transfers.commands import (
    CreateTransfer,
    NewTransferLine,
    ReceiveTransfer,
    SetTransferRoute,
    ShipTransfer,
    TransferAction,
    TransferMoveLine,
    WriteOffTransit,
    parse_transfer_line,
    parse_transfer_move_line,
)
from onhand.domain.transfers.transfer_orders import LOST_IN_TRANSIT


def a_transfer(**changes) -> CreateTransfer:
    fields = {
        "source": "NY", "destination": "LA", "lines": [NewTransferLine("MUG", D("50"), lot="L1")],
        "transit": "OCEAN-1", "reference": "TO-1", "expected_date": date(2026, 4, 1), "carrier": "Maersk",
    }
    return CreateTransfer(**(fields | changes))


def test_a_transfer_command_is_frozen_and_keeps_its_lines_as_a_tuple():
    made = a_transfer()
    assert isinstance(made.lines, tuple)
    assert ShipTransfer("TO-1").lines is None
    assert isinstance(ReceiveTransfer("TO-1", [TransferMoveLine(1, D(3))]).lines, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.source = "LA"  # type: ignore[misc]
    assert WriteOffTransit("TO-1").reason == LOST_IN_TRANSIT


def test_the_canonical_form_of_a_transfer_has_decimals_and_dates_as_text():
    assert canonical(a_transfer()) == {
        "source": "NY", "destination": "LA", "lines": [{"sku": "MUG", "quantity": "50", "lot": "L1"}],
        "transit": "OCEAN-1", "reference": "TO-1", "expected_date": "2026-04-01", "carrier": "Maersk",
        "tracking_number": None, "note": None,
    }


@pytest.mark.parametrize("change", [
    {"source": "SF"}, {"transit": None}, {"expected_date": date(2026, 4, 2)},
    {"lines": [NewTransferLine("MUG", D("51"), lot="L1")]}, {"lines": [NewTransferLine("MUG", D("50"))]},
])
def test_a_changed_field_of_a_transfer_gives_a_different_fingerprint(change):
    assert fingerprint("create_transfer", a_transfer(**change)) != fingerprint("create_transfer", a_transfer())
    assert fingerprint("create_transfer", a_transfer()) == fingerprint("create_transfer", a_transfer())


def test_the_transfer_fingerprints_are_those_of_the_request_dicts_they_replace():
    assert fingerprint("create_transfer", a_transfer()) == fingerprint("create_transfer", {
        "source": "NY", "destination": "LA", "transit": "OCEAN-1", "reference": "TO-1",
        "expected_date": date(2026, 4, 1), "carrier": "Maersk", "tracking_number": None, "note": None,
        "lines": [{"sku": "MUG", "quantity": D("50"), "lot": "L1"}],
    })
    lines = [TransferMoveLine(1, D("3"), lot="L1")]
    as_dicts = [{"line_no": 1, "quantity": D("3"), "lot": "L1", "location": None}]
    assert fingerprint("ship_transfer", ShipTransfer("TO-1", lines)) == fingerprint(
        "ship_transfer", {"reference": "TO-1", "lines": as_dicts})
    assert fingerprint("receive_transfer", ReceiveTransfer("TO-1", location="LA-A1")) == fingerprint(
        "receive_transfer", {"reference": "TO-1", "lines": None, "location": "LA-A1"})
    assert fingerprint("write_off_transit", WriteOffTransit("TO-1", lines, note="sank")) == fingerprint(
        "write_off_transit", {"reference": "TO-1", "lines": as_dicts, "reason": LOST_IN_TRANSIT, "note": "sank"})
    assert fingerprint("set_transfer_route", SetTransferRoute("NY", "LA", "OCEAN-1", 21)) == fingerprint(
        "set_transfer_route", {"source": "NY", "destination": "LA", "transit": "OCEAN-1", "lead_time_days": 21})
    assert fingerprint("close_transfer", TransferAction("TO-1")) != fingerprint("cancel_transfer",
        TransferAction("TO-1"))


def test_transfer_lines_are_read_from_text_once_naming_the_field():
    assert parse_transfer_line("lines[0]", sku="MUG", quantity="2.5") == NewTransferLine("MUG", D("2.5"))
    assert parse_transfer_move_line("lines[1]", line_no=2, quantity=3, location="LA-A1") == TransferMoveLine(
        2, D(3), location="LA-A1")
    with pytest.raises(InvalidInput) as error:
        parse_transfer_line("lines[4]", sku="MUG", quantity="5 boxes")
    assert error.value.field == "lines[4].quantity"
    with pytest.raises(InvalidInput) as error:
        parse_transfer_move_line("lines[1]", line_no=1, quantity=0.5)
    assert error.value.field == "lines[1].quantity"
