"""Catalog commands: items, units, locations, lots and company settings as frozen records,
their canonical form and fingerprint, and the edge's decimals naming their field."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest

from onhand.domain.catalog.commands import (
    CreateItem,
    CreateLocation,
    CreateLot,
    CreateUnit,
    SetLocationRouting,
    SetLotStatus,
    UpdateCompany,
    UpdateItem,
    UpdateLocation,
    given_decimal,
)
from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import InvalidInput


def test_a_catalog_command_is_frozen_and_so_is_its_address():
    address = {"city": "Brooklyn", "country": "US"}
    command = CreateLocation("NY", "New York", "warehouse", address=address)
    address["city"] = "Queens"  # the caller's dict changing later changes nothing
    assert command.address["city"] == "Brooklyn"
    with pytest.raises(TypeError):
        command.address["city"] = "Queens"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.code = "LA"  # type: ignore[misc]


def test_the_canonical_form_has_decimals_and_dates_as_text():
    assert canonical(CreateItem("TEA", "Green tea", weight_kg=D("0.250"))) == {
        "sku": "TEA", "name": "Green tea", "unit": "each", "tracking": "none", "gtin": None,
        "shelf_life_days": None, "kind": "stocked", "weight_kg": "0.250", "category": None,
    }
    assert canonical(CreateLot("TEA", "L1", expiry_date=date(2027, 1, 31))) == {
        "sku": "TEA", "code": "L1", "expiry_date": "2027-01-31", "production_date": None}
    assert canonical(UpdateLocation("NY", address={"city": "Brooklyn"}))["address"] == {"city": "Brooklyn"}


def test_the_fingerprint_is_the_one_of_the_request_dict_it_replaces():
    """Where the services' dicts named every field, a key given before an upgrade still matches."""
    assert fingerprint("create_unit", CreateUnit("box", "Box", 0)) == fingerprint(
        "create_unit", {"code": "box", "name": "Box", "decimals": 0})
    assert fingerprint("set_lot_status", SetLotStatus("TEA", "L1", "quarantined")) == fingerprint(
        "set_lot_status", {"sku": "TEA", "code": "L1", "status": "quarantined"})
    address = {"city": "Brooklyn", "country": "US"}
    before = {"code": "NY", "name": "New York", "kind": "warehouse", "parent": None, "sellable": True,
              "allow_negative": False, "address": address}
    assert fingerprint("create_location", CreateLocation("NY", "New York", "warehouse", address=address)) == (
        fingerprint("create_location", before))
    update = {"sku": "TEA", "name": "Tea", "gtin": None, "shelf_life_days": 90,
              "min_remaining_shelf_life_days": None, "weight_kg": D("1.5"), "category": "drinks"}
    assert fingerprint("update_item", UpdateItem("TEA", name="Tea", shelf_life_days=90, weight_kg=D("1.5"),
                                                 category="drinks")) == fingerprint("update_item", update)


@pytest.mark.parametrize(("command", "changed"), [
    (CreateItem("TEA", "Tea"), CreateItem("TEA", "Tea", tracking="lot")),
    (UpdateItem("TEA", weight_kg=D("1.5")), UpdateItem("TEA", weight_kg=D("1.50"))),
    (SetLocationRouting("NY", priority=1), SetLocationRouting("NY", priority=1, clear_walk_order=True)),
    (UpdateLocation("NY", address={"city": "A"}), UpdateLocation("NY", address={"city": "B"})),
    (UpdateCompany(over_receipt_tolerance_pct=D(5)), UpdateCompany(over_receipt_tolerance_pct=D(6))),
    (CreateLot("TEA", "L1"), CreateLot("TEA", "L1", production_date=date(2026, 1, 1))),
])
def test_a_changed_field_gives_a_different_fingerprint(command, changed):
    action = type(command).__name__
    assert fingerprint(action, command) == fingerprint(action, dataclasses.replace(command))
    assert fingerprint(action, command) != fingerprint(action, changed)


def test_a_given_decimal_is_read_once_naming_its_field():
    assert given_decimal("0.250", "weight_kg") == D("0.250")
    assert given_decimal(3, "weight_kg") == D(3)
    assert given_decimal(None, "weight_kg") is None
    for bad in ["", "heavy", 1.5]:
        with pytest.raises(InvalidInput) as error:
            given_decimal(bad, "over_receipt_tolerance_pct")
        assert error.value.field == "over_receipt_tolerance_pct"
