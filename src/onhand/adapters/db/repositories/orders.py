"""Sales orders and their lines, with the quantities derived from reservations,
shipments and returns (never a counter kept by hand)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, delete, exists, func, select, type_coerce, update
from sqlalchemy.types import TypeDecorator

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.hot_inserts import HotInsert
from onhand.adapters.db.repositories.publishing import Publish, ignore, status_changes
from onhand.adapters.db.tables import (
    items,
    locations,
    lots,
    packages,
    reservations,
    return_lines,
    sales_order_lines,
    sales_orders,
    shipment_lines,
    units,
)
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.orders.events import OrderStatusChanged
from onhand.domain.orders.records import SalesOrderLineRecord, SalesOrderRecord
from onhand.domain.orders.sales_orders import OrderStatus

ZERO = Decimal(0)
# Orders that may still be waiting for stock.
WAITING = [OrderStatus.BACKORDERED.value, OrderStatus.PARTIALLY_SHIPPED.value]


_WAITING_FOR = Hot(
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
# Every column but the key (those a new order's values leave out are NULL).
_NEW_ORDER = {column.name: None for column in sales_orders.c if column.name != "id"}
_ADD_ORDERS = HotInsert(sales_orders, sales_orders.c.id, list(_NEW_ORDER))
_ADD_LINES = HotInsert(sales_order_lines, sales_order_lines.c.id, [
    "order_id", "line_no", "item_id", "quantity", "unit_price", "pinned_lot_id", "location_id", "kit_line_no",
    "per_kit",
])
# An order's number, given only if no other order has it (a manual reference may have taken it).
_OTHER = sales_orders.alias("other")
_NUMBER = Hot(
    update(sales_orders)
    .where(sales_orders.c.id == _ORDER_ID, ~exists().where(
        _OTHER.c.reference == bindparam("number"), _OTHER.c.id != _ORDER_ID))
    .values(reference=bindparam("number"))
)
_DELETE_LINES = delete(sales_order_lines).where(sales_order_lines.c.order_id == _ORDER_ID)
_UPDATE_ORDER = Hot(update(sales_orders).where(sales_orders.c.id == _ORDER_ID))
_SET_LINE_LOCATION = (
    update(sales_order_lines)
    .where(sales_order_lines.c.id == bindparam("line_key"))
    .values(location_id=bindparam("location_key"))
)
# The header, and whether the order has packages (so their queries run only when it has).
_HEADER = select(
    sales_orders,
    exists().where(packages.c.order_id == sales_orders.c.id).label("has_packages"),
)
_GET = Hot(_HEADER.where(sales_orders.c.id == _ORDER_ID))
_LOCKED = Hot(_GET.statement.with_for_update(of=sales_orders))
_LOCKED_BY_REFERENCE = Hot(
    _HEADER.where(sales_orders.c.reference == bindparam("reference")).with_for_update(of=sales_orders)
)
_LOCKED_BY_REFERENCES = (
    _HEADER.where(sales_orders.c.reference.in_(bindparam("references", expanding=True)))
    .order_by(sales_orders.c.id)
    .with_for_update(of=sales_orders)
)
_BY_REFERENCE = Hot(select(sales_orders.c.id).where(sales_orders.c.reference == bindparam("reference")))
_BY_EXTERNAL_ID = select(sales_orders.c.id).where(
    sales_orders.c.channel == bindparam("channel"), sales_orders.c.external_id == bindparam("external_id")
)
_ORDER_OF_LINE = select(sales_order_lines.c.order_id).where(sales_order_lines.c.id == bindparam("line_key"))
_LAST_ID = select(func.coalesce(func.max(sales_orders.c.id), 0))


def _total(column: Any, of_line: Any) -> Any:
    """Sum of `column` over the rows of one order line (0 when there are none)."""
    total = select(func.coalesce(func.sum(column), 0)).where(of_line == sales_order_lines.c.id)
    return type_coerce(total.scalar_subquery(), ScaledDecimal)


# Each line with what was reserved, picked, shipped and returned for it: one statement.
_ALL_LINES = (
    select(
        sales_order_lines,
        items.c.sku,
        items.c.kind.label("item_kind"),
        units.c.decimals.label("unit_decimals"),
        lots.c.code.label("pinned_lot_code"),
        locations.c.code.label("location_code"),
        _total(reservations.c.quantity, reservations.c.order_line_id).label("reserved"),
        _total(reservations.c.picked, reservations.c.order_line_id).label("picked"),
        _total(shipment_lines.c.quantity, shipment_lines.c.order_line_id).label("shipped"),
        _total(return_lines.c.quantity, return_lines.c.order_line_id).label("returned"),
    )
    .join_from(sales_order_lines, items, sales_order_lines.c.item_id == items.c.id)
    .join(units, items.c.unit_code == units.c.code)
    .outerjoin(lots, sales_order_lines.c.pinned_lot_id == lots.c.id)
    .outerjoin(locations, sales_order_lines.c.location_id == locations.c.id)
)
_LINES = Hot(_ALL_LINES.where(sales_order_lines.c.order_id == _ORDER_ID).order_by(sales_order_lines.c.line_no))
_LINES_OF_ORDERS = _ALL_LINES.where(
    sales_order_lines.c.order_id.in_(bindparam("order_keys", expanding=True))
).order_by(sales_order_lines.c.order_id, sales_order_lines.c.line_no)

def _header(row: Any) -> SalesOrderRecord:
    return SalesOrderRecord(**{**row._mapping, "has_packages": bool(row.has_packages)})


def _as_stored(values: dict[str, Any], dialect: Any) -> dict[str, Any]:
    """`values` of header columns as a read of them would give them back (aware UTC times,
    quantities in their shortest form): through each column type's own conversions."""
    stored = {}
    for name, value in values.items():
        kind = sales_orders.c[name].type
        if value is not None and isinstance(kind, TypeDecorator):
            value = kind.process_result_value(kind.process_bind_param(value, dialect), dialect)
        stored[name] = value
    return stored


_EMPTY_HEADER = {column.name: None for column in sales_orders.c}


class OrderRepository:
    """Remembers the headers this transaction locked or wrote, kept as it changes them: no
    one else can change them until it ends (row locks on PostgreSQL; on SQLite writers take
    turns), so reading one again, and the status an update replaces, cost no statement.
    The unit of work is the scope: a request rolled back to its savepoint leaves with its own."""

    def __init__(self, conn: Connection, publish: Publish = ignore) -> None:
        self._conn = conn
        self._publish = publish
        self._held: dict[int, SalesOrderRecord] = {}

    def _hold(self, row: Any) -> SalesOrderRecord | None:
        if row is None:
            return None
        header = self._held[row.id] = _header(row)
        return header

    def add_many(self, orders: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> list[tuple[int, list[int]]]:
        """New orders (header values, the same columns for each, and lines), a statement for
        all their headers and one for all their lines: each one's id and its lines' ids."""
        if not orders:
            return []
        order_ids = _ADD_ORDERS.ids(self._conn, [{**_NEW_ORDER, **values} for values, _lines in orders])
        line_ids = iter(_ADD_LINES.ids(self._conn, [
            {**line, "order_id": order_id} for order_id, (_values, lines) in zip(order_ids, orders, strict=True)
            for line in lines
        ]))
        added = []
        for order_id, (values, lines) in zip(order_ids, orders, strict=True):
            stored = _as_stored(values, self._conn.dialect)
            self._held[order_id] = SalesOrderRecord(
                **{**_EMPTY_HEADER, **stored, "id": order_id, "has_packages": False})
            self._publish(OrderStatusChanged(order_id, str(values["status"]), None))
            added.append((order_id, [next(line_ids) for _line in lines]))
        return added

    def number(self, order_id: int, reference: str) -> bool:
        """Give the order `reference` if no other order has it (one statement); whether it was."""
        return self.number_many([(order_id, reference)])

    def number_many(self, numbers: list[tuple[int, str]]) -> bool:
        """Give each order its reference, in one statement, if no other order has it; whether
        every one was (those that were keep it: numbering one again with it is harmless)."""
        done = _NUMBER.many(self._conn, [{"order_key": order_id, "number": number} for order_id, number in numbers])
        if done != len(numbers):
            self._held.clear()  # which were numbered is not known: read again when asked
            return False
        for order_id, number in numbers:
            if order_id in self._held:
                self._held[order_id] = replace(self._held[order_id], reference=number)
        return True

    def packed(self, order_id: int) -> None:
        """A package was added to the order (its header's `has_packages`)."""
        if order_id in self._held:
            self._held[order_id] = replace(self._held[order_id], has_packages=True)

    def add_lines(self, order_id: int, lines: list[dict[str, Any]]) -> list[int]:
        """The new lines' ids, in their order."""
        return _ADD_LINES.ids(self._conn, [{**line, "order_id": order_id} for line in lines])

    def delete_lines(self, order_id: int) -> None:
        self._conn.execute(_DELETE_LINES, {"order_key": order_id})

    def set_line_location(self, line_id: int, location_id: int) -> None:
        self._conn.execute(_SET_LINE_LOCATION, {"line_key": line_id, "location_key": location_id})

    def update(self, order_id: int, **values: Any) -> None:
        self.update_many([{"order_key": order_id, **values}])

    def count_in_currency(self, currency: str) -> int:
        """Orders (not cancelled) priced in `currency`."""
        query = select(func.count()).select_from(sales_orders).where(
            sales_orders.c.currency == currency, sales_orders.c.status != OrderStatus.CANCELLED.value)
        return int(self._conn.execute(query).scalar_one())

    def set_rate_in_currency(self, currency: str, rate: Decimal) -> None:
        self._held.clear()
        self._conn.execute(update(sales_orders).where(sales_orders.c.currency == currency).values(exchange_rate=rate))

    def locked(self, order_id: int) -> SalesOrderRecord | None:
        """The order's header, locked for this transaction (PostgreSQL row lock; SQLite
        writers are serial) and read after the lock was granted."""
        return self._hold(_LOCKED.first(self._conn, {"order_key": order_id}))

    def locked_by_reference(self, reference: str) -> SalesOrderRecord | None:
        return self._hold(_LOCKED_BY_REFERENCE.first(self._conn, {"reference": reference}))

    def locked_by_references(self, references: list[str]) -> list[SalesOrderRecord]:
        """The headers of these orders (those that exist), oldest first, locked."""
        rows = self._conn.execute(_LOCKED_BY_REFERENCES, {"references": references})
        return [header for row in rows if (header := self._hold(row)) is not None]

    def update_many(self, changes: list[dict[str, Any]]) -> None:
        """Several orders' changes in one statement: each dict holds `order_key` and the
        same columns."""
        if not changes:
            return
        known = {order_id: header.status for order_id, header in self._held.items()}
        moved = status_changes(self._conn, sales_orders, [(c["order_key"], c.get("status")) for c in changes],
                               known=known)
        _UPDATE_ORDER.many(self._conn, changes)
        for change in changes:
            if (order_id := change["order_key"]) in self._held:
                values = {name: value for name, value in change.items() if name != "order_key"}
                self._held[order_id] = replace(self._held[order_id], **_as_stored(values, self._conn.dialect))
        for order_id, status, previous in moved:
            self._publish(OrderStatusChanged(order_id, status, previous))

    def get(self, order_id: int) -> SalesOrderRecord | None:
        """The header, with `has_packages`: as held when this transaction locked or wrote it."""
        held = self._held.get(order_id)
        if held is not None:
            return held
        row = _GET.first(self._conn, {"order_key": order_id})
        return None if row is None else _header(row)

    def id_by_reference(self, reference: str) -> int | None:
        row = _BY_REFERENCE.first(self._conn, {"reference": reference})
        return None if row is None else row.id

    def id_by_external_id(self, channel: str, external_id: str) -> int | None:
        return self._conn.execute(_BY_EXTERNAL_ID, {"channel": channel, "external_id": external_id}).scalar()

    def order_of_line(self, line_id: int) -> int:
        return int(self._conn.execute(_ORDER_OF_LINE, {"line_key": line_id}).scalar_one())

    def next_number(self) -> int:
        return int(self._conn.execute(_LAST_ID).scalar_one()) + 1

    def lines(self, order_id: int) -> list[SalesOrderLineRecord]:
        """The lines in line order, each with `reserved`, `picked`, `shipped` and `returned`,
        its item's `item_kind` and `unit_decimals`."""
        return [SalesOrderLineRecord(**row._mapping) for row in _LINES.rows(self._conn, {"order_key": order_id})]

    def lines_of(self, order_ids: list[int]) -> dict[int, list[SalesOrderLineRecord]]:
        """`lines` of several orders in one statement, by order id."""
        found: dict[int, list[SalesOrderLineRecord]] = {order_id: [] for order_id in order_ids}
        if order_ids:
            for row in self._conn.execute(_LINES_OF_ORDERS, {"order_keys": order_ids}):
                found[row.order_id].append(SalesOrderLineRecord(**row._mapping))
        return found

    def with_backorders(self, item_ids: list[int]) -> list[int]:
        """Ids of active, allocated orders with a line for these items, oldest first.

        The caller checks which really have a backordered quantity.
        """
        return [row[0] for row in _WAITING_FOR.rows(self._conn, {"item_ids": item_ids})]

    def list(
        self, *, status: str | None, channel: str | None, limit: int, offset: int,
        updated_since: datetime | None = None,
    ) -> list[SalesOrderRecord]:
        query = _HEADER.order_by(sales_orders.c.id.desc()).limit(limit).offset(offset)
        if updated_since is not None:
            query = query.where(sales_orders.c.updated_at >= updated_since)
        if status:
            query = query.where(sales_orders.c.status == status)
        if channel:
            query = query.where(sales_orders.c.channel == channel)
        return [_header(row) for row in self._conn.execute(query)]
