"""Changes of costing method (`costing_method_changes`) and what making one needs to read and write."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, union

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.sums import exact_sum
from onhand.adapters.db.tables import items, locations, moves, postings
from onhand.adapters.db.tables.costing_changes import costing_method_changes as changes
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, item_costing, move_values
from onhand.domain.catalog.locations import INTERNAL_KINDS

_INTERNAL_KINDS = sorted(kind.value for kind in INTERNAL_KINDS)
# Asked by every posting's valuation: built once.
_NEWEST_AT = Hot(select(func.max(changes.c.effective_at)).where(
    or_(changes.c.item_id.is_(None), changes.c.item_id.in_(bindparam("ids", expanding=True)))))


class CostingChangeRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def newest_move_id(self) -> int:
        return int(self._conn.execute(select(func.coalesce(func.max(moves.c.id), 0))).scalar_one())

    def add(self, *, item_id: int | None, method: str | None, previous: str | None, effective_at: datetime,
            after_move_id: int, created_at: datetime) -> int:
        result = self._conn.execute(insert(changes).values(
            item_id=item_id, method=method, previous=previous, effective_at=effective_at,
            after_move_id=after_move_id, created_at=created_at))
        return int(result.inserted_primary_key[0])

    def newest_at(self, item_ids: Iterable[int]) -> datetime | None:
        """When the newest change of the company's method, or of one of these items' own, was made."""
        found: datetime | None = _NEWEST_AT.one(self._conn, {"ids": sorted(set(item_ids))})[0]
        return found

    def settings(self, item_ids: Iterable[int] | None = None) -> list[Any]:
        """The company's changes and those of these items (or of every item), oldest first."""
        query = select(changes).order_by(changes.c.effective_at, changes.c.after_move_id, changes.c.id)
        if item_ids is not None:
            ids = sorted(set(item_ids))
            query = query.where(or_(changes.c.item_id.is_(None), changes.c.item_id.in_(ids)))
        return list(self._conn.execute(query))

    def listing(self, item_id: int | None = None) -> list[Any]:
        """Every change (with the item's SKU), or the company's and one item's, oldest first."""
        query = (
            select(changes, items.c.sku)
            .select_from(changes.outerjoin(items, items.c.id == changes.c.item_id))
            .order_by(changes.c.effective_at, changes.c.after_move_id, changes.c.id)
        )
        if item_id is not None:
            query = query.where(or_(changes.c.item_id.is_(None), changes.c.item_id == item_id))
        return list(self._conn.execute(query))

    def valued_items(self, *, following_company: bool, item_ids: Iterable[int] | None = None) -> list[int]:
        """Items with valued moves or cost pools (of these; only those without an own method, if asked)."""
        query = union(select(move_values.c.item_id).distinct(), select(cost_pools.c.item_id).distinct()).subquery()
        found = select(query.c.item_id)
        if following_company:
            found = found.where(query.c.item_id.not_in(select(item_costing.c.item_id)))
        if item_ids is not None:
            found = found.where(query.c.item_id.in_(sorted(set(item_ids))))
        return sorted(int(r[0]) for r in self._conn.execute(found))

    def lots_at(self, item_id: int, position: tuple[datetime, int]) -> dict[int, dict[int, Decimal]]:
        """The item's on hand per internal location and lot just after the move at `position` (from the ledger)."""
        at, move_id = position
        found: dict[int, dict[int, Decimal]] = defaultdict(dict)
        upto = or_(postings.c.effective_at < at, and_(postings.c.effective_at == at, moves.c.id <= move_id))
        for column, sign in ((moves.c.to_location_id, 1), (moves.c.from_location_id, -1)):
            query = (
                select(column.label("location_id"), moves.c.lot_id, exact_sum(moves.c.quantity).label("quantity"))
                .select_from(moves.join(postings, postings.c.id == moves.c.posting_id)
                             .join(locations, locations.c.id == column))
                .where(moves.c.item_id == item_id, moves.c.lot_id.is_not(None), upto,
                       locations.c.kind.in_(_INTERNAL_KINDS))
                .group_by(column, moves.c.lot_id)
            )
            for r in self._conn.execute(query):
                lots = found[int(r.location_id)]
                lots[int(r.lot_id)] = lots.get(int(r.lot_id), Decimal(0)) + sign * r.quantity
        return {loc: {lot: q for lot, q in lots.items() if q != 0} for loc, lots in found.items()}

    def drop_pools(self, item_ids: Iterable[int]) -> None:
        """Drop every pool (and layer) of these items: they are written anew under another method."""
        ids = sorted(set(item_ids))
        for chunk in range(0, len(ids), 5000):
            part = ids[chunk:chunk + 5000]
            self._conn.execute(delete(cost_layers).where(cost_layers.c.item_id.in_(part)))
            self._conn.execute(delete(cost_pools).where(cost_pools.c.item_id.in_(part)))
