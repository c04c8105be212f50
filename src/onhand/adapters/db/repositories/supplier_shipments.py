"""Supplier shipments (ASNs): the shipment, its lines' progress and its postings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from onhand.adapters.db.tables import items, lots
from onhand.adapters.db.tables.purchasing import purchase_order_lines, purchase_orders
from onhand.adapters.db.tables.supplier_shipments import (
    supplier_shipment_event_lines,
    supplier_shipment_events,
    supplier_shipment_lines,
    supplier_shipments,
)

_ID = bindparam("shipment_key")
_GET = select(supplier_shipments).where(supplier_shipments.c.id == _ID)
_LOCK = select(supplier_shipments.c.id).where(supplier_shipments.c.id == _ID).with_for_update()
_BY_REFERENCE = select(supplier_shipments).where(supplier_shipments.c.reference == bindparam("reference"))
_FOR_ORDER = (
    select(supplier_shipments).where(supplier_shipments.c.order_id == bindparam("order_key"))
    .order_by(supplier_shipments.c.id)
)
_COUNT = select(func.count()).select_from(supplier_shipments)
_LINES = (
    select(
        supplier_shipment_lines, purchase_order_lines.c.line_no, purchase_order_lines.c.unit_cost, items.c.sku,
        lots.c.code.label("lot_code"),
    )
    .join_from(supplier_shipment_lines, purchase_order_lines,
               supplier_shipment_lines.c.order_line_id == purchase_order_lines.c.id)
    .join(items, supplier_shipment_lines.c.item_id == items.c.id)
    .outerjoin(lots, supplier_shipment_lines.c.lot_id == lots.c.id)
    .where(supplier_shipment_lines.c.shipment_id == _ID)
    .order_by(supplier_shipment_lines.c.id)
)
_IN_TRANSIT = (
    select(
        supplier_shipment_lines.c.item_id, purchase_orders.c.destination_id, supplier_shipments.c.eta,
        (supplier_shipment_lines.c.quantity - supplier_shipment_lines.c.received
         - supplier_shipment_lines.c.written_off).label("quantity"),
    )
    .join_from(supplier_shipment_lines, supplier_shipments,
               supplier_shipment_lines.c.shipment_id == supplier_shipments.c.id)
    .join(purchase_orders, supplier_shipments.c.order_id == purchase_orders.c.id)
    .where(supplier_shipment_lines.c.quantity
           > supplier_shipment_lines.c.received + supplier_shipment_lines.c.written_off)
)
_ADD_LINES = insert(supplier_shipment_lines)
_ADVANCE = (
    update(supplier_shipment_lines)
    .where(supplier_shipment_lines.c.id == bindparam("line_key"))
    .values(received=supplier_shipment_lines.c.received + bindparam("add_received"),
            written_off=supplier_shipment_lines.c.written_off + bindparam("add_written_off"))
)


class SupplierShipmentRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, values: dict[str, Any], lines: list[dict[str, Any]]) -> int:
        shipment_id = int(self._conn.execute(insert(supplier_shipments).values(**values)).inserted_primary_key[0])
        self._conn.execute(_ADD_LINES, [
            {**line, "shipment_id": shipment_id, "received": Decimal(0), "written_off": Decimal(0)} for line in lines
        ])
        return shipment_id

    def lock(self, shipment_id: int) -> None:
        self._conn.execute(_LOCK, {"shipment_key": shipment_id})

    def get(self, shipment_id: int) -> Any:
        return self._conn.execute(_GET, {"shipment_key": shipment_id}).first()

    def by_reference(self, reference: str) -> Any:
        return self._conn.execute(_BY_REFERENCE, {"reference": reference}).first()

    def for_order(self, order_id: int) -> list[Any]:
        return list(self._conn.execute(_FOR_ORDER, {"order_key": order_id}))

    def count(self) -> int:
        return int(self._conn.execute(_COUNT).scalar_one())

    def lines(self, shipment_id: int) -> list[Any]:
        return list(self._conn.execute(_LINES, {"shipment_key": shipment_id}))

    def record(self, shipment_id: int, kind: str, posting_id: int, parts: list[tuple[int, int, Decimal]],
               now: datetime) -> None:
        """One receipt or write-off: its posting, where each part (line id, location id,
        quantity) went, and each line's quantity added."""
        event_id = int(self._conn.execute(insert(supplier_shipment_events).values(
            shipment_id=shipment_id, kind=kind, posting_id=posting_id, created_at=now)).inserted_primary_key[0])
        self._conn.execute(insert(supplier_shipment_event_lines), [
            {"event_id": event_id, "shipment_line_id": line_id, "location_id": location_id, "quantity": quantity}
            for line_id, location_id, quantity in parts
        ])
        done: dict[int, Decimal] = {}
        for line_id, _location_id, quantity in parts:
            done[line_id] = done.get(line_id, Decimal(0)) + quantity
        received = kind == "receipt"
        self._conn.execute(_ADVANCE, [
            {"line_key": line_id, "add_received": quantity if received else Decimal(0),
             "add_written_off": Decimal(0) if received else quantity}
            for line_id, quantity in done.items()
        ])

    def update(self, shipment_id: int, **values: Any) -> None:
        self._conn.execute(update(supplier_shipments).where(supplier_shipments.c.id == shipment_id).values(**values))

    def in_transit(self, *, item_ids: list[int] | None) -> list[Any]:
        """What shipments still carry, per line: item, the order's destination, the ETA."""
        query = _IN_TRANSIT
        if item_ids is not None:
            query = query.where(supplier_shipment_lines.c.item_id.in_(item_ids))
        return list(self._conn.execute(query))
