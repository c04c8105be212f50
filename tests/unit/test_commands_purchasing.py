"""Purchasing commands: frozen records of typed fields, their canonical form, the
fingerprint made of it (the same as the request dicts they replace), and text read at
the edge with errors naming the field."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal as D

import pytest

from onhand.domain.calendar import read_moment
from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import InvalidInput
from onhand.domain.purchasing.commands import (
    AddLandedCosts,
    CreatePurchaseOrder,
    CreateSupplier,
    NewLandedCost,
    NewPurchaseLine,
    PurchaseOrderAction,
    ReceiptLine,
    ReceivePurchaseOrder,
    ReturnToSupplier,
    SupplierReturnLine,
    parse_landed_cost,
    parse_purchase_line,
    parse_receipt_line,
    parse_supplier_return_line,
    parse_tolerance,
)


def an_order(**changes) -> CreatePurchaseOrder:
    fields = {
        "supplier": "ACME", "lines": [NewPurchaseLine("TEA", D("10"), D("2.50"))], "destination": "NY",
        "reference": "PO-1", "supplier_reference": "A-77", "currency": "EUR", "expected_date": date(2026, 4, 1),
        "note": "rush",
    }
    return CreatePurchaseOrder(**(fields | changes))


def a_receipt(**changes) -> ReceivePurchaseOrder:
    fields = {
        "reference": "PO-1", "lines": [ReceiptLine(1, D("4"), lot="L1", serials=["S1"])], "location": "NY-A1",
        "exchange_rate": D("1.1"), "landed_costs": [NewLandedCost("freight", D("12.00"))],
        "effective_at": datetime(2026, 3, 1, 17, 0),
    }
    return ReceivePurchaseOrder(**(fields | changes))


def test_a_purchasing_command_is_frozen_and_keeps_its_lines_as_tuples():
    receipt = a_receipt()
    assert isinstance(receipt.lines, tuple) and isinstance(receipt.landed_costs, tuple)
    assert receipt.lines[0].serials == ("S1",)
    assert isinstance(an_order().lines, tuple)
    assert isinstance(AddLandedCosts("GRN-1", [NewLandedCost("duty", D(3))]).costs, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        receipt.reference = "PO-2"  # type: ignore[misc]
    assert hash(PurchaseOrderAction("PO-1")) == hash(PurchaseOrderAction("PO-1"))


def test_the_canonical_form_of_a_receipt_has_decimals_dates_and_moments_as_text():
    assert canonical(a_receipt()) == {
        "reference": "PO-1",
        "lines": [{"line_no": 1, "quantity": "4", "lot": "L1", "expiry_date": None, "production_date": None,
                   "serials": ["S1"], "location": None, "barcode": None, "unit_cost": None}],
        "location": "NY-A1", "exchange_rate": "1.1", "delivery_reference": None, "receipt_reference": None,
        "landed_costs": [{"kind": "freight", "amount": "12.00", "currency": None, "exchange_rate": None,
                          "method": "value", "reference": None}],
        "effective_at": "2026-03-01 17:00:00",
    }


@pytest.mark.parametrize("change", [
    {"supplier": "BEANS"},
    {"destination": "LA"},
    {"lines": [NewPurchaseLine("TEA", D("10"), D("2.51"))]},
    {"lines": [NewPurchaseLine("TEA", D("10"))]},
    {"expected_date": date(2026, 4, 2)},
    {"note": None},
])
def test_a_changed_field_of_a_purchase_order_gives_a_different_fingerprint(change):
    assert fingerprint("create_purchase_order", an_order(**change)) != fingerprint("create_purchase_order", an_order())
    assert fingerprint("create_purchase_order", an_order()) == fingerprint("create_purchase_order", an_order())


def test_place_close_and_cancel_of_the_same_order_have_different_fingerprints():
    prints = {fingerprint(f"{action}_purchase_order", PurchaseOrderAction("PO-1"))
              for action in ("place", "close", "cancel")}
    assert len(prints) == 3


def test_the_fingerprints_are_those_of_the_request_dicts_they_replace():
    """A key given before the change still matches the same request after it."""
    order = an_order()
    before = {
        "supplier": "ACME", "lines": [{"sku": "TEA", "quantity": D("10"), "unit_cost": D("2.50")}],
        "destination": "NY", "reference": "PO-1", "supplier_reference": "A-77", "currency": "EUR",
        "expected_date": date(2026, 4, 1), "note": "rush",
    }
    assert fingerprint("create_purchase_order", order) == fingerprint("create_purchase_order", before)
    assert fingerprint("place_purchase_order", PurchaseOrderAction("PO-1")) == fingerprint(
        "place_purchase_order", {"reference": "PO-1"})
    back = ReturnToSupplier("PO-1", [SupplierReturnLine(2, D("1.5"), lot="L1")], authorisation="RMA-9")
    assert fingerprint("return_to_supplier", back) == fingerprint("return_to_supplier", {
        "reference": "PO-1", "lines": [{"line_no": 2, "quantity": D("1.5"), "lot": "L1", "location": None}],
        "authorisation": "RMA-9", "note": None, "return_reference": None,
    })
    supplier = CreateSupplier("ACME", "Acme", lead_time_days=7, over_receipt_tolerance_pct=D("5"))
    assert fingerprint("create_supplier", supplier) == fingerprint("create_supplier", {
        "code": "ACME", "name": "Acme", "lead_time_days": 7, "email": None, "phone": None,
        "over_receipt_tolerance_pct": D("5"), "currency": None,
    })


def test_purchasing_lines_are_read_from_text_once_naming_the_field():
    assert parse_purchase_line("lines[0]", sku="TEA", quantity="10", unit_cost="2.50") == NewPurchaseLine(
        "TEA", D("10"), D("2.50"))
    assert parse_purchase_line("lines[0]", sku="TEA", quantity=3).unit_cost is None
    with pytest.raises(InvalidInput) as error:
        parse_purchase_line("lines[2]", sku="TEA", quantity="ten")
    assert error.value.field == "lines[2].quantity"
    with pytest.raises(InvalidInput) as error:
        parse_purchase_line("lines[1]", sku="TEA", quantity="1", unit_cost="")  # given, so it must be a number
    assert error.value.field == "lines[1].unit_cost"
    line = parse_receipt_line("lines[0]", line_no=1, quantity="4", expiry_date="2027-01-31", serials=["S1"])
    assert line == ReceiptLine(1, D(4), expiry_date=date(2027, 1, 31), serials=("S1",))
    with pytest.raises(InvalidInput) as error:
        parse_receipt_line("lines[3]", line_no=1, production_date="31/01/2027")
    assert error.value.field == "lines[3].production_date"
    with pytest.raises(InvalidInput) as error:
        parse_landed_cost("landed_costs[1]", kind="duty", amount="3", exchange_rate="1,1")
    assert error.value.field == "landed_costs[1].exchange_rate"
    with pytest.raises(InvalidInput) as error:
        parse_supplier_return_line("lines[0]", line_no=1, quantity=1.5)
    assert error.value.field == "lines[0].quantity"


def test_a_blank_tolerance_clears_the_override_and_a_number_is_read_exactly():
    assert parse_tolerance("") == ""
    assert parse_tolerance(None) is None
    assert parse_tolerance("2.5") == D("2.5")
    with pytest.raises(InvalidInput) as error:
        parse_tolerance("lots")
    assert error.value.field == "over_receipt_tolerance_pct"


def test_a_moment_is_read_at_the_edge_without_the_company_time_zone():
    assert read_moment("2026-03-01T17:00:00", "effective_at") == datetime(2026, 3, 1, 17, 0)
    assert read_moment("2026-03-01", "effective_at") == date(2026, 3, 1)
    assert read_moment("2026-03-01T17:00:00Z", "effective_at").utcoffset().total_seconds() == 0
    assert read_moment("  ", "effective_at") is None
    with pytest.raises(InvalidInput) as error:
        read_moment("yesterday", "effective_at")
    assert error.value.field == "effective_at"
