"""Re-valuing what a backdated move affects, and nothing else.

A move posted today with an effective time in the past (a late receipt, a corrected
count) changes the value of the same item's *later* moves, and only of those that
draw on the pools it touched. `revalue` starts from a checkpoint (the item's pools
at a moment before the backdated move, kept by the store) and walks the later moves:

- a pool is **dirty** once a new move touches it, or a move changes value in it, or a
  transfer brings other layers into it than it did before; only moves that touch a
  dirty pool are valued again;
- moves of clean pools are only queued; a clean pool is brought up to date (its queue
  replayed) the first time a dirty move reaches it, and never otherwise. Each side of a
  transfer replays on its own — the source takes, the destination receives the layers
  the transfer carried, as stored — so a clean distribution centre is never replayed
  because one of the stores it supplies became dirty;
- the answer is the list of moves whose value changed (`ValueChange`, with the delta
  the journal books) and the new snapshots of the pools that changed.

So the work done is proportional to the later moves of the affected pools, not to
the item's history. A change of costing method (`method_changes.py`) that the walk
crosses re-layers every pool: all queued pools are caught up, converted, and from
there on every pool is dirty (changes are rare; re-valuing what follows is simple and
sure), and the answer holds all the item's pools (`whole_from`). The store then keeps
`stored | changes` as the per-move values and `latest.merged(result.pools,
result.position)` as the item's newest snapshot (all pools replaced past a change), and
drops its checkpoints after the backdated move (they are stale).

This module imports only the standard library and the domain.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from onhand.domain.valuation.cost_layers import ZERO, CostingMethod, PoolSnapshot
from onhand.domain.valuation.method_changes import ChangePosition, MethodChange
from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.value_history import (
    CostMove,
    ItemValuation,
    MoveValue,
    PoolKey,
    ValuationSnapshot,
    _Chain,
    _required,
    ordered,
    pool_key,
)


@dataclass(frozen=True, slots=True)
class ValueChange:
    """A move whose value is not what was stored (`before` is None for a new move)."""

    move: CostMove
    before: MoveValue | None
    after: MoveValue

    @property
    def delta(self) -> Decimal:
        return self.after.value - (self.before.value if self.before else ZERO)

    @property
    def variance_delta(self) -> Decimal:
        return self.after.variance - (self.before.variance if self.before else ZERO)


@dataclass(frozen=True)
class Revaluation:
    changes: tuple[ValueChange, ...]
    pools: dict[PoolKey, PoolSnapshot]  # the pools that changed, as they are at `position`
    position: tuple[datetime, int] | None
    valued: int  # moves valued again (the work done)
    skipped: int  # later moves left alone
    # At each position asked for (`snapshots_at`), the pools dirty by then, as they were there:
    # a stale checkpoint at that position is rebuilt as its clean pools plus these.
    snapshots: dict[tuple[datetime, int], dict[PoolKey, PoolSnapshot]] = field(default_factory=dict)
    # The first change of method crossed: from there, `pools` and `snapshots` hold every pool
    # of the item (the store replaces them whole; its pools before are under other keys).
    whole_from: ChangePosition | None = None


def _keys(engine: ItemValuation, move: CostMove) -> tuple[PoolKey, ...]:
    method = engine.method
    if move.role is MoveRole.TRANSFER:
        return (
            pool_key(method, _required(move.source, move, "source"), move.lot),
            pool_key(method, _required(move.destination, move, "destination"), move.lot),
        )
    if move.role.is_outbound:
        return (pool_key(method, _required(move.source, move, "source"), move.lot),)
    return (pool_key(method, _required(move.destination, move, "destination"), move.lot),)


_WHOLE, _SOURCE, _DESTINATION = "whole", "source", "destination"


class _Walk:
    """The engine plus, per clean pool, the moves (or sides of transfers) not replayed yet."""

    def __init__(self, engine: ItemValuation, stored: Mapping[int, MoveValue]) -> None:
        self.engine = engine
        self.stored = stored
        self.fresh: dict[int, MoveValue] = {}
        self.lookup = _Chain(self.fresh, stored)
        self.pending: dict[PoolKey, list[tuple[CostMove, str]]] = {}
        self.dirty: set[PoolKey] = set()
        self.everything = False  # after a change of method: every pool is dirty
        self.valued = 0

    def is_dirty(self, key: PoolKey) -> bool:
        return self.everything or key in self.dirty

    def cross(self, change: MethodChange) -> None:
        """Convert every pool (each brought up to date first); from here on, everything is dirty."""
        for key in list(self.pending):
            self.catch_up(key)
        self.engine.convert(change)
        self.everything = True
        self.dirty.clear()  # the keys before the change may be gone (pools split or merged by lot)

    def dirty_pools(self) -> dict[PoolKey, PoolSnapshot]:
        """The dirty pools as they are now (all of them after a change of method)."""
        pools = self.engine.pools
        keys = pools if self.everything else self.dirty
        return {key: pools[key].snapshot() for key in sorted(keys, key=_order)}

    def queue(self, key: PoolKey, move: CostMove, side: str) -> None:
        self.pending.setdefault(key, []).append((move, side))

    def catch_up(self, key: PoolKey) -> None:
        """Replay a clean pool's queued moves. A transfer's side is replayed on its own: the
        source takes, the destination receives what the transfer carried as stored."""
        queued = self.pending.pop(key, None)
        if not queued:
            return
        engine = self.engine
        for move, side in queued:
            if side == _SOURCE:
                engine.send(move)
            elif side == _DESTINATION:
                engine.receive(move, self.stored[move.id])
            else:
                engine.apply(move, self.lookup)
        self.valued += len(queued)


def revalue(
    method: CostingMethod,
    checkpoint: ValuationSnapshot | None,
    moves: Iterable[CostMove],
    stored: Mapping[int, MoveValue],
    *,
    default_unit_cost: Decimal | None = None,
    snapshots_at: Collection[tuple[datetime, int]] = (),
    changes: Sequence[MethodChange] = (),
) -> Revaluation:
    """Re-value the moves after `checkpoint` that a new (backdated) move affects.

    `moves` are all of the item's moves after the checkpoint, the new ones included
    (a move absent from `stored` is new); `stored` holds the values kept so far,
    transfers with the layers they carried. `snapshots_at` names positions (of moves)
    where a store keeps checkpoints: the dirty pools there are returned in `snapshots`.
    `method` is the one in force at the checkpoint; `changes` are the item's changes of
    method after it (all of them up to now: those after the last move are crossed too).
    """
    wanted = frozenset(snapshots_at)
    snapshots: dict[tuple[datetime, int], dict[PoolKey, PoolSnapshot]] = {}
    engine = ItemValuation(method, checkpoint, default_unit_cost=default_unit_cost)
    walk = _Walk(engine, stored)
    dirty = walk.dirty
    found: list[ValueChange] = []
    changed: set[int] = set()
    skipped = 0
    last = checkpoint.position if checkpoint else None
    waiting = sorted(changes, key=lambda change: change.position)
    whole_from = waiting[0].position if waiting else None
    for move in ordered(moves):
        while waiting and waiting[0].position < move.position:
            walk.cross(waiting.pop(0))
        last = move.position
        keys = _keys(engine, move)
        transfer = move.role is MoveRole.TRANSFER
        before = stored.get(move.id)
        touches = (
            before is None
            or any(walk.is_dirty(key) for key in keys)
            or any(moved in changed for moved in move.returns_moves)  # a return follows its shipments
        )
        if not touches:
            if transfer:
                walk.queue(keys[0], move, _SOURCE)
                walk.queue(keys[1], move, _DESTINATION)
            else:
                walk.queue(keys[0], move, _WHOLE)
            skipped += 1
            if last in wanted:
                snapshots[last] = walk.dirty_pools()
            continue
        if transfer and before is not None and not walk.is_dirty(keys[0]):
            # A clean source sends what it sent before: only the (dirty) destination is valued again.
            walk.queue(keys[0], move, _SOURCE)
            walk.catch_up(keys[1])
            after = engine.receive(move, before)
            affected: tuple[PoolKey, ...] = keys[1:]
        else:
            for key in keys:
                walk.catch_up(key)
            after = engine.apply(move, walk.lookup)
            affected = keys
        walk.valued += 1
        walk.fresh[move.id] = after
        if before != after:
            found.append(ValueChange(move, before, after))
            changed.add(move.id)
            dirty.update(affected)
        if last in wanted:
            # Dirty pools are always up to date (their moves are valued as they come).
            snapshots[last] = walk.dirty_pools()
    for change in waiting:
        walk.cross(change)
    # Clean pools end as they were; only the dirty ones (all of whose moves were valued) changed.
    pools = walk.dirty_pools()
    return Revaluation(tuple(found), pools, last, walk.valued, skipped, snapshots,
                       whole_from if walk.everything else None)


def _order(key: PoolKey) -> tuple[int, int]:
    return (key[0], -1 if key[1] is None else key[1])


def apply_changes(stored: Mapping[int, MoveValue], revaluation: Revaluation) -> dict[int, MoveValue]:
    """The per-move values after a revaluation (what a store writes back)."""
    values = dict(stored)
    values.update((change.move.id, change.after) for change in revaluation.changes)
    return values
