import pytest

from onhand.domain.catalog.locations import (
    Location,
    LocationKind,
    effective_sellable,
    parse_location_kind,
    site_of,
    validate_parent,
)
from onhand.domain.errors import InvalidInput

NY = Location(10, "NY", "New York", LocationKind.WAREHOUSE, path=(10,))
AISLE = Location(11, "NY-A", "Aisle A", LocationKind.BIN, parent_id=10, path=(10, 11))
BIN = Location(12, "NY-A-01", "Bin A-01", LocationKind.BIN, parent_id=11, path=(10, 11, 12))
SHIP = Location(20, "OCEAN-1", "Container", LocationKind.TRANSIT, path=(20,), sellable=False)
QUARANTINE = Location(30, "QC", "Quarantine", LocationKind.WAREHOUSE, path=(30,), sellable=False)
QC_BIN = Location(31, "QC-1", "QC shelf", LocationKind.BIN, parent_id=30, path=(30, 31))
ALL = {loc.id: loc for loc in (NY, AISLE, BIN, SHIP, QUARANTINE, QC_BIN)}


def test_bins_roll_up_to_their_site():
    assert site_of(BIN, ALL) == NY
    assert BIN.is_within(NY) and BIN.is_within(AISLE) and not NY.is_within(BIN)


def test_a_bin_inside_a_non_sellable_place_is_not_sellable():
    assert effective_sellable(BIN, ALL)
    assert not effective_sellable(QC_BIN, ALL)


def test_transit_is_never_sellable():
    assert not effective_sellable(SHIP, ALL)


def test_a_bin_needs_a_container_and_a_site_needs_no_parent():
    validate_parent(LocationKind.BIN, NY)
    with pytest.raises(InvalidInput, match="needs a parent"):
        validate_parent(LocationKind.BIN, None)
    with pytest.raises(InvalidInput, match="cannot be inside"):
        validate_parent(LocationKind.BIN, SHIP)
    with pytest.raises(InvalidInput, match="only bins"):
        validate_parent(LocationKind.STORE, NY)


def test_virtual_kinds_cannot_be_created_by_users():
    with pytest.raises(InvalidInput, match="kind"):
        parse_location_kind("customer")
    assert parse_location_kind("3PL") is LocationKind.THREE_PL
