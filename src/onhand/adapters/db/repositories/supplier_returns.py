"""Returns to supplier and what each purchase order line received and returned, per place and lot."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select

from onhand.adapters.db.tables import items, locations, lots
from onhand.adapters.db.tables.purchasing import purchase_order_lines, receipt_lines, receipts
from onhand.adapters.db.tables.supplier_returns import supplier_return_lines, supplier_returns
from onhand.adapters.db.tables.supplier_shipments import (
    supplier_shipment_event_lines,
    supplier_shipment_events,
    supplier_shipment_lines,
    supplier_shipments,
)

# (order line id, location id, lot id or None): where a line's units were received.
Place = tuple[int, int, int | None]

_ORDER_ID = bindparam("order_key")
_RETURN_ID = bindparam("return_key")
_RECEIVED_AT = (
    select(receipt_lines.c.order_line_id, receipt_lines.c.location_id, receipt_lines.c.lot_id,
           func.sum(receipt_lines.c.quantity))
    .join(receipts, receipt_lines.c.receipt_id == receipts.c.id)
    .where(receipts.c.order_id == _ORDER_ID)
    # A supplier shipment's receipt is into transit: its units count where they arrived.
    .where(~receipts.c.id.in_(select(supplier_shipments.c.receipt_id)))
    .group_by(receipt_lines.c.order_line_id, receipt_lines.c.location_id, receipt_lines.c.lot_id)
)
_ARRIVED_AT = (
    select(supplier_shipment_lines.c.order_line_id, supplier_shipment_event_lines.c.location_id,
           supplier_shipment_lines.c.lot_id, func.sum(supplier_shipment_event_lines.c.quantity))
    .join_from(supplier_shipment_event_lines, supplier_shipment_events,
               supplier_shipment_event_lines.c.event_id == supplier_shipment_events.c.id)
    .join(supplier_shipment_lines, supplier_shipment_event_lines.c.shipment_line_id == supplier_shipment_lines.c.id)
    .join(supplier_shipments, supplier_shipment_events.c.shipment_id == supplier_shipments.c.id)
    .where(supplier_shipments.c.order_id == _ORDER_ID, supplier_shipment_events.c.kind == "receipt")
    .group_by(supplier_shipment_lines.c.order_line_id, supplier_shipment_event_lines.c.location_id,
              supplier_shipment_lines.c.lot_id)
)
_RETURNED_AT = (
    select(supplier_return_lines.c.order_line_id, supplier_return_lines.c.location_id,
           supplier_return_lines.c.lot_id, func.sum(supplier_return_lines.c.quantity))
    .join(supplier_returns, supplier_return_lines.c.return_id == supplier_returns.c.id)
    .where(supplier_returns.c.order_id == _ORDER_ID)
    .group_by(supplier_return_lines.c.order_line_id, supplier_return_lines.c.location_id,
              supplier_return_lines.c.lot_id)
)
_ADD = insert(supplier_returns)
_ADD_LINES = insert(supplier_return_lines)
_GET = select(supplier_returns).where(supplier_returns.c.id == _RETURN_ID)
_BY_REFERENCE = select(supplier_returns).where(supplier_returns.c.reference == bindparam("reference"))
_FOR_ORDER = select(supplier_returns).where(supplier_returns.c.order_id == _ORDER_ID).order_by(supplier_returns.c.id)
_COUNT = select(func.count()).select_from(supplier_returns)
_LINES = (
    select(
        supplier_return_lines.c.quantity, purchase_order_lines.c.line_no, items.c.sku,
        locations.c.code.label("location_code"), lots.c.code.label("lot_code"),
    )
    .join_from(supplier_return_lines, purchase_order_lines,
               supplier_return_lines.c.order_line_id == purchase_order_lines.c.id)
    .join(items, supplier_return_lines.c.item_id == items.c.id)
    .join(locations, supplier_return_lines.c.location_id == locations.c.id)
    .outerjoin(lots, supplier_return_lines.c.lot_id == lots.c.id)
    .where(supplier_return_lines.c.return_id == _RETURN_ID)
    .order_by(supplier_return_lines.c.id)
)


class SupplierReturnRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def received_at(self, order_id: int) -> dict[Place, Decimal]:
        """What each line of the order received, per location and lot (by line, location and lot id)."""
        rows = list(self._conn.execute(_RECEIVED_AT, {"order_key": order_id}))
        rows += self._conn.execute(_ARRIVED_AT, {"order_key": order_id})
        found: dict[Place, Decimal] = {}
        for r in sorted(rows, key=_key):
            place = (int(r[0]), int(r[1]), None if r[2] is None else int(r[2]))
            found[place] = found.get(place, Decimal(0)) + r[3]
        return found

    def returned_at(self, order_id: int) -> dict[Place, Decimal]:
        rows = self._conn.execute(_RETURNED_AT, {"order_key": order_id})
        return defaultdict(Decimal, {(int(r[0]), int(r[1]), None if r[2] is None else int(r[2])): r[3]
                                     for r in rows})

    def returned(self, order_id: int) -> dict[int, Decimal]:
        """Returned so far per order line id."""
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for (line_id, _loc, _lot), quantity in self.returned_at(order_id).items():
            totals[line_id] += quantity
        return totals

    def add(self, values: dict[str, Any], lines: list[dict[str, Any]]) -> int:
        return_id = int(self._conn.execute(_ADD, values).inserted_primary_key[0])
        self._conn.execute(_ADD_LINES, [{**line, "return_id": return_id} for line in lines])
        return return_id

    def get(self, return_id: int) -> Any:
        return self._conn.execute(_GET, {"return_key": return_id}).first()

    def by_reference(self, reference: str) -> Any:
        return self._conn.execute(_BY_REFERENCE, {"reference": reference}).first()

    def for_order(self, order_id: int) -> list[Any]:
        return list(self._conn.execute(_FOR_ORDER, {"order_key": order_id}))

    def count(self) -> int:
        return int(self._conn.execute(_COUNT).scalar_one())

    def lines(self, return_id: int) -> list[Any]:
        return list(self._conn.execute(_LINES, {"return_key": return_id}))


def _key(row: Any) -> tuple[int, int, int]:
    return (int(row[0]), int(row[1]), int(row[2] or 0))
