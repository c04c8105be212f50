"""Opening valuations (cost given to stock that predates valuation) and the on-hand they value."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select

from onhand.adapters.db.tables import balances, items, locations, lots
from onhand.adapters.db.tables.opening_values import opening_valuations, opening_values

# (item id, location id, lot id or 0): one balance row.
BalanceRow = tuple[int, int, int]

_ON_HAND = select(balances.c.item_id, balances.c.location_id, balances.c.lot_key, balances.c.on_hand).where(
    balances.c.on_hand != 0
)
_ON_HAND_OF = _ON_HAND.where(balances.c.item_id.in_(bindparam("ids", expanding=True)))
_ADD = insert(opening_valuations)
_ADD_VALUES = insert(opening_values)
_GET = select(opening_valuations).where(opening_valuations.c.id == bindparam("valuation_key"))
_VALUES = (
    select(opening_values, items.c.sku, locations.c.code.label("location_code"), lots.c.code.label("lot_code"))
    .join_from(opening_values, items, opening_values.c.item_id == items.c.id)
    .join(locations, opening_values.c.location_id == locations.c.id)
    .outerjoin(lots, lots.c.id == opening_values.c.lot_id)
    .where(opening_values.c.valuation_id == bindparam("valuation_key"))
    .order_by(opening_values.c.id)
)


class OpeningValueRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def on_hand(self, item_ids: Iterable[int] | None = None) -> dict[BalanceRow, Decimal]:
        """On hand per balance row (non-zero only), of these items or of every item."""
        if item_ids is None:
            rows = self._conn.execute(_ON_HAND)
        else:
            rows = self._conn.execute(_ON_HAND_OF, {"ids": sorted(set(item_ids))})
        return {(int(r.item_id), int(r.location_id), int(r.lot_key)): r.on_hand for r in rows}

    def add(self, header: dict[str, Any], rows: list[dict[str, Any]]) -> int:
        valuation_id = int(self._conn.execute(_ADD, header).inserted_primary_key[0])
        self._conn.execute(_ADD_VALUES, [{**row, "valuation_id": valuation_id} for row in rows])
        return valuation_id

    def get(self, valuation_id: int) -> Any:
        return self._conn.execute(_GET, {"valuation_key": valuation_id}).first()

    def values(self, valuation_id: int) -> list[Any]:
        return list(self._conn.execute(_VALUES, {"valuation_key": valuation_id}))
