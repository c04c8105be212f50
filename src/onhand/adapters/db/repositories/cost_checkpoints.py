"""Checkpoints of each item's cost pools, and each item's head (its newest valued move).

A re-valuation starts from the nearest checkpoint before the earliest change instead of
the item's first move; the head says where the item's valued history ends and how many
moves were valued since its last checkpoint (one is taken every `CHECKPOINT_EVERY`).
Positions are (effective_at, move id). A checkpoint's pools are stored as JSON text
(Decimals as strings, times ISO 8601).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables.valuation import cost_checkpoints, valuation_heads
from onhand.domain.valuation.cost_layers import Layer, PoolSnapshot

Position = tuple[datetime, int]
# (location id, lot id or None) → the pool there.
PoolKey = tuple[int, int | None]
Pools = dict[PoolKey, PoolSnapshot]

_HEADS = Hot(select(valuation_heads).where(valuation_heads.c.item_id.in_(bindparam("ids", expanding=True))))
_ADD_CHECKPOINT = insert(cost_checkpoints)


_SET_HEADS_BY_DIALECT: dict[str, Hot] = {}


def _set_heads(dialect: str) -> Hot:
    """INSERT … ON CONFLICT (item) DO UPDATE, built once per dialect."""
    if dialect not in _SET_HEADS_BY_DIALECT:
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = make(valuation_heads)
        _SET_HEADS_BY_DIALECT[dialect] = Hot(statement.on_conflict_do_update(
            index_elements=[valuation_heads.c.item_id],
            set_={column: statement.excluded[column] for column in ("effective_at", "move_id", "since_checkpoint")},
        ))
    return _SET_HEADS_BY_DIALECT[dialect]


def encode_pools(pools: Mapping[tuple[int, int | None], PoolSnapshot]) -> str:
    return json.dumps([
        [loc, lot, str(p.deficit_quantity), str(p.deficit_value),
         None if p.last_unit_cost is None else str(p.last_unit_cost),
         [[layer.opened_at.isoformat(), layer.origin, str(layer.quantity), str(layer.value)] for layer in p.layers]]
        for (loc, lot), p in pools.items()
    ], separators=(",", ":"))


def decode_pools(state: str) -> Pools:
    pools: Pools = {}
    for loc, lot, deficit_q, deficit_v, last, layers in json.loads(state):
        pools[(loc, lot)] = PoolSnapshot(
            tuple(Layer(datetime.fromisoformat(at), origin, Decimal(q), Decimal(v)) for at, origin, q, v in layers),
            Decimal(deficit_q), Decimal(deficit_v), None if last is None else Decimal(last),
        )
    return pools


class CheckpointRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- heads -------------------------------------------------------------------------

    def heads(self, item_ids: Iterable[int]) -> dict[int, tuple[Position, int]]:
        """Per item: its newest valued move's position and the moves valued since its last checkpoint."""
        ids = sorted(set(item_ids))
        rows = _HEADS.rows(self._conn, {"ids": ids}) if ids else []
        return {int(r.item_id): ((r.effective_at, int(r.move_id)), int(r.since_checkpoint)) for r in rows}

    def set_heads(self, heads: Mapping[int, tuple[Position, int]]) -> None:
        """Insert or replace these items' heads, in one statement (every posting moves them)."""
        if not heads:
            return
        _set_heads(self._conn.dialect.name).many(self._conn, [
            {"item_id": item, "effective_at": at, "move_id": move_id, "since_checkpoint": since}
            for item, ((at, move_id), since) in sorted(heads.items())
        ])

    # --- checkpoints -------------------------------------------------------------------

    def checkpoint_before(self, item_id: int, position: Position) -> tuple[Position, Pools] | None:
        """The item's newest checkpoint strictly before `position`."""
        at, move_id = position
        query = (
            select(cost_checkpoints)
            .where(
                cost_checkpoints.c.item_id == item_id,
                or_(cost_checkpoints.c.effective_at < at,
                    and_(cost_checkpoints.c.effective_at == at, cost_checkpoints.c.move_id < move_id)),
            )
            .order_by(cost_checkpoints.c.effective_at.desc(), cost_checkpoints.c.move_id.desc())
            .limit(1)
        )
        row = self._conn.execute(query).first()
        return None if row is None else ((row.effective_at, int(row.move_id)), decode_pools(row.state))

    def checkpoints_until(self, at: datetime) -> dict[int, tuple[Position, Pools]]:
        """Per item, its newest checkpoint at or before the moment `at`."""
        ranked = select(
            cost_checkpoints,
            func.row_number().over(
                partition_by=cost_checkpoints.c.item_id,
                order_by=(cost_checkpoints.c.effective_at.desc(), cost_checkpoints.c.move_id.desc()),
            ).label("newest"),
        ).where(cost_checkpoints.c.effective_at <= at).subquery()
        rows = self._conn.execute(select(ranked).where(ranked.c.newest == 1))
        return {int(r.item_id): ((r.effective_at, int(r.move_id)), decode_pools(r.state)) for r in rows}

    def checkpoints_from(self, item_id: int, position: Position) -> list[tuple[Position, Pools]]:
        """The item's checkpoints at or after `position`, oldest first."""
        at, move_id = position
        query = (
            select(cost_checkpoints)
            .where(
                cost_checkpoints.c.item_id == item_id,
                or_(cost_checkpoints.c.effective_at > at,
                    and_(cost_checkpoints.c.effective_at == at, cost_checkpoints.c.move_id >= move_id)),
            )
            .order_by(cost_checkpoints.c.effective_at, cost_checkpoints.c.move_id)
        )
        return [((r.effective_at, int(r.move_id)), decode_pools(r.state)) for r in self._conn.execute(query)]

    def drop_checkpoints_from(self, item_id: int, position: Position) -> None:
        """Drop the item's checkpoints at or after `position` (stale once a move before them changed)."""
        at, move_id = position
        self._conn.execute(delete(cost_checkpoints).where(
            cost_checkpoints.c.item_id == item_id,
            or_(cost_checkpoints.c.effective_at > at,
                and_(cost_checkpoints.c.effective_at == at, cost_checkpoints.c.move_id >= move_id)),
        ))

    def add_checkpoints(self, rows: Iterable[tuple[int, Position, Mapping[PoolKey, PoolSnapshot]]]) -> None:
        values = [
            {"item_id": item, "effective_at": at, "move_id": move_id, "state": encode_pools(pools)}
            for item, (at, move_id), pools in rows
        ]
        if values:
            self._conn.execute(_ADD_CHECKPOINT, values)
