"""Costing methods, move values and writing the current cost layers; with their reads
(cost_pool_reads.py), `uow.valuation` (see services/valuation/posting_values.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.repositories.cost_pool_reads import LAYER_MATCH, CostPoolReads, PoolRow
from onhand.adapters.db.tables import balances, company, items, moves
from onhand.adapters.db.tables.costing_changes import costing_method_changes
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, item_costing, move_values
from onhand.domain.valuation.cost_layers import PoolSnapshot
from onhand.domain.valuation.stored_pools import PoolChange

_MOVE_IDS = select(moves.c.id).where(moves.c.posting_id == bindparam("posting_id")).order_by(moves.c.id)
_SET_COMPANY_METHOD = update(company).where(company.c.id == 1).values(costing_method=bindparam("method"))
_COMPANY_METHOD = select(company.c.costing_method).where(company.c.id == 1)
_PRICE_DIFFERENCES = select(company.c.purchase_price_differences).where(company.c.id == 1)
_SET_PRICE_DIFFERENCES = update(company).where(company.c.id == 1).values(
    purchase_price_differences=bindparam("chosen"))
_ITEM_METHODS = select(item_costing).where(item_costing.c.item_id.in_(bindparam("ids", expanding=True)))
_ALL_ITEM_METHODS = select(item_costing)
_IDS = bindparam("ids", expanding=True)
# When the company's method, or one of these items' own, was last changed (a posting before it
# is valued in its history): asked with the methods, in the same statement.
_CHANGED_AT = (
    select(func.max(costing_method_changes.c.effective_at))
    .where(or_(costing_method_changes.c.item_id.is_(None), costing_method_changes.c.item_id.in_(_IDS)))
    .scalar_subquery()
)
_METHODS = Hot(
    select(company.c.costing_method, item_costing.c.item_id, item_costing.c.method, _CHANGED_AT.label("changed_at"))
    .select_from(company.outerjoin(item_costing, item_costing.c.item_id.in_(_IDS)))
    .where(company.c.id == 1)
)
_DROP_ITEM_METHOD = delete(item_costing).where(item_costing.c.item_id == bindparam("item_id"))
_ADD_ITEM_METHOD = insert(item_costing)
_ITEM_HAS_VALUES = select(move_values.c.move_id).where(move_values.c.item_id == bindparam("item_id")).limit(1)
_ANY_VALUES = select(move_values.c.move_id).limit(1)
# Valuing an item is serialized per item: its lots share one FIFO / average pool but
# not one balance row, so the balances' guarded updates do not order them. FOR NO KEY
# UPDATE leaves the item's foreign-key checks (new moves, lots) unblocked.
_LOCK_ITEMS = Hot(
    select(items.c.id)
    .where(items.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(items.c.id)
    .with_for_update(key_share=True)
)
_ITEM_SKUS = select(items.c.id, items.c.sku)
_POOL_MATCH = and_(
    cost_pools.c.item_id == bindparam("b_item"),
    cost_pools.c.location_id == bindparam("b_location"),
    cost_pools.c.lot_key == bindparam("b_lot"),
)
_DROP_POOL = Hot(delete(cost_pools).where(_POOL_MATCH))
_DROP_LAYERS = Hot(delete(cost_layers).where(
    cost_layers.c.item_id == bindparam("b_item"),
    cost_layers.c.location_id == bindparam("b_location"),
    cost_layers.c.lot_key == bindparam("b_lot"),
))
_TAKE_LAYERS = Hot(delete(cost_layers).where(*LAYER_MATCH, cost_layers.c.position <= bindparam("b_through")))
_SPLIT_LAYER = Hot(update(cost_layers).where(*LAYER_MATCH, cost_layers.c.position == bindparam("b_position")).values(
    quantity=bindparam("b_quantity", type_=cost_layers.c.quantity.type),
    value=bindparam("b_value", type_=cost_layers.c.value.type)))
_SET_POOL = Hot(update(cost_pools).where(_POOL_MATCH).values(
    deficit_quantity=bindparam("b_deficit_quantity", type_=cost_pools.c.deficit_quantity.type),
    deficit_value=bindparam("b_deficit_value", type_=cost_pools.c.deficit_value.type),
    last_unit_cost=bindparam("b_last_unit_cost"), layer_count=bindparam("b_layer_count"),
    layers_quantity=bindparam("b_layers_quantity", type_=cost_pools.c.layers_quantity.type),
    layers_value=bindparam("b_layers_value", type_=cost_pools.c.layers_value.type)))
_ADD_POOL = Hot(insert(cost_pools))
_ADD_LAYER = Hot(insert(cost_layers))
_ADD_VALUE = Hot(insert(move_values))
_POSTING_VALUES = (
    select(
        moves.c.id, moves.c.item_id, moves.c.lot_id, moves.c.from_location_id, moves.c.to_location_id,
        moves.c.quantity, move_values.c.role, move_values.c.value, move_values.c.variance, move_values.c.basis,
    )
    .join_from(moves, move_values, move_values.c.move_id == moves.c.id)
    .where(moves.c.posting_id == bindparam("posting_id"))
    .order_by(moves.c.id)
)

_LOT_BALANCES = select(balances.c.item_id, balances.c.location_id, balances.c.lot_key, balances.c.on_hand).where(
    balances.c.lot_key != 0, balances.c.on_hand != 0
)


class ValuationRepository(CostPoolReads):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def move_ids(self, posting_id: int) -> list[int]:
        return [int(r.id) for r in self._conn.execute(_MOVE_IDS, {"posting_id": posting_id})]

    def company_method(self) -> str:
        return str(self._conn.execute(_COMPANY_METHOD).scalar_one())

    def set_company_method(self, method: str) -> None:
        self._conn.execute(_SET_COMPANY_METHOD, {"method": method})

    def price_differences(self) -> str:
        """Where a receipt's difference from its order's unit cost goes: to_stock or variance."""
        return str(self._conn.execute(_PRICE_DIFFERENCES).scalar_one())

    def set_price_differences(self, chosen: str) -> None:
        self._conn.execute(_SET_PRICE_DIFFERENCES, {"chosen": chosen})

    def item_methods(self, item_ids: Iterable[int] | None = None) -> dict[int, str]:
        if item_ids is None:
            return {int(r.item_id): r.method for r in self._conn.execute(_ALL_ITEM_METHODS)}
        ids = sorted(set(item_ids))
        if not ids:
            return {}
        return {int(r.item_id): r.method for r in self._conn.execute(_ITEM_METHODS, {"ids": ids})}

    def set_item_method(self, item_id: int, method: str | None) -> None:
        self._conn.execute(_DROP_ITEM_METHOD, {"item_id": item_id})
        if method is not None:
            self._conn.execute(_ADD_ITEM_METHOD, {"item_id": item_id, "method": method})

    def has_values(self, item_id: int | None = None) -> bool:
        if item_id is None:
            return self._conn.execute(_ANY_VALUES).first() is not None
        return self._conn.execute(_ITEM_HAS_VALUES, {"item_id": item_id}).first() is not None

    def lock_items(self, item_ids: list[int]) -> None:
        """Hold these items' valuation until commit (PostgreSQL row locks; SQLite writers are
        serial, every write transaction begins IMMEDIATE: nothing to do there)."""
        if item_ids and self._conn.dialect.name != "sqlite":
            _LOCK_ITEMS.rows(self._conn, {"ids": sorted(item_ids)})

    def methods(self, item_ids: Iterable[int]) -> tuple[str, dict[int, str], datetime | None]:
        """The company's costing method, these items' own, and when the newest change of the
        company's or of theirs was made (None: never), in one statement."""
        rows = _METHODS.rows(self._conn, {"ids": sorted(set(item_ids))})
        return str(rows[0][0]), {int(r[1]): r[2] for r in rows if r[1] is not None}, rows[0][3]

    def item_skus(self) -> dict[int, str]:
        return {int(r.id): r.sku for r in self._conn.execute(_ITEM_SKUS)}

    def save_pool_changes(self, changes: list[PoolChange]) -> None:
        """Write what postings did to pools read in part (`stored_pools.change_of`)."""
        if not changes:
            return
        changes = sorted(changes, key=lambda change: change.key)

        def match(key: PoolRow) -> dict[str, int]:
            return {"b_item": key[0], "b_location": key[1], "b_lot": key[2]}

        taken = [{**match(c.key), "b_through": c.taken_through} for c in changes if c.taken_through is not None]
        if taken:
            _TAKE_LAYERS.many(self._conn, taken)
        split = [{**match(c.key), "b_position": c.changed[0], "b_quantity": c.changed[1].quantity,
                  "b_value": c.changed[1].value} for c in changes if c.changed is not None]
        if split:
            _SPLIT_LAYER.many(self._conn, split)
        added = [
            {"item_id": c.key[0], "location_id": c.key[1], "lot_key": c.key[2], "position": n,
             "opened_at": layer.opened_at, "origin_move_id": layer.origin, "quantity": layer.quantity,
             "value": layer.value}
            for c in changes for n, layer in c.added
        ]
        if added:
            _ADD_LAYER.many(self._conn, added)
        _SET_POOL.many(self._conn, [
            {**match(c.key), "b_deficit_quantity": c.deficit_quantity, "b_deficit_value": c.deficit_value,
             "b_last_unit_cost": None if c.last_unit_cost is None else str(c.last_unit_cost),
             "b_layer_count": c.layer_count, "b_layers_quantity": c.layers_quantity,
             "b_layers_value": c.layers_value}
            for c in changes
        ])

    def save_pools(self, pools: Mapping[PoolRow, PoolSnapshot]) -> None:
        """Replace these pools (layers and all) with what they hold now."""
        if not pools:
            return
        keys = [{"b_item": k[0], "b_location": k[1], "b_lot": k[2]} for k in sorted(pools)]
        _DROP_LAYERS.many(self._conn, keys)
        _DROP_POOL.many(self._conn, keys)
        stored = {k: [layer for layer in p.layers if layer.quantity > 0] for k, p in pools.items()}
        _ADD_POOL.many(self._conn, [
            {"item_id": k[0], "location_id": k[1], "lot_key": k[2], "deficit_quantity": p.deficit_quantity,
             "deficit_value": p.deficit_value,
             "last_unit_cost": None if p.last_unit_cost is None else str(p.last_unit_cost),
             "layer_count": len(stored[k]), "layers_quantity": sum((layer.quantity for layer in stored[k]), Decimal(0)),
             "layers_value": sum((layer.value for layer in stored[k]), Decimal(0))}
            for k, p in sorted(pools.items())
        ])
        layers = [
            {"item_id": k[0], "location_id": k[1], "lot_key": k[2], "position": n, "opened_at": layer.opened_at,
             "origin_move_id": layer.origin, "quantity": layer.quantity, "value": layer.value}
            for k in sorted(pools) for n, layer in enumerate(stored[k])
        ]
        if layers:
            _ADD_LAYER.many(self._conn, layers)

    def add_values(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            _ADD_VALUE.many(self._conn, rows)

    def posting_values(self, posting_id: int) -> list[Any]:
        return list(self._conn.execute(_POSTING_VALUES, {"posting_id": posting_id}))

    def lot_balances(self) -> dict[tuple[int, int], dict[int | None, Decimal]]:
        """On hand per lot, by (item, location): for sharing a pool of all lots among them."""
        found: dict[tuple[int, int], dict[int | None, Decimal]] = defaultdict(dict)
        for r in self._conn.execute(_LOT_BALANCES):
            found[(int(r.item_id), int(r.location_id))][int(r.lot_key)] = r.on_hand
        return dict(found)
