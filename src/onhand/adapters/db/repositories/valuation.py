"""Costing methods, move values and the current cost layers (see services/valuation/posting_values.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    type_coerce,
    update,
)

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables import balances, company, items, moves
from onhand.adapters.db.tables.costing_changes import costing_method_changes
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, item_costing, move_values
from onhand.domain.valuation.cost_layers import Layer, PoolSnapshot, Rest
from onhand.domain.valuation.stored_pools import PoolChange, StoredPool

# (item id, location id, lot id or 0): one pool of value.
PoolRow = tuple[int, int, int]

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
_POOLS = select(cost_pools).where(cost_pools.c.item_id.in_(bindparam("ids", expanding=True)))
_LAYERS = (
    select(cost_layers)
    .where(cost_layers.c.item_id.in_(bindparam("ids", expanding=True)))
    .order_by(cost_layers.c.item_id, cost_layers.c.location_id, cost_layers.c.lot_key, cost_layers.c.position)
)
# Every pool and layer, scaled quantities and values read as the raw integers they are
# stored as (the report reads tens of thousands; `_scaled` is several times cheaper than
# the column type's conversion and gives the same Decimals).
_ALL_POOLS = select(
    cost_pools.c.item_id, cost_pools.c.location_id, cost_pools.c.lot_key,
    type_coerce(cost_pools.c.deficit_quantity, BigInteger).label("deficit_quantity"),
    type_coerce(cost_pools.c.deficit_value, BigInteger).label("deficit_value"), cost_pools.c.last_unit_cost,
)
_ALL_LAYERS = select(
    cost_layers.c.item_id, cost_layers.c.location_id, cost_layers.c.lot_key, cost_layers.c.opened_at,
    cost_layers.c.origin_move_id, type_coerce(cost_layers.c.quantity, BigInteger).label("quantity"),
    type_coerce(cost_layers.c.value, BigInteger).label("value"),
).order_by(cost_layers.c.item_id, cost_layers.c.location_id, cost_layers.c.lot_key, cost_layers.c.position)
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
# A posting's pools by key, and their layers: every one of a short pool; of a long one
# the oldest (in batches, until they cover what the posting takes) and the newest.
WHOLE_POOL = 32  # a pool of at most this many layers is read whole
_FIRST_BATCH = 16
_POOL_KEY = tuple_(cost_pools.c.item_id, cost_pools.c.location_id, cost_pools.c.lot_key)
_LAYER_KEY = tuple_(cost_layers.c.item_id, cost_layers.c.location_id, cost_layers.c.lot_key)
_LAYER_COLUMNS = (
    cost_layers.c.item_id, cost_layers.c.location_id, cost_layers.c.lot_key, cost_layers.c.position,
    cost_layers.c.opened_at, cost_layers.c.origin_move_id, type_coerce(cost_layers.c.quantity, BigInteger),
    type_coerce(cost_layers.c.value, BigInteger),
)
# Each pool's head and its newest layer (an index seek), which a pool read in part needs.
_NEWEST = cost_layers.alias("newest")
_NEWEST_POSITION = select(func.max(cost_layers.c.position)).where(
    cost_layers.c.item_id == cost_pools.c.item_id, cost_layers.c.location_id == cost_pools.c.location_id,
    cost_layers.c.lot_key == cost_pools.c.lot_key,
).scalar_subquery()
_POOLS_AT = Hot(select(
    cost_pools.c.item_id, cost_pools.c.location_id, cost_pools.c.lot_key,
    type_coerce(cost_pools.c.deficit_quantity, BigInteger), type_coerce(cost_pools.c.deficit_value, BigInteger),
    cost_pools.c.last_unit_cost, cost_pools.c.layer_count, type_coerce(cost_pools.c.layers_quantity, BigInteger),
    type_coerce(cost_pools.c.layers_value, BigInteger),
    _NEWEST.c.position, _NEWEST.c.opened_at, _NEWEST.c.origin_move_id,
).select_from(cost_pools.outerjoin(_NEWEST, and_(
    _NEWEST.c.item_id == cost_pools.c.item_id, _NEWEST.c.location_id == cost_pools.c.location_id,
    _NEWEST.c.lot_key == cost_pools.c.lot_key, _NEWEST.c.position == _NEWEST_POSITION,
))).where(_POOL_KEY.in_(bindparam("keys", expanding=True))))
_LAYERS_AT = Hot(select(*_LAYER_COLUMNS).where(_LAYER_KEY.in_(bindparam("keys", expanding=True))).order_by(
    cost_layers.c.item_id, cost_layers.c.location_id, cost_layers.c.lot_key, cost_layers.c.position))
_LAYER_MATCH = (
    cost_layers.c.item_id == bindparam("b_item"),
    cost_layers.c.location_id == bindparam("b_location"),
    cost_layers.c.lot_key == bindparam("b_lot"),
)
_OLDEST_LAYERS = Hot(
    select(*_LAYER_COLUMNS).where(*_LAYER_MATCH, cost_layers.c.position > bindparam("after"))
    .order_by(cost_layers.c.position).limit(bindparam("batch"))
)
_TAKE_LAYERS = Hot(delete(cost_layers).where(*_LAYER_MATCH, cost_layers.c.position <= bindparam("b_through")))
_SPLIT_LAYER = Hot(update(cost_layers).where(*_LAYER_MATCH, cost_layers.c.position == bindparam("b_position")).values(
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


_SCALE = 10**6


def _scaled(raw: int) -> Decimal:
    """A stored scaled integer as the Decimal `ScaledDecimal` gives (its shortest exact form)."""
    whole, rest = divmod(int(raw), _SCALE)
    if rest == 0:
        return Decimal(whole)
    return Decimal(int(raw)).scaleb(-6).normalize()


def _positioned(row: Any) -> tuple[int, Layer]:
    """A layer read by `_LAYER_COLUMNS`, with its position."""
    return int(row[3]), Layer(row[4], int(row[5]), _scaled(row[6]), _scaled(row[7]))


class ValuationRepository:
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

    def pools(self, item_ids: Iterable[int] | None = None) -> dict[PoolRow, PoolSnapshot]:
        """The pools of these items (or of every item) as they are now."""
        if item_ids is None:
            return self._all_pools()
        params = {"ids": sorted(set(item_ids))}
        pool_rows, layer_rows = self._conn.execute(_POOLS, params), self._conn.execute(_LAYERS, params)
        heads = {(int(r.item_id), int(r.location_id), int(r.lot_key)): r for r in pool_rows}
        layers: dict[PoolRow, list[Layer]] = defaultdict(list)
        for r in layer_rows:
            key = (int(r.item_id), int(r.location_id), int(r.lot_key))
            layers[key].append(Layer(r.opened_at, int(r.origin_move_id), r.quantity, r.value))
        found: dict[PoolRow, PoolSnapshot] = {}
        for key, head in heads.items():
            last = Decimal(head.last_unit_cost) if head.last_unit_cost is not None else None
            found[key] = PoolSnapshot(tuple(layers.get(key, ())), head.deficit_quantity, head.deficit_value, last)
        return found

    def _all_pools(self) -> dict[PoolRow, PoolSnapshot]:
        layers: dict[PoolRow, list[Layer]] = defaultdict(list)
        for item, location, lot, opened, origin, quantity, value in self._conn.execute(_ALL_LAYERS).all():
            layers[(int(item), int(location), int(lot))].append(
                Layer(opened, int(origin), _scaled(quantity), _scaled(value)))
        found: dict[PoolRow, PoolSnapshot] = {}
        for item, location, lot, deficit_quantity, deficit_value, last in self._conn.execute(_ALL_POOLS).all():
            key = (int(item), int(location), int(lot))
            found[key] = PoolSnapshot(tuple(layers.get(key, ())), _scaled(deficit_quantity), _scaled(deficit_value),
                                      None if last is None else Decimal(last))
        return found

    def pools_at(self, keys: Iterable[PoolRow], takes: Mapping[PoolRow, Decimal], *,
                 whole: Collection[PoolRow] = (), only_added: Collection[PoolRow] = ()) -> dict[PoolRow, StoredPool]:
        """These pools as stored (those that exist): a pool of at most `WHOLE_POOL` layers
        whole; a longer one in part: its oldest layers until they cover what `takes` says
        will be taken from it, and the totals and newest key of the others. A pool in
        `only_added` that nothing takes from gets layers newer than its own only: none of
        its layers are read (a receipt into a pool of many open layers reads none of them).
        The pools in `whole` (a LIFO take, which starts from the newest layer) are read
        whole however long."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        heads = {(int(r[0]), int(r[1]), int(r[2])): r for r in _POOLS_AT.rows(self._conn, {"keys": wanted})}
        read_whole = {key for key, head in heads.items() if key in whole or (
            int(head.layer_count) <= WHOLE_POOL and not (key in only_added and not takes.get(key)))}
        layers: dict[PoolRow, list[tuple[int, Layer]]] = defaultdict(list)
        if read_whole:
            for row in _LAYERS_AT.rows(self._conn, {"keys": sorted(read_whole)}):
                layers[(int(row[0]), int(row[1]), int(row[2]))].append(_positioned(row))
        found: dict[PoolRow, StoredPool] = {}
        for key, head in sorted(heads.items()):
            deficit_quantity, deficit_value, last, count = _scaled(head[3]), _scaled(head[4]), head[5], int(head[6])
            rest = None
            if key in read_whole:
                read = layers.get(key, [])
                end = read[-1][0] + 1 if read else 0
            else:
                read, rest, end = self._in_part(key, head, takes.get(key, Decimal(0)))
            snapshot = PoolSnapshot(tuple(layer for _n, layer in read), deficit_quantity, deficit_value,
                                    None if last is None else Decimal(last))
            found[key] = StoredPool(snapshot, tuple(n for n, _layer in read), rest, end, count)
        return found

    def _in_part(self, key: PoolRow, head: Any, take: Decimal) -> tuple[list[tuple[int, Layer]], Rest | None, int]:
        """The oldest layers covering `take`, the rest's totals (None: all were read), the end."""
        match = {"b_item": key[0], "b_location": key[1], "b_lot": key[2]}
        read: list[tuple[int, Layer]] = []
        covered, batch = Decimal(0), _FIRST_BATCH
        while covered < take:
            rows = _OLDEST_LAYERS.rows(self._conn, {**match, "after": read[-1][0] if read else -1, "batch": batch})
            more = [_positioned(row) for row in rows]
            if not more:
                break
            read += more
            covered += sum((layer.quantity for _n, layer in more), Decimal(0))
            batch *= 4
        newest, opened_at, origin = head[9], head[10], head[11]
        if newest is None or (read and read[-1][0] >= newest):
            return read, None, (read[-1][0] + 1 if read else 0)
        rest = Rest(_scaled(head[7]) - sum((layer.quantity for _n, layer in read), Decimal(0)),
                    _scaled(head[8]) - sum((layer.value for _n, layer in read), Decimal(0)),
                    (opened_at, int(origin)))
        return read, rest, int(newest) + 1

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
