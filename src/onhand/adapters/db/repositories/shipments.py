"""Packages, shipments and customer returns of sales orders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, literal_column, select, update

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables import (
    items,
    locations,
    lots,
    package_contents,
    packages,
    return_lines,
    returns,
    sales_order_lines,
    shipment_lines,
    shipments,
)
from onhand.domain.orders.views import (
    PackageView,
    ReturnLineView,
    ReturnView,
    ShipmentLineView,
    ShipmentView,
)

_ORDER = bindparam("order_key")
_PACKED_UNSHIPPED = (
    select(packages.c.id, package_contents.c.order_line_id, package_contents.c.quantity)
    .join(package_contents, package_contents.c.package_id == packages.c.id)
    .where(packages.c.order_id == _ORDER, packages.c.shipment_id.is_(None))
)
_PACKAGE_CONTENTS = (
    select(package_contents.c.package_id, sales_order_lines.c.line_no, package_contents.c.quantity)
    .join(sales_order_lines, package_contents.c.order_line_id == sales_order_lines.c.id)
    .where(sales_order_lines.c.order_id == _ORDER)
    .order_by(sales_order_lines.c.line_no)
)
_PACKAGES = select(packages).where(packages.c.order_id == _ORDER).order_by(packages.c.id)
_ADD_SHIPMENT = Hot(insert(shipments).returning(shipments.c.id))
_ADD_SHIPMENT_LINE = Hot(insert(shipment_lines))
_ADD_SHIPMENTS = insert(shipments).returning(shipments.c.id, sort_by_parameter_order=True)
_SHIPMENTS = Hot(
    select(
        shipments.c.id, shipments.c.posting_id, shipments.c.created_at,
        sales_order_lines.c.line_no, items.c.sku, locations.c.code.label("location"),
        lots.c.code.label("lot"), shipment_lines.c.quantity,
    )
    .join(shipment_lines, shipment_lines.c.shipment_id == shipments.c.id)
    .join(sales_order_lines, shipment_lines.c.order_line_id == sales_order_lines.c.id)
    .join(items, sales_order_lines.c.item_id == items.c.id)
    .join(locations, shipment_lines.c.location_id == locations.c.id)
    .outerjoin(lots, shipment_lines.c.lot_id == lots.c.id)
    .where(shipments.c.order_id == _ORDER)
    .order_by(shipments.c.id, sales_order_lines.c.line_no, shipment_lines.c.id)
)

_RETURNS = (
    select(
        returns.c.id, returns.c.reference, returns.c.posting_id, returns.c.created_at,
        sales_order_lines.c.line_no, items.c.sku, locations.c.code.label("location"),
        lots.c.code.label("lot"), return_lines.c.quantity, return_lines.c.reason, return_lines.c.condition,
        return_lines.c.refund_unit_price,
    )
    .join(return_lines, return_lines.c.return_id == returns.c.id)
    .join(sales_order_lines, return_lines.c.order_line_id == sales_order_lines.c.id)
    .join(items, sales_order_lines.c.item_id == items.c.id)
    .join(locations, return_lines.c.location_id == locations.c.id)
    .outerjoin(lots, return_lines.c.lot_id == lots.c.id)
    .where(returns.c.order_id == _ORDER)
    .order_by(returns.c.id, sales_order_lines.c.line_no, return_lines.c.id)
)


class ShipmentRepository:
    def __init__(self, conn: Connection, packed: Callable[[int], None] = lambda order_id: None) -> None:
        self._conn = conn
        self._packed = packed  # told each order a package is added to (its header says so)

    # --- packages ------------------------------------------------------------------

    def add_package(self, order_id: int, values: dict[str, Any], contents: dict[int, Decimal]) -> int:
        result = self._conn.execute(insert(packages).values(order_id=order_id, **values))
        package_id = int(result.inserted_primary_key[0])
        self._conn.execute(
            insert(package_contents),
            [{"package_id": package_id, "order_line_id": line, "quantity": q} for line, q in contents.items()],
        )
        self._packed(order_id)
        return package_id

    def packed_unshipped(self, order_id: int) -> dict[int, dict[int, Decimal]]:
        """Per unshipped package id: order line id -> quantity."""
        found: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for package_id, line_id, quantity in self._conn.execute(_PACKED_UNSHIPPED, {"order_key": order_id}):
            found[package_id][line_id] = quantity
        return found

    def mark_shipped(self, package_ids: list[int], shipment_id: int) -> None:
        if package_ids:
            self._conn.execute(
                update(packages).where(packages.c.id.in_(package_ids)).values(shipment_id=shipment_id)
            )

    def packages_for_order(self, order_id: int) -> list[PackageView]:
        contents: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for package_id, line_no, quantity in self._conn.execute(_PACKAGE_CONTENTS, {"order_key": order_id}):
            contents[package_id].append((line_no, quantity))
        rows = self._conn.execute(_PACKAGES, {"order_key": order_id})
        return [
            PackageView(
                id=r.id, carrier=r.carrier, tracking_number=r.tracking_number, weight_kg=r.weight_kg,
                length_cm=r.length_cm, width_cm=r.width_cm, height_cm=r.height_cm,
                shipment_id=r.shipment_id, contents=tuple(contents[r.id]),
            )
            for r in rows
        ]

    # --- shipments -----------------------------------------------------------------

    def add_shipment(self, order_id: int, posting_id: int, lines: list[dict[str, Any]], at: datetime) -> int:
        shipment_id = int(_ADD_SHIPMENT.one(self._conn, {"order_id": order_id, "posting_id": posting_id,
                                                          "created_at": at}).id)
        _ADD_SHIPMENT_LINE.many(self._conn, [{**line, "shipment_id": shipment_id} for line in lines])
        return shipment_id

    def add_shipments(self, shipped: list[tuple[int, int, list[dict[str, Any]]]], at: datetime) -> None:
        """Several orders' shipments (order id, posting id, lines) in two statements."""
        if not shipped:
            return
        heads = self._conn.execute(
            _ADD_SHIPMENTS,
            [{"order_id": order_id, "posting_id": posting_id, "created_at": at} for order_id, posting_id, _ in shipped],
        )
        ids = [int(row[0]) for row in heads]
        _ADD_SHIPMENT_LINE.many(self._conn, [
            {**line, "shipment_id": shipment_id}
            for shipment_id, (_order, _posting, lines) in zip(ids, shipped, strict=True) for line in lines
        ])

    def for_order(self, order_id: int) -> list[ShipmentView]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in _SHIPMENTS.rows(self._conn, {"order_key": order_id}):
            grouped[row.id].append(row)
        return [
            ShipmentView(
                id=shipment_id, posting_id=rows[0].posting_id, created_at=rows[0].created_at,
                lines=tuple(ShipmentLineView(r.line_no, r.sku, r.location, r.lot, r.quantity) for r in rows),
            )
            for shipment_id, rows in grouped.items()
        ]

    def shipped_by_lot(self, order_id: int) -> dict[tuple[int, int], Decimal]:
        """(order line id, lot id or 0) -> quantity shipped."""
        # One expression with an inline 0: PostgreSQL must see the GROUP BY term as the selected one.
        lot_key = func.coalesce(shipment_lines.c.lot_id, literal_column("0"))
        query = (
            select(shipment_lines.c.order_line_id, lot_key, func.sum(shipment_lines.c.quantity))
            .join(shipments, shipment_lines.c.shipment_id == shipments.c.id)
            .where(shipments.c.order_id == order_id)
            .group_by(shipment_lines.c.order_line_id, lot_key)
        )
        return {(r[0], r[1]): r[2] for r in self._conn.execute(query)}

    # --- returns -------------------------------------------------------------------

    def add_return(
        self, order_id: int, reference: str, posting_id: int, lines: list[dict[str, Any]], at: datetime
    ) -> int:
        result = self._conn.execute(
            insert(returns).values(order_id=order_id, reference=reference, posting_id=posting_id, created_at=at)
        )
        return_id = int(result.inserted_primary_key[0])
        self._conn.execute(insert(return_lines), [{**line, "return_id": return_id} for line in lines])
        return return_id

    def returned_by_lot(self, order_id: int) -> dict[tuple[int, int], Decimal]:
        lot_key = func.coalesce(return_lines.c.lot_id, literal_column("0"))
        query = (
            select(return_lines.c.order_line_id, lot_key, func.sum(return_lines.c.quantity))
            .join(returns, return_lines.c.return_id == returns.c.id)
            .where(returns.c.order_id == order_id)
            .group_by(return_lines.c.order_line_id, lot_key)
        )
        return {(r[0], r[1]): r[2] for r in self._conn.execute(query)}

    def returns_for_order(self, order_id: int) -> list[ReturnView]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in self._conn.execute(_RETURNS, {"order_key": order_id}):
            grouped[row.id].append(row)
        return [
            ReturnView(
                reference=rows[0].reference, posting_id=rows[0].posting_id, created_at=rows[0].created_at,
                lines=tuple(
                    ReturnLineView(r.line_no, r.sku, r.location, r.lot, r.quantity, r.reason, r.condition,
                                   r.refund_unit_price)
                    for r in rows
                ),
            )
            for rows in grouped.values()
        ]

    def return_reference_taken(self, reference: str) -> bool:
        return self._conn.execute(select(returns.c.id).where(returns.c.reference == reference)).first() is not None

    def next_return_number(self) -> int:
        return int(self._conn.execute(select(func.coalesce(func.max(returns.c.id), 0))).scalar_one()) + 1
