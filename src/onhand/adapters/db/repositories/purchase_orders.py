"""Purchase orders and their lines, with received quantities derived from receipt lines
(never a counter kept by hand), and the open quantities reported as incoming."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.repositories.publishing import Publish, ignore, status_changes
from onhand.adapters.db.tables import items
from onhand.adapters.db.tables.purchasing import (
    purchase_order_lines,
    purchase_orders,
    receipt_lines,
    receipts,
    supplier_prices,
)
from onhand.adapters.db.tables.supplier_shipments import supplier_shipment_lines, supplier_shipments
from onhand.domain.purchasing.events import PurchaseOrderStatusChanged
from onhand.domain.purchasing.purchase_orders import OPEN
from onhand.domain.purchasing.records import PurchaseOrderLineRecord, PurchaseOrderRecord
from onhand.domain.purchasing.views import IncomingRow

ZERO = Decimal(0)
_OPEN_STATUSES = sorted(status.value for status in OPEN)

_ORDER_ID = bindparam("order_key")
_ADD = insert(purchase_orders)
_ADD_LINE = insert(purchase_order_lines)
_DELETE_LINES = delete(purchase_order_lines).where(purchase_order_lines.c.order_id == _ORDER_ID)
_UPDATE = update(purchase_orders).where(purchase_orders.c.id == _ORDER_ID)
_LOCK = select(purchase_orders.c.id).where(purchase_orders.c.id == _ORDER_ID).with_for_update()
_GET = select(purchase_orders).where(purchase_orders.c.id == _ORDER_ID)
_BY_REFERENCE = select(purchase_orders).where(purchase_orders.c.reference == bindparam("reference"))
_BY_SUPPLIER_REFERENCE = select(purchase_orders).where(
    purchase_orders.c.supplier_id == bindparam("supplier_key"),
    purchase_orders.c.supplier_reference == bindparam("supplier_reference"),
)
_LINES = (
    select(purchase_order_lines, items.c.sku, supplier_prices.c.supplier_sku)
    .join_from(purchase_order_lines, items, purchase_order_lines.c.item_id == items.c.id)
    .join(purchase_orders, purchase_order_lines.c.order_id == purchase_orders.c.id)
    .outerjoin(
        supplier_prices,
        (supplier_prices.c.supplier_id == purchase_orders.c.supplier_id)
        & (supplier_prices.c.item_id == purchase_order_lines.c.item_id),
    )
    .where(purchase_order_lines.c.order_id == _ORDER_ID)
    .order_by(purchase_order_lines.c.line_no)
)
_RECEIVED = (
    select(receipt_lines.c.order_line_id, func.sum(receipt_lines.c.quantity))
    .join(receipts, receipt_lines.c.receipt_id == receipts.c.id)
    .where(receipts.c.order_id == _ORDER_ID)
    .group_by(receipt_lines.c.order_line_id)
)
# Still in transit on a supplier shipment: a receipt into transit, not yet received for
# the order. What was written off in transit counts as received (delivered into our care,
# then lost): the supplier is not expected to send it again.
_IN_TRANSIT = (supplier_shipment_lines.c.quantity - supplier_shipment_lines.c.received
               - supplier_shipment_lines.c.written_off)
_PENDING = (
    select(supplier_shipment_lines.c.order_line_id,
           func.sum(_IN_TRANSIT))
    .join(supplier_shipments, supplier_shipment_lines.c.shipment_id == supplier_shipments.c.id)
    .where(supplier_shipments.c.order_id == _ORDER_ID)
    .group_by(supplier_shipment_lines.c.order_line_id)
)
# What supplier shipments carry to each order's destination, by ETA: incoming on the ETA.
_SHIPPED_IN_TRANSIT = (
    select(supplier_shipment_lines.c.item_id, items.c.sku, purchase_orders.c.destination_id,
           supplier_shipments.c.eta.label("expected_date"), func.sum(_IN_TRANSIT).label("quantity"))
    .join_from(supplier_shipment_lines, supplier_shipments,
               supplier_shipment_lines.c.shipment_id == supplier_shipments.c.id)
    .join(purchase_orders, supplier_shipments.c.order_id == purchase_orders.c.id)
    .join(items, supplier_shipment_lines.c.item_id == items.c.id)
    .where(_IN_TRANSIT > 0)
    .group_by(supplier_shipment_lines.c.item_id, items.c.sku, purchase_orders.c.destination_id,
              supplier_shipments.c.eta)
)
_RECEIPT_REFERENCES = (
    select(receipts.c.reference).where(receipts.c.order_id == _ORDER_ID).order_by(receipts.c.id)
)
_RECEIVED_PER_LINE = (
    select(receipt_lines.c.order_line_id, func.sum(receipt_lines.c.quantity).label("received"))
    .group_by(receipt_lines.c.order_line_id)
    .subquery()
)
_OPEN_LINES = (
    select(
        purchase_order_lines.c.item_id,
        items.c.sku,
        purchase_orders.c.destination_id,
        purchase_orders.c.expected_date,
        purchase_order_lines.c.quantity,
        _RECEIVED_PER_LINE.c.received,
    )
    .join_from(purchase_order_lines, purchase_orders, purchase_order_lines.c.order_id == purchase_orders.c.id)
    .join(items, purchase_order_lines.c.item_id == items.c.id)
    .outerjoin(_RECEIVED_PER_LINE, _RECEIVED_PER_LINE.c.order_line_id == purchase_order_lines.c.id)
    .where(purchase_orders.c.status.in_(_OPEN_STATUSES))
)


@cache
def _incoming(by_items: bool, by_places: bool) -> tuple[Hot, Hot]:
    """The open lines and what is in transit, of some items and destinations or all: run the
    hot way (a stock read asks at every call; through SQLAlchemy they were half of it)."""
    query, shipped = _OPEN_LINES, _SHIPPED_IN_TRANSIT
    if by_items:
        query = query.where(purchase_order_lines.c.item_id.in_(bindparam("item_ids", expanding=True)))
        shipped = shipped.where(supplier_shipment_lines.c.item_id.in_(bindparam("item_ids", expanding=True)))
    if by_places:
        query = query.where(purchase_orders.c.destination_id.in_(bindparam("location_ids", expanding=True)))
        shipped = shipped.where(purchase_orders.c.destination_id.in_(bindparam("location_ids", expanding=True)))
    return Hot(query), Hot(shipped)


def _order_or_none(row: Any) -> PurchaseOrderRecord | None:
    return None if row is None else PurchaseOrderRecord(**row._mapping)


class PurchaseOrderRepository:
    def __init__(self, conn: Connection, publish: Publish = ignore) -> None:
        self._conn = conn
        self._publish = publish

    def add(self, values: dict[str, Any], lines: list[dict[str, Any]]) -> int:
        order_id = int(self._conn.execute(_ADD, values).inserted_primary_key[0])
        self.add_lines(order_id, lines)
        self._publish(PurchaseOrderStatusChanged(order_id, str(values["status"]), None))
        return order_id

    def add_lines(self, order_id: int, lines: list[dict[str, Any]]) -> None:
        if lines:
            self._conn.execute(_ADD_LINE, [{**line, "order_id": order_id} for line in lines])

    def delete_lines(self, order_id: int) -> None:
        self._conn.execute(_DELETE_LINES, {"order_key": order_id})

    def update(self, order_id: int, **values: Any) -> None:
        moved = status_changes(self._conn, purchase_orders, [(order_id, values.get("status"))])
        self._conn.execute(_UPDATE, {"order_key": order_id, **values})
        for changed_id, status, previous in moved:
            self._publish(PurchaseOrderStatusChanged(changed_id, status, previous))

    def lock(self, order_id: int) -> None:
        """Serialize writers of one order (PostgreSQL row lock; SQLite writers are serial)."""
        self._conn.execute(_LOCK, {"order_key": order_id})

    def get(self, order_id: int) -> PurchaseOrderRecord | None:
        return _order_or_none(self._conn.execute(_GET, {"order_key": order_id}).first())

    def by_reference(self, reference: str) -> PurchaseOrderRecord | None:
        return _order_or_none(self._conn.execute(_BY_REFERENCE, {"reference": reference}).first())

    def by_supplier_reference(self, supplier_id: int, supplier_reference: str) -> PurchaseOrderRecord | None:
        params = {"supplier_key": supplier_id, "supplier_reference": supplier_reference}
        return _order_or_none(self._conn.execute(_BY_SUPPLIER_REFERENCE, params).first())

    def lines(self, order_id: int) -> list[PurchaseOrderLineRecord]:
        return [PurchaseOrderLineRecord(**row._mapping) for row in self._conn.execute(_LINES, {"order_key": order_id})]

    def received(self, order_id: int) -> dict[int, Decimal]:
        """Received so far per order line id: not what a supplier shipment still has in
        transit."""
        received = self.delivered(order_id)
        for line_id, pending in self._conn.execute(_PENDING, {"order_key": order_id}):
            received[line_id] -= pending
        return received

    def delivered(self, order_id: int) -> dict[int, Decimal]:
        """Every receipt per order line id, into transit too: what the over-receipt
        tolerance counts."""
        rows = self._conn.execute(_RECEIVED, {"order_key": order_id})
        return defaultdict(lambda: ZERO, {line_id: quantity for line_id, quantity in rows})

    def receipt_references(self, order_id: int) -> list[str]:
        return [row[0] for row in self._conn.execute(_RECEIPT_REFERENCES, {"order_key": order_id})]

    def list(
        self, *, status: str | None, supplier_id: int | None, limit: int, offset: int,
        updated_since: datetime | None = None,
    ) -> list[PurchaseOrderRecord]:
        query = select(purchase_orders).order_by(purchase_orders.c.id.desc()).limit(limit).offset(offset)
        if updated_since is not None:
            query = query.where(purchase_orders.c.updated_at >= updated_since)
        if status:
            query = query.where(purchase_orders.c.status == status)
        if supplier_id is not None:
            query = query.where(purchase_orders.c.supplier_id == supplier_id)
        return [PurchaseOrderRecord(**row._mapping) for row in self._conn.execute(query)]

    def incoming(self, *, item_ids: list[int] | None, location_ids: list[int] | None) -> list[IncomingRow]:
        """Open quantity (ordered − received, never below zero) of placed orders, per item
        and destination, with the earliest expected date among them; what a supplier
        shipment has in transit is received into transit, so it comes in by its ETA."""
        query, shipped = _incoming(item_ids is not None, location_ids is not None)
        params = {"item_ids": item_ids, "location_ids": location_ids}
        params = {key: value for key, value in params.items() if value is not None}
        totals: dict[tuple[int, str, int], list[Any]] = {}
        rows = [(row, row.quantity - (row.received or ZERO)) for row in query.rows(self._conn, params)]
        rows += [(row, row.quantity) for row in shipped.rows(self._conn, params)]
        for row, still in rows:
            if still <= 0:
                continue
            entry = totals.setdefault((row.item_id, row.sku, row.destination_id), [ZERO, None])
            entry[0] += still
            if row.expected_date is not None and (entry[1] is None or row.expected_date < entry[1]):
                entry[1] = row.expected_date
        return [
            IncomingRow(item_id=item_id, sku=sku, location_id=location_id, quantity=quantity, expected_date=expected)
            for (item_id, sku, location_id), (quantity, expected) in sorted(totals.items())
        ]
