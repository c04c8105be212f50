"""Balances for listings, lean: plain tuples with quantities as scaled integers (10^-6).

A stock listing reads every balance of many items; building a Decimal and an object per
row would cost more than the query. Callers sum the integers and make Decimals once per
group.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Connection, bindparam, select, text, type_coerce

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables import balances, items, lots
from onhand.adapters.db.tables.core import HOLDING

# (item id, location id, lot key (0: none), on hand, reserved), quantities scaled.
LeanBalance = tuple[int, int, int, int, int]

_LEAN = select(
    balances.c.item_id, balances.c.location_id, balances.c.lot_key,
    type_coerce(balances.c.on_hand, BigInteger), type_coerce(balances.c.reserved, BigInteger),
).where(text(f"({HOLDING})"))  # as the partial index says it, so the planner may use it
# Narrowed to places only with items: (item, place) is the key's prefix. The virtual places'
# balances (a row per lot ever received or shipped) grow with history, so a read of a few
# items at their places must not reach them.
# Hot statements (adapters/db/hot.py): a one-item stock read asks at every call.
_LEAN_BY = {
    (by_item, by_lot, by_place): Hot(_LEAN.where(
        *([balances.c.item_id.in_(bindparam("item_ids", expanding=True))] if by_item else []),
        *([balances.c.location_id.in_(bindparam("location_ids", expanding=True))] if by_place else []),
        *([balances.c.lot_key == bindparam("lot_id")] if by_lot else []),
    ))
    for by_item in (False, True)
    for by_lot in (False, True)
    for by_place in ((False, True) if by_item else (False,))
}
_ALL_SKUS = select(items.c.id, items.c.sku)
_SKUS = Hot(_ALL_SKUS.where(items.c.id.in_(bindparam("ids", expanding=True))))
_ALL_LOTS = select(lots.c.id, lots.c.code, lots.c.status, lots.c.expiry_date)
_LOTS = Hot(_ALL_LOTS.where(lots.c.id.in_(bindparam("ids", expanding=True))))
# Beyond this many ids, reading the whole table is cheaper than a long IN list.
_MANY = 5000


class StockRowReader:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def balances(
        self, *, item_ids: list[int] | None, lot_id: int | None = None, location_ids: Iterable[int] | None = None,
    ) -> list[Any]:
        """Every non-zero balance of the items (all when None), optionally of one lot; of the
        items at `location_ids` only, when given (with items: otherwise a superset)."""
        by_place = item_ids is not None and location_ids is not None
        query = _LEAN_BY[(item_ids is not None, lot_id is not None, by_place)]
        return query.rows(self._conn, {"item_ids": item_ids or [], "lot_id": lot_id,
                                       "location_ids": sorted(location_ids or ())})

    def skus(self, item_ids: Iterable[int]) -> dict[int, str]:
        return dict(self._lookup(_ALL_SKUS, _SKUS, item_ids))  # type: ignore[arg-type]

    def lots(self, lot_ids: Iterable[int]) -> dict[int, tuple[str, str, date | None]]:
        """Code, status and expiry of each lot."""
        return {r[0]: (r[1], r[2], r[3]) for r in self._lookup(_ALL_LOTS, _LOTS, lot_ids)}

    def _lookup(self, everything: Any, some: Hot, ids: Iterable[int]) -> list[Any]:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        if len(wanted) > _MANY:
            return self._conn.execute(everything).all()
        return some.rows(self._conn, {"ids": wanted})
