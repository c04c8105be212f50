"""Receipts against purchase orders, their lines, and the landed costs shared among them."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from onhand.adapters.db.tables import items, locations, lots
from onhand.adapters.db.tables.purchasing import (
    landed_cost_allocations,
    landed_costs,
    purchase_order_lines,
    receipt_lines,
    receipts,
)
from onhand.domain.purchasing.views import LandedCostShareView, LandedCostView, ReceiptLineView

_RECEIPT_ID = bindparam("receipt_key")
_ADD = insert(receipts)
_SET_REFERENCE = (
    update(receipts).where(receipts.c.id == _RECEIPT_ID).values(reference=bindparam("new_reference"))
)
_ADD_LINES = insert(receipt_lines).returning(receipt_lines.c.id, sort_by_parameter_order=True)
_GET = select(receipts).where(receipts.c.id == _RECEIPT_ID)
_BY_REFERENCE = select(receipts).where(receipts.c.reference == bindparam("reference"))
_FOR_ORDER = select(receipts).where(receipts.c.order_id == bindparam("order_key")).order_by(receipts.c.id)
_LINES = (
    select(
        receipt_lines,
        purchase_order_lines.c.line_no,
        items.c.sku,
        locations.c.code.label("location_code"),
        lots.c.code.label("lot_code"),
        lots.c.expiry_date,
    )
    .join_from(receipt_lines, purchase_order_lines, receipt_lines.c.order_line_id == purchase_order_lines.c.id)
    .join(items, receipt_lines.c.item_id == items.c.id)
    .join(locations, receipt_lines.c.location_id == locations.c.id)
    .outerjoin(lots, receipt_lines.c.lot_id == lots.c.id)
    .where(receipt_lines.c.receipt_id == _RECEIPT_ID)
    .order_by(receipt_lines.c.id)
)
_ADD_LANDED_COST = insert(landed_costs)
_ADD_SHARES = insert(landed_cost_allocations)
_LANDED_COSTS = select(landed_costs).where(landed_costs.c.receipt_id == _RECEIPT_ID).order_by(landed_costs.c.id)
_SHARES = (
    select(landed_cost_allocations, items.c.sku)
    .join_from(
        landed_cost_allocations, receipt_lines, landed_cost_allocations.c.receipt_line_id == receipt_lines.c.id
    )
    .join(items, receipt_lines.c.item_id == items.c.id)
    .where(receipt_lines.c.receipt_id == _RECEIPT_ID)
    .order_by(landed_cost_allocations.c.landed_cost_id, landed_cost_allocations.c.receipt_line_id)
)
_COUNT = select(func.count()).select_from(receipts)


class ReceiptRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, values: dict[str, Any], lines: list[dict[str, Any]]) -> tuple[int, list[int]]:
        """Insert a receipt and its lines; the receipt id and the line ids, in order."""
        receipt_id = int(self._conn.execute(_ADD, values).inserted_primary_key[0])
        rows = self._conn.execute(_ADD_LINES, [{**line, "receipt_id": receipt_id} for line in lines])
        return receipt_id, [int(row[0]) for row in rows]

    def set_reference(self, receipt_id: int, reference: str) -> None:
        self._conn.execute(_SET_REFERENCE, {"receipt_key": receipt_id, "new_reference": reference})

    def get(self, receipt_id: int) -> Any:
        return self._conn.execute(_GET, {"receipt_key": receipt_id}).first()

    def by_reference(self, reference: str) -> Any:
        return self._conn.execute(_BY_REFERENCE, {"reference": reference}).first()

    def for_order(self, order_id: int) -> list[Any]:
        return list(self._conn.execute(_FOR_ORDER, {"order_key": order_id}))

    def count(self) -> int:
        return int(self._conn.execute(_COUNT).scalar_one())

    def line_rows(self, receipt_id: int) -> list[Any]:
        return list(self._conn.execute(_LINES, {"receipt_key": receipt_id}))

    def lines(self, receipt_id: int, landed: dict[int, Decimal]) -> list[ReceiptLineView]:
        return [
            ReceiptLineView(
                id=row.id, line_no=row.line_no, sku=row.sku, location=row.location_code, lot=row.lot_code,
                expiry_date=row.expiry_date, quantity=row.quantity, unit_cost=row.unit_cost,
                landed_cost=landed.get(row.id, Decimal(0)),
            )
            for row in self.line_rows(receipt_id)
        ]

    def add_landed_cost(self, values: dict[str, Any], shares: list[tuple[int, Decimal]]) -> int:
        landed_cost_id = int(self._conn.execute(_ADD_LANDED_COST, values).inserted_primary_key[0])
        self._conn.execute(
            _ADD_SHARES,
            [
                {"landed_cost_id": landed_cost_id, "receipt_line_id": line_id, "amount": amount}
                for line_id, amount in shares
            ],
        )
        return landed_cost_id

    def landed_costs(self, receipt_id: int) -> list[LandedCostView]:
        shares: dict[int, list[LandedCostShareView]] = defaultdict(list)
        for row in self._conn.execute(_SHARES, {"receipt_key": receipt_id}):
            shares[row.landed_cost_id].append(LandedCostShareView(row.receipt_line_id, row.sku, row.amount))
        return [
            LandedCostView(
                id=row.id, kind=row.kind, amount=row.amount, currency=row.currency,
                exchange_rate=row.exchange_rate, method=row.method, reference=row.reference,
                created_at=row.created_at, allocations=tuple(shares[row.id]),
            )
            for row in self._conn.execute(_LANDED_COSTS, {"receipt_key": receipt_id})
        ]
