"""The transfer domain: a line's quantities, the status they imply, and valid routes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.transfers.transfer_orders import (
    LineProgress,
    TransferStatus,
    check_within,
    transfer_status,
    validate_route,
)

D = Decimal
NY = Location(1, "NY", "New York", LocationKind.WAREHOUSE, path=(1,))
NY_A = Location(2, "NY-A", "Aisle A", LocationKind.BIN, parent_id=1, path=(1, 2))
LA = Location(3, "LA", "Los Angeles", LocationKind.STORE, path=(3,))
SEA = Location(4, "OCEAN-1", "Container", LocationKind.TRANSIT, path=(4,), sellable=False)


def status(*lines: LineProgress, cancelled: bool = False, closed: bool = False) -> TransferStatus:
    return transfer_status(lines, cancelled=cancelled, closed=closed)


def test_in_transit_is_shipped_less_received_and_written_off():
    line = LineProgress(D(10), shipped=D(8), received=D(5), written_off=D(1))
    assert (line.in_transit, line.to_ship) == (2, 2)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([LineProgress(D(5))], TransferStatus.DRAFT),
        ([LineProgress(D(5), D(2))], TransferStatus.IN_TRANSIT),
        ([LineProgress(D(5), D(5), D(1))], TransferStatus.PARTIALLY_RECEIVED),
        ([LineProgress(D(5), D(2), D(2))], TransferStatus.PARTIALLY_RECEIVED),  # more to ship
        ([LineProgress(D(5), D(5), D(5)), LineProgress(D(1), D(1), D(1))], TransferStatus.RECEIVED),
        ([LineProgress(D(5), D(5), D(4), D(1))], TransferStatus.CLOSED),  # short, nothing left to happen
    ],
)
def test_the_status_follows_from_the_lines(lines, expected):
    assert status(*lines) is expected


def test_cancelled_and_closed_are_decisions_that_win():
    assert status(LineProgress(D(5)), cancelled=True) is TransferStatus.CANCELLED
    assert status(LineProgress(D(5), D(2), D(2)), closed=True) is TransferStatus.CLOSED


def test_a_route_needs_two_different_sites_and_a_transit_location():
    validate_route(NY, LA, SEA)
    for source, destination, transit, field in (
        (NY, NY_A, SEA, "destination"),
        (NY, NY, SEA, "destination"),
        (NY, SEA, SEA, "destination"),
        (SEA, LA, SEA, "source"),
        (NY, LA, LA, "transit"),
    ):
        with pytest.raises(InvalidInput) as refused:
            validate_route(source, destination, transit)
        assert refused.value.field == field


def test_taking_more_than_is_left_is_a_conflict_naming_the_field():
    check_within("lines[0].quantity", D(2), D(2), "in transit")
    with pytest.raises(Conflict, match=r"^lines\[0\]\.quantity: 3 is more than the 2 in transit$"):
        check_within("lines[0].quantity", D(3), D(2), "in transit")
