"""Planning's own rows: reorder rules and alerts; with the snapshot it reads
(planning_snapshot.py), `uow.planning`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update
from sqlalchemy.sql import Select

from onhand.adapters.db import bulk_reads
from onhand.adapters.db.repositories.planning_snapshot import PlanningSnapshot
from onhand.adapters.db.tables import items, locations
from onhand.adapters.db.tables.planning import planning_alerts, reorder_rules
from onhand.adapters.db.tables.purchasing import suppliers
from onhand.domain.planning.records import OpenAlert
from onhand.domain.planning.rules import ReorderRule


def _items(query: Select[Any], column: Any, item_ids: list[int] | None) -> Select[Any]:
    return query if item_ids is None else query.where(column.in_(item_ids))


_supplier = suppliers.alias("preferred")
_r = reorder_rules.c
# In the order of ReorderRule's fields (the timestamps are not read: suggestions read 100,000 rules).
_RULES_ANY_ORDER = (
    select(
        _r.id, _r.item_id, items.c.sku, _r.location_id, locations.c.code, _r.minimum, _r.maximum,
        _r.reorder_quantity, _r.safety_stock, _r.service_level, _r.supplier_id, _supplier.c.code, _r.lead_time_days,
        _r.min_order_quantity, _r.order_multiple, _r.demand_window_days,
    )
    .join_from(reorder_rules, items, _r.item_id == items.c.id)
    .join(locations, _r.location_id == locations.c.id)
    .outerjoin(_supplier, _r.supplier_id == _supplier.c.id)
)
_RULES = _RULES_ANY_ORDER.order_by(items.c.sku, locations.c.code)


class PlanningRepository(PlanningSnapshot):
    """`uow.planning` (the snapshot's reads are in planning_snapshot.py)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- reorder rules ---------------------------------------------------------------

    def rules(self, *, item_ids: list[int] | None = None, ordered: bool = True) -> list[ReorderRule]:
        """By SKU and site; `ordered=False` for a planner that keys them itself."""
        query = _items(_RULES if ordered else _RULES_ANY_ORDER, reorder_rules.c.item_id, item_ids)
        return bulk_reads.rows(self._conn, query, ReorderRule._make)

    def save_rule(self, item_id: int, location_id: int, values: dict[str, Any], at: datetime) -> int:
        where = and_(reorder_rules.c.item_id == item_id, reorder_rules.c.location_id == location_id)
        found = self._conn.execute(select(reorder_rules.c.id).where(where)).scalar()
        if found is not None:
            self._conn.execute(update(reorder_rules).where(where).values(**values, updated_at=at))
            return int(found)
        result = self._conn.execute(insert(reorder_rules).values(
            item_id=item_id, location_id=location_id, **values, created_at=at, updated_at=at))
        return int(result.inserted_primary_key[0])

    def remove_rule(self, item_id: int, location_id: int) -> bool:
        result = self._conn.execute(delete(reorder_rules).where(
            reorder_rules.c.item_id == item_id, reorder_rules.c.location_id == location_id))
        return result.rowcount > 0

    # --- alerts ----------------------------------------------------------------------

    def open_alerts(self) -> list[OpenAlert]:
        query = select(planning_alerts.c.key, planning_alerts.c.kind, planning_alerts.c.item_id,
                       planning_alerts.c.location_id, planning_alerts.c.lot_id, planning_alerts.c.quantity,
                       planning_alerts.c.day, planning_alerts.c.message).where(
            planning_alerts.c.cleared_at.is_(None)).order_by(planning_alerts.c.id)
        return [OpenAlert(*row) for row in self._conn.execute(query)]

    def raise_alert(
        self, *, key: str, kind: str, item_id: int, location_id: int, lot_id: int | None, quantity: Decimal,
        day: date | None, message: str, at: datetime,
    ) -> None:
        self._conn.execute(insert(planning_alerts).values(
            key=key, kind=kind, item_id=item_id, location_id=location_id, lot_id=lot_id, quantity=quantity,
            day=day, message=message[:400], raised_at=at))

    def clear_alerts(self, keys: list[str], at: datetime) -> None:
        if keys:
            self._conn.execute(update(planning_alerts).where(
                planning_alerts.c.key.in_(keys), planning_alerts.c.cleared_at.is_(None)).values(cleared_at=at))
