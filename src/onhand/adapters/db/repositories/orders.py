"""Sales orders and their lines, with the quantities derived from reservations,
shipments and returns (never a counter kept by hand)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from onhand.adapters.db.tables import (
    items,
    locations,
    lots,
    reservations,
    return_lines,
    sales_order_lines,
    sales_orders,
    shipment_lines,
)
from onhand.domain.orders import OrderStatus

ZERO = Decimal(0)
# Orders that may still be waiting for stock.
WAITING = [OrderStatus.BACKORDERED.value, OrderStatus.PARTIALLY_SHIPPED.value]


_WAITING_FOR = (
    select(sales_orders.c.id)
    .join(sales_order_lines, sales_order_lines.c.order_id == sales_orders.c.id)
    .where(
        sales_orders.c.status.in_(WAITING),
        sales_order_lines.c.item_id.in_(bindparam("item_ids", expanding=True)),
    )
    .group_by(sales_orders.c.id)
    .order_by(sales_orders.c.id)
)


_ORDER_ID = bindparam("order_key")
_ADD_ORDER = insert(sales_orders)
_ADD_LINE = insert(sales_order_lines)
_DELETE_LINES = delete(sales_order_lines).where(sales_order_lines.c.order_id == _ORDER_ID)
_UPDATE_ORDER = update(sales_orders).where(sales_orders.c.id == _ORDER_ID)
_SET_LINE_LOCATION = (
    update(sales_order_lines)
    .where(sales_order_lines.c.id == bindparam("line_key"))
    .values(location_id=bindparam("location_key"))
)
_LOCK = select(sales_orders.c.id).where(sales_orders.c.id == _ORDER_ID).with_for_update()
_GET = select(sales_orders).where(sales_orders.c.id == _ORDER_ID)
_BY_REFERENCE = select(sales_orders).where(sales_orders.c.reference == bindparam("reference"))
_BY_EXTERNAL_ID = select(sales_orders).where(
    sales_orders.c.channel == bindparam("channel"), sales_orders.c.external_id == bindparam("external_id")
)
_ORDER_OF_LINE = select(sales_order_lines.c.order_id).where(sales_order_lines.c.id == bindparam("line_key"))
_LAST_ID = select(func.coalesce(func.max(sales_orders.c.id), 0))
_LINES = (
    select(
        sales_order_lines,
        items.c.sku,
        lots.c.code.label("pinned_lot_code"),
        locations.c.code.label("location_code"),
    )
    .join_from(sales_order_lines, items, sales_order_lines.c.item_id == items.c.id)
    .outerjoin(lots, sales_order_lines.c.pinned_lot_id == lots.c.id)
    .outerjoin(locations, sales_order_lines.c.location_id == locations.c.id)
    .where(sales_order_lines.c.order_id == _ORDER_ID)
    .order_by(sales_order_lines.c.line_no)
)
_LINE_IDS = select(sales_order_lines.c.id).where(sales_order_lines.c.order_id == _ORDER_ID)
_RESERVED = (
    select(reservations.c.order_line_id, func.sum(reservations.c.quantity), func.sum(reservations.c.picked))
    .where(reservations.c.order_line_id.in_(_LINE_IDS))
    .group_by(reservations.c.order_line_id)
)
_SHIPPED = (
    select(shipment_lines.c.order_line_id, func.sum(shipment_lines.c.quantity))
    .where(shipment_lines.c.order_line_id.in_(_LINE_IDS))
    .group_by(shipment_lines.c.order_line_id)
)
_RETURNED = (
    select(return_lines.c.order_line_id, func.sum(return_lines.c.quantity))
    .where(return_lines.c.order_line_id.in_(_LINE_IDS))
    .group_by(return_lines.c.order_line_id)
)


class OrderRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, values: dict[str, Any], lines: list[dict[str, Any]]) -> int:
        result = self._conn.execute(_ADD_ORDER, values)
        order_id = int(result.inserted_primary_key[0])
        self.add_lines(order_id, lines)
        return order_id

    def add_lines(self, order_id: int, lines: list[dict[str, Any]]) -> None:
        if lines:
            self._conn.execute(_ADD_LINE, [{**line, "order_id": order_id} for line in lines])

    def delete_lines(self, order_id: int) -> None:
        self._conn.execute(_DELETE_LINES, {"order_key": order_id})

    def set_line_location(self, line_id: int, location_id: int) -> None:
        self._conn.execute(_SET_LINE_LOCATION, {"line_key": line_id, "location_key": location_id})

    def update(self, order_id: int, **values: Any) -> None:
        self._conn.execute(_UPDATE_ORDER, {"order_key": order_id, **values})

    def lock(self, order_id: int) -> None:
        """Serialize writers of one order (PostgreSQL row lock; SQLite writers are serial)."""
        self._conn.execute(_LOCK, {"order_key": order_id})

    def get(self, order_id: int) -> Any:
        return self._conn.execute(_GET, {"order_key": order_id}).first()

    def by_reference(self, reference: str) -> Any:
        return self._conn.execute(_BY_REFERENCE, {"reference": reference}).first()

    def by_external_id(self, channel: str, external_id: str) -> Any:
        return self._conn.execute(_BY_EXTERNAL_ID, {"channel": channel, "external_id": external_id}).first()

    def order_of_line(self, line_id: int) -> int:
        return int(self._conn.execute(_ORDER_OF_LINE, {"line_key": line_id}).scalar_one())

    def next_number(self) -> int:
        return int(self._conn.execute(_LAST_ID).scalar_one()) + 1

    def lines(self, order_id: int) -> list[Any]:
        return list(self._conn.execute(_LINES, {"order_key": order_id}))

    def progress(self, order_id: int) -> dict[int, dict[str, Decimal]]:
        """Per line id: reserved, picked, shipped, returned."""
        totals: dict[int, dict[str, Decimal]] = defaultdict(
            lambda: {"reserved": ZERO, "picked": ZERO, "shipped": ZERO, "returned": ZERO}
        )
        params = {"order_key": order_id}
        for line_id, quantity, picked in self._conn.execute(_RESERVED, params):
            totals[line_id]["reserved"] = quantity
            totals[line_id]["picked"] = picked
        for query, name in ((_SHIPPED, "shipped"), (_RETURNED, "returned")):
            for line_id, quantity in self._conn.execute(query, params):
                totals[line_id][name] = quantity
        return totals

    def with_backorders(self, item_ids: list[int]) -> list[int]:
        """Ids of active, allocated orders with a line for these items, oldest first.

        The caller checks which really have a backordered quantity.
        """
        return [row[0] for row in self._conn.execute(_WAITING_FOR, {"item_ids": item_ids})]

    def list(
        self, *, status: str | None, channel: str | None, limit: int, offset: int
    ) -> list[Any]:
        query = select(sales_orders).order_by(sales_orders.c.id.desc()).limit(limit).offset(offset)
        if status:
            query = query.where(sales_orders.c.status == status)
        if channel:
            query = query.where(sales_orders.c.channel == channel)
        return list(self._conn.execute(query))
