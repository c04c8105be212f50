"""What a move means for value, read from the kinds of its two locations.

    supplier → internal     receipt            internal → supplier     supplier return
    production → internal   build output       internal → production   build consumption
    adjustment → internal   adjustment in      internal → adjustment   adjustment out
    customer → internal     return             internal → customer     shipment
    internal → internal     transfer           internal → scrap        scrap
"""

from __future__ import annotations

from enum import StrEnum

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import InvalidInput


class MoveRole(StrEnum):
    """What a move means for value, read from its two locations (`role_of`)."""

    RECEIPT = "receipt"  # supplier → internal
    BUILD_OUTPUT = "build_output"  # production → internal
    ADJUSTMENT_IN = "adjustment_in"  # adjustment → internal (stock found)
    RETURN = "return"  # customer → internal
    SHIPMENT = "shipment"  # internal → customer
    SCRAP = "scrap"  # internal → scrap
    ADJUSTMENT_OUT = "adjustment_out"  # internal → adjustment (stock lost)
    BUILD_CONSUMPTION = "build_consumption"  # internal → production
    SUPPLIER_RETURN = "supplier_return"  # internal → supplier
    TRANSFER = "transfer"  # internal → internal

    @property
    def is_inbound(self) -> bool:
        return self in _INBOUND

    @property
    def is_outbound(self) -> bool:
        return self in _OUTBOUND


_INBOUND = frozenset({MoveRole.RECEIPT, MoveRole.BUILD_OUTPUT, MoveRole.ADJUSTMENT_IN, MoveRole.RETURN})
_OUTBOUND = frozenset(
    {MoveRole.SHIPMENT, MoveRole.SCRAP, MoveRole.ADJUSTMENT_OUT, MoveRole.BUILD_CONSUMPTION, MoveRole.SUPPLIER_RETURN}
)
_FROM_VIRTUAL = {
    LocationKind.SUPPLIER: MoveRole.RECEIPT,
    LocationKind.PRODUCTION: MoveRole.BUILD_OUTPUT,
    LocationKind.ADJUSTMENT: MoveRole.ADJUSTMENT_IN,
    LocationKind.CUSTOMER: MoveRole.RETURN,
}
_TO_VIRTUAL = {
    LocationKind.CUSTOMER: MoveRole.SHIPMENT,
    LocationKind.SCRAP: MoveRole.SCRAP,
    LocationKind.ADJUSTMENT: MoveRole.ADJUSTMENT_OUT,
    LocationKind.PRODUCTION: MoveRole.BUILD_CONSUMPTION,
    LocationKind.SUPPLIER: MoveRole.SUPPLIER_RETURN,
}


def role_of(source: LocationKind, destination: LocationKind) -> MoveRole:
    """The value role of a ledger move from the kinds of its two locations."""
    if source.is_internal and destination.is_internal:
        return MoveRole.TRANSFER
    if destination.is_internal and source in _FROM_VIRTUAL:
        return _FROM_VIRTUAL[source]
    if source.is_internal and destination in _TO_VIRTUAL:
        return _TO_VIRTUAL[destination]
    raise InvalidInput("location", f"a move from {source.value} to {destination.value} has no value role")
