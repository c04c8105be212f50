"""A supplier shipment's (ASN's) arithmetic and status.

Per line and lot: shipped = received + written off + in transit. The status follows
from the lines alone: nothing arrived yet, some did, all did, or finished short (the
rest was written off).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)


class SupplierShipmentStatus(StrEnum):
    IN_TRANSIT = "in_transit"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CLOSED = "closed"  # everything arrived or was written off, something was written off


@dataclass(frozen=True)
class ShipmentLineProgress:
    shipped: Decimal
    received: Decimal = ZERO
    written_off: Decimal = ZERO

    @property
    def in_transit(self) -> Decimal:
        return self.shipped - self.received - self.written_off


def supplier_shipment_status(lines: Iterable[ShipmentLineProgress]) -> SupplierShipmentStatus:
    lines = list(lines)
    if any(line.in_transit > 0 for line in lines):
        moved = any(line.received > 0 or line.written_off > 0 for line in lines)
        return SupplierShipmentStatus.PARTIALLY_RECEIVED if moved else SupplierShipmentStatus.IN_TRANSIT
    if any(line.written_off > 0 for line in lines):
        return SupplierShipmentStatus.CLOSED
    return SupplierShipmentStatus.RECEIVED
