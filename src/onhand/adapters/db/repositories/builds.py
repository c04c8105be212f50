"""Build orders, build runs (one posting each) and the lot genealogy they record."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from onhand.adapters.db.repositories.publishing import Publish, ignore
from onhand.adapters.db.tables import items, locations, lots
from onhand.adapters.db.tables.assemblies import build_orders, build_runs, lot_genealogy
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.assemblies.builds import BuildStatus
from onhand.domain.assemblies.events import BuildStatusChanged
from onhand.domain.assemblies.records import (
    BuildOrderRecord,
    BuiltSoFar,
    LinkRecord,
)
from onhand.domain.assemblies.views import BuildOrderView, BuildRunView, GenealogyLine, GenealogyLink

OPEN_STATUSES = [s.value for s in BuildStatus if s.is_open]


_ORDERS = (
    select(build_orders, items.c.sku, locations.c.code.label("location_code"))
    .join_from(build_orders, items, build_orders.c.item_id == items.c.id)
    .join(locations, build_orders.c.location_id == locations.c.id)
)
_ORDER_BY_REFERENCE = _ORDERS.where(build_orders.c.reference == bindparam("reference"))
_ORDER_BY_ID = _ORDERS.where(build_orders.c.id == bindparam("order_id"))
_ADD_ORDER = insert(build_orders)
_SET_REFERENCE = (
    update(build_orders).where(build_orders.c.id == bindparam("b_id")).values(reference=bindparam("b_reference"))
)
# Guarded: a run builds only what is left, on an order still open (concurrent runs cannot overbuild).
_RECORD_BUILT = (
    update(build_orders)
    .where(
        build_orders.c.id == bindparam("b_id"),
        build_orders.c.status.in_(OPEN_STATUSES),
        build_orders.c.built + bindparam("b_quantity", type_=ScaledDecimal()) <= build_orders.c.quantity,
    )
    .values(
        built=build_orders.c.built + bindparam("b_quantity", type_=ScaledDecimal()),
        updated_at=bindparam("b_now"),
    )
    .returning(build_orders.c.built, build_orders.c.quantity, build_orders.c.status)
)
_SET_STATUS = (
    update(build_orders)
    .where(build_orders.c.id == bindparam("b_id"), build_orders.c.status == bindparam("b_from"))
    .values(status=bindparam("b_to"), updated_at=bindparam("b_now"))
)
_ADD_RUN = insert(build_runs)
_ADD_LINK = insert(lot_genealogy)

_RUN_LOT = lots.alias("run_lot")
_RUNS = (
    select(
        build_runs, items.c.sku, _RUN_LOT.c.code.label("lot_code"),
        locations.c.code.label("location_code"), build_orders.c.reference.label("order_reference"),
    )
    .join_from(build_runs, items, build_runs.c.item_id == items.c.id)
    .join(locations, build_runs.c.location_id == locations.c.id)
    .outerjoin(_RUN_LOT, build_runs.c.lot_id == _RUN_LOT.c.id)
    .outerjoin(build_orders, build_runs.c.build_order_id == build_orders.c.id)
    .order_by(build_runs.c.id)
)
_RUNS_OF_ORDER = _RUNS.where(build_runs.c.build_order_id == bindparam("order_id"))
_RUN_BY_ID = _RUNS.where(build_runs.c.id == bindparam("run_id"))

_P_ITEM, _C_ITEM = items.alias("p_item"), items.alias("c_item")
_P_LOT, _C_LOT = lots.alias("p_lot"), lots.alias("c_lot")
_LINKS = (
    select(
        lot_genealogy.c.run_id, lot_genealogy.c.parent_lot_id, lot_genealogy.c.child_lot_id,
        lot_genealogy.c.child_item_id, lot_genealogy.c.quantity,
        build_runs.c.kind, build_runs.c.posting_id, build_runs.c.created_at,
        build_orders.c.reference.label("order_reference"), locations.c.code.label("location_code"),
        _P_ITEM.c.sku.label("parent_sku"), _P_LOT.c.code.label("parent_lot"),
        _C_ITEM.c.sku.label("child_sku"), _C_LOT.c.code.label("child_lot"),
        _C_LOT.c.expiry_date.label("child_expiry"),
    )
    .join_from(lot_genealogy, build_runs, lot_genealogy.c.run_id == build_runs.c.id)
    .outerjoin(build_orders, build_runs.c.build_order_id == build_orders.c.id)
    .join(locations, build_runs.c.location_id == locations.c.id)
    .join(_P_ITEM, lot_genealogy.c.parent_item_id == _P_ITEM.c.id)
    .outerjoin(_P_LOT, lot_genealogy.c.parent_lot_id == _P_LOT.c.id)
    .join(_C_ITEM, lot_genealogy.c.child_item_id == _C_ITEM.c.id)
    .outerjoin(_C_LOT, lot_genealogy.c.child_lot_id == _C_LOT.c.id)
    .order_by(lot_genealogy.c.id)
)
_LINKS_OF_RUNS = _LINKS.where(lot_genealogy.c.run_id.in_(bindparam("run_ids", expanding=True)))
_LINKS_INTO = _LINKS.where(lot_genealogy.c.parent_lot_id.in_(bindparam("lot_ids", expanding=True)))
_LINKS_FROM = _LINKS.where(lot_genealogy.c.child_lot_id.in_(bindparam("lot_ids", expanding=True)))


def _record(row: Any) -> BuildOrderRecord:
    return BuildOrderRecord(
        id=row.id, reference=row.reference, item_id=row.item_id, location_id=row.location_id,
        quantity=row.quantity, built=row.built, status=BuildStatus(row.status),
    )


def _link(row: Any) -> LinkRecord:
    return LinkRecord(
        link=GenealogyLink(
            run_id=row.run_id, kind=row.kind, build_order=row.order_reference, posting_id=row.posting_id,
            location=row.location_code, created_at=row.created_at, parent_sku=row.parent_sku,
            parent_lot=row.parent_lot, child_sku=row.child_sku, child_lot=row.child_lot, quantity=row.quantity,
        ),
        parent_lot_id=row.parent_lot_id, child_lot_id=row.child_lot_id, child_item_id=row.child_item_id,
    )


class BuildRepository:
    def __init__(self, conn: Connection, publish: Publish = ignore) -> None:
        self._conn = conn
        self._publish = publish

    # --- build orders ----------------------------------------------------------------

    def add_order(
        self, *, reference: str | None, item_id: int, location_id: int, quantity: Decimal,
        note: str | None, now: datetime,
    ) -> int:
        """Insert a draft order; without a reference it holds a unique placeholder until
        `set_reference` gives it its number (which needs the id)."""
        result = self._conn.execute(
            _ADD_ORDER,
            {
                "reference": reference or f"~{uuid.uuid4().hex}",
                "item_id": item_id, "location_id": location_id, "quantity": quantity, "built": Decimal(0),
                "status": BuildStatus.DRAFT.value, "note": note, "created_at": now, "updated_at": now,
            },
        )
        order_id = int(result.inserted_primary_key[0])
        self._publish(BuildStatusChanged(order_id, BuildStatus.DRAFT.value, None))
        return order_id

    def set_reference(self, order_id: int, reference: str) -> None:
        self._conn.execute(_SET_REFERENCE, {"b_id": order_id, "b_reference": reference})

    def by_reference(self, reference: str) -> BuildOrderRecord | None:
        row = self._conn.execute(_ORDER_BY_REFERENCE, {"reference": reference}).first()
        return _record(row) if row else None

    def record_built(self, order_id: int, quantity: Decimal, now: datetime) -> BuiltSoFar | None:
        """Add `quantity` to what the order built, if it is open and that much is left;
        what the order has built as stored now (its row stays locked until commit), else None."""
        row = self._conn.execute(_RECORD_BUILT, {"b_id": order_id, "b_quantity": quantity, "b_now": now}).first()
        return BuiltSoFar(row.built, row.quantity, BuildStatus(row.status)) if row else None

    def set_status(self, order_id: int, *, current: BuildStatus, new: BuildStatus, now: datetime) -> bool:
        result = self._conn.execute(
            _SET_STATUS, {"b_id": order_id, "b_from": current.value, "b_to": new.value, "b_now": now}
        )
        if result.rowcount != 1:
            return False
        if new is not current:
            self._publish(BuildStatusChanged(order_id, new.value, current.value))
        return True

    def view(self, order_id: int) -> BuildOrderView | None:
        row = self._conn.execute(_ORDER_BY_ID, {"order_id": order_id}).first()
        if row is None:
            return None
        runs = self._runs(self._conn.execute(_RUNS_OF_ORDER, {"order_id": order_id}).all())
        return _order_view(row, tuple(runs))

    def view_after_run(self, run_id: int) -> BuildOrderView | None:
        """The order a run belongs to, with that run only (a build's answer stays small
        however many runs the order has had)."""
        rows = self._conn.execute(_RUN_BY_ID, {"run_id": run_id}).all()
        if not rows or rows[0].build_order_id is None:
            return None
        row = self._conn.execute(_ORDER_BY_ID, {"order_id": rows[0].build_order_id}).first()
        return _order_view(row, tuple(self._runs(rows)))

    def list(self, *, status: BuildStatus | None, limit: int, offset: int) -> list[BuildOrderView]:
        query = _ORDERS.order_by(build_orders.c.id.desc()).limit(limit).offset(offset)
        if status is not None:
            query = query.where(build_orders.c.status == status.value)
        return [_order_view(row, ()) for row in self._conn.execute(query)]

    # --- runs and genealogy --------------------------------------------------------------

    def add_run(
        self, *, kind: str, order_id: int | None, posting_id: int, item_id: int, lot_id: int | None,
        location_id: int, quantity: Decimal, reference: str | None, now: datetime,
    ) -> int:
        result = self._conn.execute(
            _ADD_RUN,
            {
                "kind": kind, "build_order_id": order_id, "posting_id": posting_id, "item_id": item_id,
                "lot_id": lot_id, "location_id": location_id, "quantity": quantity, "reference": reference,
                "created_at": now,
            },
        )
        return int(result.inserted_primary_key[0])

    def add_links(
        self, run_id: int, parent: tuple[int, int | None], children: Iterable[tuple[int, int | None, Decimal]]
    ) -> None:
        rows = [
            {
                "run_id": run_id, "parent_item_id": parent[0], "parent_lot_id": parent[1],
                "child_item_id": item_id, "child_lot_id": lot_id, "quantity": quantity,
            }
            for item_id, lot_id, quantity in children
        ]
        if rows:
            self._conn.execute(_ADD_LINK, rows)

    def run(self, run_id: int) -> BuildRunView | None:
        rows = self._conn.execute(_RUN_BY_ID, {"run_id": run_id}).all()
        runs = self._runs(rows)
        return runs[0] if runs else None

    def _runs(self, rows: list[Any]) -> list[BuildRunView]:
        if not rows:
            return []
        lines: dict[int, list[GenealogyLine]] = defaultdict(list)
        for r in self._conn.execute(_LINKS_OF_RUNS, {"run_ids": [row.id for row in rows]}):
            lines[r.run_id].append(GenealogyLine(r.child_sku, r.child_lot, r.quantity, r.child_expiry))
        return [
            BuildRunView(
                id=row.id, kind=row.kind, build_order=row.order_reference, posting_id=row.posting_id,
                sku=row.sku, lot=row.lot_code, location=row.location_code, quantity=row.quantity,
                reference=row.reference, created_at=row.created_at, components=tuple(lines[row.id]),
            )
            for row in rows
        ]

    def links_into(self, lot_ids: list[int]) -> list[LinkRecord]:
        """Edges whose parent (the assembled lot) is one of `lot_ids`."""
        return [_link(r) for r in self._conn.execute(_LINKS_INTO, {"lot_ids": lot_ids})] if lot_ids else []

    def links_from(self, lot_ids: list[int]) -> list[LinkRecord]:
        """Edges whose child (a component lot) is one of `lot_ids`."""
        return [_link(r) for r in self._conn.execute(_LINKS_FROM, {"lot_ids": lot_ids})] if lot_ids else []


def _order_view(row: Any, runs: tuple[BuildRunView, ...]) -> BuildOrderView:
    return BuildOrderView(
        id=row.id, reference=row.reference, sku=row.sku, location=row.location_code, quantity=row.quantity,
        built=row.built, status=row.status, note=row.note, created_at=row.created_at,
        updated_at=row.updated_at, runs=runs,
    )
