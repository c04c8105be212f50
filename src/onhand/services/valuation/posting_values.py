"""Valuing a posting's moves in its own transaction: the hook `post()` calls.

Each item's moves are run through the pure engine (`domain/valuation/value_history.py`) from the
item's current pools (`cost_pools`, `cost_layers`); the values are stored per move
(`move_values`, with what each inbound move was given and the layers each transfer
carried) and the touched pools written back. A posting effective before an item's
newest valued move (backdated) re-values that item instead (`services/valuation/backdating.py`).
Every `CHECKPOINT_EVERY` moves of an item its pools are kept as a checkpoint, read back
after the posting's writes an item at a time (the moves need only the pools they touch).

- receipts at `MoveLine.unit_cost` (landed, in company currency); a receipt with no
  cost comes in like found stock (the pool's current cost, else zero, `no_cost`);
- found stock and returns at `MoveLine.unit_cost` when given, else the current cost;
- outbound moves take layers; moves between internal locations carry them;
- build outputs (production → internal) come in at what the same posting consumed
  (shared among several outputs by quantity × current cost, else by quantity) plus
  `MoveLine.added_cost` (labour and overhead) per unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.events import PostingsWritten
from onhand.domain.ledger.postings import MoveLine, PostingDraft
from onhand.domain.valuation.cost_layers import ZERO, CostingMethod, NeedsWholePool, Pool, PoolSnapshot, Rest, exact
from onhand.domain.valuation.move_roles import MoveRole, role_of
from onhand.domain.valuation.stored_pools import PoolChange, StoredPool, change_of, change_of_whole
from onhand.domain.valuation.value_history import CostMove, ItemValuation, MoveValue, ValuationSnapshot, pool_key
from onhand.services.valuation import return_costs
from onhand.services.valuation.backdating import (
    ItemRevaluation,
    Position,
    carry_to_builds,
    methods_and_change,
    revalue_item,
)
from onhand.services.valuation.value_bounds import MoveFigures, check_moves, check_pools

CHECKPOINT_EVERY = 1000  # an item's pools are kept after every this many of its moves
# Items whose pools are read whole at once (`NeedsWholePool`) when postings of many items
# need them so (takes past the layers read in many long pools): a few at a time, so that
# memory stays bounded.
WHOLE_ITEMS_AT_ONCE = 64

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def on_postings_written(uow: UnitOfWork, event: PostingsWritten) -> None:
    """The subscriber the posting core publishes to: value what it wrote, effective when it happened."""
    value_postings(uow, [(p.posting_id, list(p.move_ids), p.draft) for p in event.postings],
                   effective_at=event.effective_at)


def value_postings(
    uow: UnitOfWork, postings: list[tuple[int, list[int], PostingDraft]], *, effective_at: datetime
) -> None:
    """Value each posting's moves (posting id, its move ids in order, its draft), in order,
    all effective at `effective_at`: the items' pools are read and locked once, and
    written back once."""
    postings = [entry for entry in postings if entry[2].moves]
    if not postings:
        return
    item_ids = sorted({m.item.id for _id, _ids, draft in postings for m in draft.moves})
    uow.valuation.lock_items(item_ids)  # before reading the pools it will rewrite
    methods, changed_at = methods_and_change(uow, item_ids)
    heads = uow.checkpoints.heads(item_ids)
    # Before an item's newest valued move, or before a change of its costing method: in its history.
    if (changed_at is not None and effective_at < changed_at) or any(
            item in heads and effective_at < heads[item][0][0] for item in item_ids):
        for _posting_id, ids, draft in postings:  # backdated: one posting at a time
            roles = [role_of(m.source.kind, m.destination.kind) for m in draft.moves]
            _value_backdated(uow, draft, ids, roles, methods, uow.checkpoints.heads(item_ids), effective_at)
        return
    moves = [move for _id, _ids, draft in postings for move in draft.moves]
    shipped = return_costs.shipment_values(uow, {shipment for move in moves if move.source.kind is LocationKind.CUSTOMER
                                                 for shipment in move.returns})
    try:  # only the pools the moves touch, a long one in part
        stored = _stored_pools(uow, postings, methods)
        engines = _engines_at(item_ids, methods, stored)
        valued = _value_all(engines, postings, methods, effective_at, shipped)
    except NeedsWholePool:  # a take or a layer reached past what was read: every pool, whole
        if len(item_ids) > WHOLE_ITEMS_AT_ONCE and not _builds(postings):  # items valued apart: in groups
            for start in range(0, len(item_ids), WHOLE_ITEMS_AT_ONCE):
                value_postings(uow, _of_items(postings, set(item_ids[start:start + WHOLE_ITEMS_AT_ONCE])),
                               effective_at=effective_at)
            return
        stored = {}
        engines = _engines(uow, item_ids, methods)
        valued = _value_all(engines, postings, methods, effective_at, shipped)
    rows, figures, carried, touched = valued
    pools: dict[tuple[int, int, int], PoolSnapshot | Pool] = {}
    changes: list[PoolChange] = []
    whole: dict[tuple[int, int, int], PoolSnapshot] = {}
    for item, loc, lot in touched:
        key = (item, loc, lot or 0)
        pool = engines[item].pools[(loc, lot)]
        if pool.rest is None:
            snapshot = pools[key] = pool.snapshot()
            if key in stored:  # read whole, written as a change: a FIFO take is 2 statements, not 4
                changes.append(change_of_whole(key, stored[key], snapshot))
            else:
                whole[key] = snapshot
        else:
            pools[key] = pool
            changes.append(change_of(key, stored[key], pool))
    check_moves(uow, figures)
    check_pools(uow, pools)
    uow.valuation.add_values(rows)
    uow.valuation_history.set_carried(carried, replace=False)
    uow.valuation.save_pools(whole)
    uow.valuation.save_pool_changes(changes)
    ids = [move_id for _id, move_ids, _draft in postings for move_id in move_ids]
    _advance_heads(uow, moves, ids, heads, effective_at, engines)


def _builds(postings: list[tuple[int, list[int], PostingDraft]]) -> bool:
    """Whether any move is a build's (whose outputs are valued from what other items gave)."""
    return any(role_of(m.source.kind, m.destination.kind) in (MoveRole.BUILD_OUTPUT, MoveRole.BUILD_CONSUMPTION)
               for _id, _ids, draft in postings for m in draft.moves)


def _of_items(
    postings: list[tuple[int, list[int], PostingDraft]], item_ids: set[int]
) -> list[tuple[int, list[int], PostingDraft]]:
    """The postings' moves of these items only (with their ids), in order."""
    kept = []
    for posting_id, ids, draft in postings:
        mine = [index for index, move in enumerate(draft.moves) if move.item.id in item_ids]
        kept.append((posting_id, [ids[index] for index in mine],
                     replace(draft, moves=tuple(draft.moves[index] for index in mine))))
    return kept


Valued = tuple[list[dict[str, object]], list[MoveFigures], dict[int, Any], set[tuple[int, int, int | None]]]


def _value_all(
    engines: dict[int, ItemValuation], postings: list[tuple[int, list[int], PostingDraft]],
    methods: dict[int, CostingMethod], effective_at: datetime, shipped: Mapping[int, MoveValue],
) -> Valued:
    """Value every posting's moves in order: the value rows, the figures to check, the layers
    transfers carried, the pools touched (item, location, lot or None)."""
    rows: list[dict[str, object]] = []
    figures: list[MoveFigures] = []
    carried: dict[int, Any] = {}
    touched: set[tuple[int, int, int | None]] = set()
    for _posting_id, ids, draft in postings:
        roles, cost_moves, values = _value_draft(engines, ids, draft, effective_at, shipped)
        rows += [_value_row(ids[index], draft.moves[index].item.id, roles[index], cost_moves[index], value)
                 for index, value in sorted(values.items())]
        figures += [(draft.moves[index].item.id, cost_moves[index].destination or cost_moves[index].source,
                     value.value, value.variance, cost_moves[index].value) for index, value in sorted(values.items())]
        carried |= {ids[index]: value.carried for index, value in values.items() if roles[index] is MoveRole.TRANSFER}
        touched |= {
            (move.item.id, *pool_key(methods[move.item.id], place.id, _lot(move)))
            for move in draft.moves for place in (move.source, move.destination) if place.is_internal
        }
    return rows, figures, carried, touched


def _stored_pools(
    uow: UnitOfWork, postings: list[tuple[int, list[int], PostingDraft]], methods: dict[int, CostingMethod],
) -> dict[tuple[int, int, int], StoredPool]:
    """The pools the moves touch as stored, with how much each move takes from its source
    (so that a long pool is read only as far as that; a LIFO pool taken from, or one a
    return to supplier takes its receipts' own layers from, whole), and the pools only
    added to, by moves from outside (a receipt's layer is the newest), read without their
    layers. A checkpoint due reads the item's other pools later (`_advance_heads`)."""
    takes: dict[tuple[int, int, int], Decimal] = defaultdict(Decimal)
    keys: set[tuple[int, int, int]] = set()
    whole: set[tuple[int, int, int]] = set()  # LIFO takes start from the newest layer
    # Not only added to: a moving average blends into its layer; a transfer carries its
    # layers' dates, perhaps older than the destination's newest.
    in_layers: set[tuple[int, int, int]] = set()
    for _id, _ids, draft in postings:
        for move in draft.moves:
            method = methods[move.item.id]
            for place in (move.source, move.destination):
                if place.is_internal:
                    location, lot = pool_key(method, place.id, _lot(move))
                    keys.add((move.item.id, location, lot or 0))
                    if method is CostingMethod.MOVING_AVERAGE or move.source.is_internal:
                        in_layers.add((move.item.id, location, lot or 0))
            if move.source.is_internal:
                location, lot = pool_key(method, move.source.id, _lot(move))
                takes[(move.item.id, location, lot or 0)] += move.quantity
                if method is CostingMethod.LIFO or move.returns:  # or a return to supplier's own layers
                    whole.add((move.item.id, location, lot or 0))
    return uow.valuation.pools_at(keys, takes, whole=whole, only_added=keys - in_layers)


def _engines_at(
    item_ids: list[int], methods: dict[int, CostingMethod], stored: Mapping[tuple[int, int, int], StoredPool]
) -> dict[int, ItemValuation]:
    """An engine per item from the pools read (`_stored_pools`)."""
    pools: dict[int, dict[tuple[int, int | None], PoolSnapshot]] = defaultdict(dict)
    rests: dict[int, dict[tuple[int, int | None], Rest]] = defaultdict(dict)
    for (item, loc, lot), pool in stored.items():
        pools[item][(loc, lot or None)] = pool.snapshot
        if pool.rest is not None:
            rests[item][(loc, lot or None)] = pool.rest
    return {
        item_id: ItemValuation(methods[item_id], ValuationSnapshot(methods[item_id], None, pools[item_id]),
                               rests=rests[item_id])
        for item_id in item_ids
    }


def _engines(uow: UnitOfWork, item_ids: list[int], methods: dict[int, CostingMethod]) -> dict[int, ItemValuation]:
    """An engine per item, from its current pools."""
    by_item: dict[int, dict[tuple[int, int | None], Any]] = defaultdict(dict)
    for (item, loc, lot), snap in uow.valuation.pools(item_ids).items():
        by_item[item][(loc, lot or None)] = snap
    return {
        item_id: ItemValuation(methods[item_id], ValuationSnapshot(methods[item_id], None, by_item[item_id]))
        for item_id in item_ids
    }


def _value_draft(
    engines: dict[int, ItemValuation], ids: list[int], draft: PostingDraft, effective_at: datetime,
    shipped: Mapping[int, MoveValue],
) -> tuple[list[MoveRole], dict[int, CostMove], dict[int, MoveValue]]:
    """Each move's role, and by its index in the draft what it was given and its value
    (`shipped`: the values of the shipments its customer returns reverse)."""
    roles = [role_of(m.source.kind, m.destination.kind) for m in draft.moves]
    values: dict[int, MoveValue] = {}
    cost_moves: dict[int, CostMove] = {}
    consumed = ZERO
    outputs: list[int] = []
    for index, (move, role) in enumerate(zip(draft.moves, roles, strict=True)):
        if role is MoveRole.BUILD_OUTPUT:
            outputs.append(index)
            continue
        cost_moves[index] = _cost_move(ids[index], move, role, effective_at)
        values[index] = engines[move.item.id].apply(cost_moves[index], shipped)
        if role is MoveRole.BUILD_CONSUMPTION:
            consumed += values[index].value
    for index, given in _output_values(engines, draft.moves, outputs, consumed).items():
        move = draft.moves[index]
        cost_moves[index] = CostMove(ids[index], effective_at, MoveRole.BUILD_OUTPUT, move.quantity,
                                     destination=move.destination.id, lot=_lot(move), value=given)
        values[index] = engines[move.item.id].apply(cost_moves[index], {})
    return roles, cost_moves, values


def _value_row(move_id: int, item_id: int, role: MoveRole, cost_move: CostMove, value: MoveValue) -> dict[str, object]:
    return {"move_id": move_id, "item_id": item_id, "role": role.value, "value": value.value,
            "variance": value.variance, "basis": value.basis.value,
            "unit_cost": None if cost_move.unit_cost is None else str(cost_move.unit_cost),
            "given_value": cost_move.value}


def _advance_heads(
    uow: UnitOfWork, moves: Sequence[MoveLine], ids: list[int], heads: dict[int, tuple[Position, int]],
    effective_at: datetime, engines: dict[int, ItemValuation] | None,
) -> None:
    """Move each item's head to its newest move; keep a checkpoint every CHECKPOINT_EVERY moves.

    A checkpoint needs every pool of the item as it is at the head: the pools the engines of
    a posting at the end of the history hold, the others as just written (read an item at a
    time: at a million layers, the pools of many items at once were most of the memory an
    import took); a backdated posting (no engines) leaves the next checkpoint to the next
    posting at the end."""
    counts: dict[int, int] = defaultdict(int)
    newest: dict[int, Position] = {}
    for move_id, move in zip(ids, moves, strict=True):
        counts[move.item.id] += 1
        newest[move.item.id] = max(newest.get(move.item.id, (effective_at, move_id)), (effective_at, move_id))
    changed: dict[int, tuple[Position, int]] = {}
    for item_id, count in counts.items():
        head, since = heads.get(item_id, (newest[item_id], 0))
        position = max(head, newest[item_id])
        since += count
        if engines is not None and since >= CHECKPOINT_EVERY:
            stored = {(loc, lot or None): pool for (_item, loc, lot), pool in uow.valuation.pools([item_id]).items()}
            uow.checkpoints.add_checkpoints([(item_id, position, engines[item_id].whole_snapshot(stored).pools)])
            since = 0
        changed[item_id] = (position, since)
    uow.checkpoints.set_heads(changed)


def _value_backdated(
    uow: UnitOfWork, draft: PostingDraft, ids: list[int], roles: list[MoveRole],
    methods: dict[int, CostingMethod], heads: dict[int, tuple[Position, int]], effective_at: datetime,
) -> None:
    """Each item's new moves go into its history where they belong; what they affect is re-valued.
    A build (or disassembly) consumes first, at what its components were worth then; then its
    outputs come in (`_value_backdated_outputs`)."""
    outputs = [index for index, role in enumerate(roles) if role is MoveRole.BUILD_OUTPUT]
    stored_role = dict(zip(ids, roles, strict=True))
    given: dict[int, dict[int, CostMove]] = defaultdict(dict)
    for move_id, move, role in zip(ids, draft.moves, roles, strict=True):
        if role is not MoveRole.BUILD_OUTPUT:
            given[move.item.id][move_id] = _cost_move(move_id, move, role, effective_at)
    if {draft.moves[index].item.id for index in outputs} & set(given):
        raise InvalidInput("effective_at", "a backdated build cannot consume the item it makes")
    done = [
        revalue_item(uow, item_id, methods[item_id], given[item_id], new=frozenset(given[item_id]),
                     stored_role=stored_role)
        for item_id in sorted(given)
    ]
    if outputs:
        done += _value_backdated_outputs(uow, draft, ids, roles, outputs, methods, done, effective_at)
    carry_to_builds(uow, done)
    _advance_heads(uow, draft.moves, ids, heads, effective_at, None)


def _value_backdated_outputs(
    uow: UnitOfWork, draft: PostingDraft, ids: list[int], roles: list[MoveRole], outputs: list[int],
    methods: dict[int, CostingMethod], consumption: list[ItemRevaluation], effective_at: datetime,
) -> list[ItemRevaluation]:
    """A backdated build's outputs come in at what it consumed then, plus labour and overhead
    (shared among several outputs by quantity × their current unit cost, as when posted now),
    at the build's moment in their items' histories, whose later moves are re-valued."""
    new_values = {move_id: value for done in consumption for move_id, value in done.new_values.items()}
    consumed = sum((new_values[ids[index]] for index, role in enumerate(roles)
                    if role is MoveRole.BUILD_CONSUMPTION), ZERO)
    made = sorted({draft.moves[index].item.id for index in outputs})
    given: dict[int, dict[int, CostMove]] = defaultdict(dict)
    for index, value in _output_values(_engines(uow, made, methods), draft.moves, outputs, consumed).items():
        move = draft.moves[index]
        given[move.item.id][ids[index]] = CostMove(ids[index], effective_at, MoveRole.BUILD_OUTPUT, move.quantity,
                                                   destination=move.destination.id, lot=_lot(move), value=value)
    return [
        revalue_item(uow, item_id, methods[item_id], given[item_id], new=frozenset(given[item_id]),
                     stored_role={move_id: MoveRole.BUILD_OUTPUT for move_id in given[item_id]})
        for item_id in made
    ]


def _lot(move: MoveLine) -> int | None:
    return move.lot.id if move.lot else None


def _cost_move(move_id: int, move: MoveLine, role: MoveRole, at: datetime) -> CostMove:
    source = move.source.id if move.source.is_internal else None
    destination = move.destination.id if move.destination.is_internal else None
    if role is MoveRole.RECEIPT and move.unit_cost is None:
        role = MoveRole.ADJUSTMENT_IN  # no price known: the current cost, like found stock
    unit_cost = move.unit_cost if role.is_inbound else None
    returns = move.returns if role in (MoveRole.RETURN, MoveRole.SUPPLIER_RETURN) else ()
    return CostMove(move_id, at, role, move.quantity, source=source, destination=destination,
                    lot=_lot(move), unit_cost=unit_cost, returns_moves=returns)


def _output_values(
    engines: dict[int, ItemValuation], moves: tuple[MoveLine, ...], outputs: list[int], consumed: Decimal
) -> dict[int, Decimal]:
    """Share what the posting consumed among its outputs, then add each output's labour and overhead."""
    if not outputs:
        return {}
    weights: dict[int, Decimal] = {}
    for index in outputs:
        move = moves[index]
        pool = engines[move.item.id].pool(move.destination.id, _lot(move))
        weights[index] = move.quantity * (pool.current_unit_cost() or ZERO)
    if not all(weights.values()):
        weights = {index: moves[index].quantity for index in outputs}
    total = sum(weights.values(), ZERO)
    shares: dict[int, Decimal] = defaultdict(Decimal)
    left = consumed
    for index in outputs[:-1]:
        shares[index] = exact(consumed * weights[index] / total)
        left -= shares[index]
    shares[outputs[-1]] = left
    return {
        index: exact(shares[index] + moves[index].quantity * (moves[index].added_cost or ZERO))
        for index in outputs
    }
