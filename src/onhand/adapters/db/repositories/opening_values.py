"""Opening valuations (cost given to stock that predates valuation) and the on-hand they value."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, insert, literal, or_, select, type_coerce, union_all

from onhand.adapters.db.tables import balances, items, locations, lots, moves, postings
from onhand.adapters.db.tables.opening_values import opening_valuations, opening_values
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, item_costing, move_values
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.ledger.postings import OPENING_REASON, PostingKind
from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.value_history import ValueBasis

# (item id, location id, lot id or 0): one balance row.
BalanceRow = tuple[int, int, int]

_ON_HAND_OF = select(balances.c.item_id, balances.c.location_id, balances.c.lot_key, balances.c.on_hand).where(
    balances.c.on_hand != 0, balances.c.item_id.in_(bindparam("ids", expanding=True))
)
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

# Opening stock that came in at no cost (nothing given, no cost in its pool then).
_UNCOSTED_OPENING = (
    select(moves.c.id, moves.c.item_id, moves.c.to_location_id.label("location_id"), moves.c.lot_id,
           moves.c.quantity)
    .join_from(moves, postings, postings.c.id == moves.c.posting_id)
    .join(move_values, move_values.c.move_id == moves.c.id)
    .where(moves.c.item_id.in_(bindparam("ids", expanding=True)),
           move_values.c.role == MoveRole.ADJUSTMENT_IN.value, move_values.c.basis == ValueBasis.NO_COST.value,
           move_values.c.given_value.is_(None),
           or_(postings.c.kind == PostingKind.OPENING.value, postings.c.reason == OPENING_REASON))
    .order_by(moves.c.id)
)


def _gaps_query() -> Any:
    """Per pool: on hand at internal locations vs what its layers hold (less units owed), only
    where they differ; summed in SQL on the scaled integers, so exact and cheap when all agree."""
    zero = literal(0, ScaledDecimal)
    pool_lot = case((item_costing.c.method == bindparam("by_lot"), balances.c.lot_key), else_=0)
    held = (
        select(balances.c.item_id, balances.c.location_id, pool_lot.label("lot_key"),
               balances.c.on_hand.label("held"), zero.label("valued"))
        .join(locations, locations.c.id == balances.c.location_id)
        .outerjoin(item_costing, item_costing.c.item_id == balances.c.item_id)
        .where(balances.c.on_hand != 0, locations.c.kind.in_(bindparam("internal", expanding=True)))
    )
    layered = select(cost_layers.c.item_id, cost_layers.c.location_id, cost_layers.c.lot_key, zero,
                     cost_layers.c.quantity)
    owed = select(cost_pools.c.item_id, cost_pools.c.location_id, cost_pools.c.lot_key, zero,
                  zero - cost_pools.c.deficit_quantity).where(cost_pools.c.deficit_quantity != 0)
    parts = union_all(held, layered, owed).subquery()
    total_held = type_coerce(func.sum(parts.c.held), ScaledDecimal)
    total_valued = type_coerce(func.sum(parts.c.valued), ScaledDecimal)
    return (
        select(parts.c.item_id, parts.c.location_id, parts.c.lot_key, total_held.label("held"),
               total_valued.label("valued"))
        .group_by(parts.c.item_id, parts.c.location_id, parts.c.lot_key)
        .having(func.sum(parts.c.held) != func.sum(parts.c.valued))
    )


_GAPS = _gaps_query()


class OpeningValueRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def on_hand(self, item_ids: Iterable[int]) -> dict[BalanceRow, Decimal]:
        """On hand per balance row of these items (non-zero only), at every location."""
        rows = self._conn.execute(_ON_HAND_OF, {"ids": sorted(set(item_ids))})
        return {(int(r.item_id), int(r.location_id), int(r.lot_key)): r.on_hand for r in rows}

    def uncosted_opening(self, item_ids: Iterable[int]) -> list[Any]:
        """Opening stock moves of these items valued at no cost: id, item, location, lot, quantity."""
        return list(self._conn.execute(_UNCOSTED_OPENING, {"ids": sorted(set(item_ids))}))

    def gaps(self, *, internal_kinds: Iterable[str], by_lot_method: str) -> list[Any]:
        """Pools (item, location, lot key: the lot for items costed `by_lot_method`, else 0)
        whose on hand at internal locations differs from their layers less units owed."""
        params = {"internal": sorted(internal_kinds), "by_lot": by_lot_method}
        return list(self._conn.execute(_GAPS, params))

    def add(self, header: dict[str, Any], rows: list[dict[str, Any]]) -> int:
        valuation_id = int(self._conn.execute(_ADD, header).inserted_primary_key[0])
        self._conn.execute(_ADD_VALUES, [{**row, "valuation_id": valuation_id} for row in rows])
        return valuation_id

    def get(self, valuation_id: int) -> Any:
        return self._conn.execute(_GET, {"valuation_key": valuation_id}).first()

    def values(self, valuation_id: int) -> list[Any]:
        return list(self._conn.execute(_VALUES, {"valuation_key": valuation_id}))
