"""Reading the cost pools as stored, and their layers: the pools of some items (or of
every item) whole, and a posting's pools by key, a long one in part: its oldest layers,
paged until they cover what the posting takes, and the totals of the rest kept on the
pool row (see domain/valuation/stored_pools.py); part of `ValuationRepository`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Connection, and_, bindparam, func, select, tuple_, type_coerce

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools
from onhand.domain.valuation.cost_layers import Layer, PoolSnapshot, Rest
from onhand.domain.valuation.stored_pools import StoredPool

# (item id, location id, lot id or 0): one pool of value.
PoolRow = tuple[int, int, int]

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
LAYER_MATCH = (
    cost_layers.c.item_id == bindparam("b_item"),
    cost_layers.c.location_id == bindparam("b_location"),
    cost_layers.c.lot_key == bindparam("b_lot"),
)
_OLDEST_LAYERS = Hot(
    select(*_LAYER_COLUMNS).where(*LAYER_MATCH, cost_layers.c.position > bindparam("after"))
    .order_by(cost_layers.c.position).limit(bindparam("batch"))
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


class CostPoolReads:
    _conn: Connection

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
