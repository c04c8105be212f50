"""Transfer orders: stock sent between internal locations through a transit location.

A transfer ships `source → transit` and receives `transit → destination`, each as many
times as needed. A line's quantities at any moment:

    ordered ≥ shipped = received + written off + in transit

What is in transit is on hand at the transit location (owned, insured, counted) but not
available anywhere; it is shown as `in_transit` for the destination. What will never
arrive is written off (`transit → adjustment`), never received.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.errors import Conflict, InvalidInput

ZERO = Decimal(0)
# The reason a write-off of goods that never arrived is given unless the user names one.
LOST_IN_TRANSIT = "lost_in_transit"


class TransferStatus(StrEnum):
    DRAFT = "draft"  # nothing shipped yet; editable
    IN_TRANSIT = "in_transit"  # shipped (some or all), nothing arrived yet
    PARTIALLY_RECEIVED = "partially_received"  # some arrived; more in transit or to ship
    RECEIVED = "received"  # every line arrived in full
    CLOSED = "closed"  # finished short: the rest was written off or will not be sent
    CANCELLED = "cancelled"  # cancelled before anything shipped


SHIPPABLE = frozenset({TransferStatus.DRAFT, TransferStatus.IN_TRANSIT, TransferStatus.PARTIALLY_RECEIVED})
# States in which stock of the transfer may be in transit.
UNDER_WAY = frozenset({TransferStatus.IN_TRANSIT, TransferStatus.PARTIALLY_RECEIVED})


@dataclass(frozen=True)
class LineProgress:
    ordered: Decimal
    shipped: Decimal = ZERO
    received: Decimal = ZERO
    written_off: Decimal = ZERO

    @property
    def in_transit(self) -> Decimal:
        return self.shipped - self.received - self.written_off

    @property
    def to_ship(self) -> Decimal:
        return max(self.ordered - self.shipped, ZERO)


def transfer_status(lines: Iterable[LineProgress], *, cancelled: bool, closed: bool) -> TransferStatus:
    """The status a transfer's facts imply (never a counter kept by hand)."""
    lines = list(lines)
    if cancelled:
        return TransferStatus.CANCELLED
    if lines and all(line.received >= line.ordered for line in lines):
        return TransferStatus.RECEIVED
    in_transit = any(line.in_transit > 0 for line in lines)
    settled = not in_transit and all(line.to_ship == 0 for line in lines)
    if closed or (settled and any(line.shipped > 0 for line in lines)):
        # Everything sent is accounted for, some of it written off: nothing more will happen.
        return TransferStatus.CLOSED
    if any(line.received > 0 or line.written_off > 0 for line in lines):
        return TransferStatus.PARTIALLY_RECEIVED
    if any(line.shipped > 0 for line in lines):
        return TransferStatus.IN_TRANSIT
    return TransferStatus.DRAFT


def validate_route(source: Location, destination: Location, transit: Location) -> None:
    """Goods travel between two different sites, through a location of kind transit."""
    for place, field in ((source, "source"), (destination, "destination")):
        if not place.is_internal or place.kind is LocationKind.TRANSIT:
            raise InvalidInput(field, f"{place.code!r} must be a warehouse, store, 3PL or bin (not {place.kind.value})")
    if transit.kind is not LocationKind.TRANSIT:
        raise InvalidInput("transit", f"{transit.code!r} is a {transit.kind.value}, not a transit location")
    if source.id == destination.id:
        raise InvalidInput("destination", "must differ from the source")
    if source.is_within(destination) or destination.is_within(source):
        raise InvalidInput("destination", "is inside the source (or holds it); move stock there with a relocation")


def require_editable(status: TransferStatus, reference: str) -> None:
    if status is not TransferStatus.DRAFT:
        raise Conflict(f"transfer: {reference} is {status.value}; only a draft can be changed")


def require_shippable(status: TransferStatus, reference: str) -> None:
    if status not in SHIPPABLE:
        raise Conflict(f"transfer: {reference} is {status.value}; nothing more can be shipped")


def require_under_way(status: TransferStatus, reference: str, action: str) -> None:
    if status not in UNDER_WAY:
        raise Conflict(f"transfer: {reference} is {status.value}; there is nothing in transit to {action}")


def check_within(field: str, asked: Decimal, left: Decimal, what: str) -> None:
    """Refuse taking more than is left (to ship, or in transit), naming the field."""
    if asked > left:
        raise Conflict(f"{field}: {asked} is more than the {left} {what}")
