"""Re-valuing one item's history from a stored checkpoint, in the posting's transaction.

Used when a posting is effective before the item's newest valued move (backdating), and
when what an earlier move was worth is given anew (landed costs added to a receipt).
The item's moves after the nearest checkpoint before the earliest change are read in
effective order — (effective_at, move id) — and `domain/valuation/revaluation.py: revalue` values
again only those that draw on the pools the change reaches. Then, in the same
transaction:

- new moves get their `move_values` rows; moves whose value changed are UPDATEd (value,
  variance, basis, given value), transfers with the layers they now carry;
- the dirty pools are written as they are now (`cost_pools`, `cost_layers`);
- the item's checkpoints at or after the earliest change are stale: each is rebuilt as
  its clean pools plus the dirty pools as the re-valuation passed its position;
- the item's head (newest move, moves since the last checkpoint) follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.valuation.cost_layers import CostingMethod, exact
from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.revaluation import Revaluation, revalue
from onhand.domain.valuation.value_history import CostMove, MoveValue, ValuationSnapshot, ValueBasis
from onhand.services.valuation import return_costs
from onhand.services.valuation.method_timelines import timelines
from onhand.services.valuation.value_bounds import check_moves, check_pools

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

Position = tuple[datetime, int]
_ROLES = {role.value: role for role in MoveRole}
_BASES = {basis.value: basis for basis in ValueBasis}


@dataclass(frozen=True)
class ItemRevaluation:
    item_id: int
    valued: int  # moves valued again
    skipped: int  # later moves left alone
    changed: int  # moves whose stored value changed (new ones included)
    # Build consumption moves (valued before) whose value changed, by how much: the
    # outputs of their builds follow (`carry_to_builds`).
    consumed: dict[int, Decimal] = field(default_factory=dict)
    # What the new moves are worth (a backdated build's outputs come in at its consumption's).
    new_values: dict[int, Decimal] = field(default_factory=dict)


def methods_for(uow: UnitOfWork, item_ids: list[int]) -> dict[int, CostingMethod]:
    return _methods(uow, item_ids, with_change=False)[0]


def methods_and_change(uow: UnitOfWork, item_ids: list[int]) -> tuple[dict[int, CostingMethod], datetime | None]:
    """Each item's costing method, and when the newest change of the company's method or of
    one of these items' own was made (None: never)."""
    return _methods(uow, item_ids, with_change=True)


def _methods(
    uow: UnitOfWork, item_ids: list[int], *, with_change: bool
) -> tuple[dict[int, CostingMethod], datetime | None]:
    """The methods, and the newest change when asked (or when it comes in the same statement)."""
    if len(item_ids) <= 500:  # a posting's items: all of it in one statement
        company_method, own, changed_at = uow.valuation.methods(item_ids)
        company = CostingMethod(company_method)
    else:  # many items (a report): every override at once, not a long IN list
        company = CostingMethod(uow.valuation.company_method())
        own = uow.valuation.item_methods(None)
        changed_at = uow.costing_changes.newest_at(item_ids) if with_change else None
    return {item_id: CostingMethod(own[item_id]) if item_id in own else company for item_id in item_ids}, changed_at


def stored_cost_move(row: Any) -> CostMove:
    """A valued move as the engine sees it, from its history row (`valuation_history.item_moves_after`)."""
    role = _ROLES[row.role]
    source = int(row.from_location_id) if role is MoveRole.TRANSFER or role.is_outbound else None
    destination = int(row.to_location_id) if role is MoveRole.TRANSFER or role.is_inbound else None
    unit_cost = Decimal(row.unit_cost) if row.unit_cost is not None else None
    if role is MoveRole.RECEIPT and unit_cost is None and row.given_value is None:
        role = MoveRole.ADJUSTMENT_IN  # no price known: valued like found stock, as when it was posted
    given = row.given_value
    if role is MoveRole.RETURN and row.basis == ValueBasis.RETURNED.value:
        # Valued from its shipments, kept exact by every re-valuation: replayed at that value
        # (a re-valuation links it to its shipments again, `return_costs.linked`).
        given = row.value
    return CostMove(int(row.id), row.effective_at, role, row.quantity, source=source, destination=destination,
                    lot=int(row.lot_id) if row.lot_id is not None else None,
                    unit_cost=unit_cost, value=given)


def revalue_item(
    uow: UnitOfWork,
    item_id: int,
    method: CostingMethod,
    given: Mapping[int, CostMove],
    *,
    new: frozenset[int] = frozenset(),
    stored_role: Mapping[int, MoveRole] | None = None,
) -> ItemRevaluation:
    """Value `given` (new moves, or moves given anew) and re-value what they affect.

    `new` names the moves that have no `move_values` row yet; `stored_role` their role as
    the ledger reads it (a receipt with no price is valued as found stock but stays a receipt).
    """
    history = uow.valuation_history
    earliest = min(move.position for move in given.values())
    found = uow.checkpoints.checkpoint_before(item_id, earliest)
    # `method` is the one in force now; the checkpoint is under the one in force at its position.
    timeline = timelines(uow, [item_id])[item_id]
    method = timeline.method_at(found[0] if found else None)
    start = ValuationSnapshot(method, found[0], found[1]) if found else None
    # A move with no value yet belongs to a later posting this transaction wrote with these
    # (`value_postings` values a backdated batch one posting at a time): valued in its turn.
    rows = [row for row in history.item_moves_after(item_id, found[0] if found else None)
            if row.role is not None or row.id in given]
    transfers = [int(r.id) for r in rows if r.role == MoveRole.TRANSFER.value and int(r.id) not in given]
    carried = history.carried(transfers)
    moves: list[CostMove] = []
    stored: dict[int, MoveValue] = {}
    for row in rows:
        move_id = row.id
        if move_id in given:
            moves.append(given[move_id])
            continue
        moves.append(stored_cost_move(row))
        if row.role == MoveRole.TRANSFER.value and move_id not in carried:
            continue  # valued before its carried layers were kept: valued again from both sides
        stored[move_id] = MoveValue(move_id, row.quantity, row.value, _BASES[row.basis], row.variance,
                                    carried.get(move_id, ()))
    moves = return_costs.linked(uow, moves)
    shipped = {shipment for move in moves if move.role is MoveRole.RETURN
               for shipment in move.returns_moves} - stored.keys()
    stored = {**return_costs.shipment_values(uow, shipped), **stored}
    stale = uow.checkpoints.checkpoints_from(item_id, earliest)
    result = revalue(method, start, moves, stored, snapshots_at=[position for position, _pools in stale],
                     changes=timeline.after(found[0] if found else None))
    pools = {(item_id, loc, lot or 0): snap for (loc, lot), snap in result.pools.items()}
    check_moves(uow, ((item_id, change.move.destination or change.move.source, change.after.value,
                       change.after.variance, change.move.value) for change in result.changes))
    check_pools(uow, pools)
    _write_values(uow, item_id, result.changes, given, new, stored_role or {})
    if result.whole_from is not None:  # a change of method was crossed: every pool is written anew
        uow.costing_changes.drop_pools([item_id])
    uow.valuation.save_pools(pools)
    if stale:
        uow.checkpoints.drop_checkpoints_from(item_id, earliest)
        uow.checkpoints.add_checkpoints(
            (item_id, position, _rebuilt(pools, result, position)) for position, pools in stale
        )
    consumed = {
        change.move.id: change.delta for change in result.changes
        if change.move.role is MoveRole.BUILD_CONSUMPTION and change.move.id not in new and change.delta
    }
    new_values = {change.move.id: change.after.value for change in result.changes if change.move.id in new}
    return ItemRevaluation(item_id, result.valued, result.skipped, len(result.changes), consumed, new_values)


def _rebuilt(pools: Mapping[Any, Any], result: Revaluation, position: Position) -> dict[Any, Any]:
    """A stale checkpoint as it is now: its clean pools and the dirty ones, or all of them anew past a change."""
    if result.whole_from is not None and position > result.whole_from:
        return dict(result.snapshots.get(position, {}))
    return {**pools, **result.snapshots.get(position, {})}


def carry_to_builds(uow: UnitOfWork, done: list[ItemRevaluation]) -> list[ItemRevaluation]:
    """Carry changed build consumption to the builds' outputs, and on (nested assemblies).

    An output comes in at what its build consumed plus labour and overhead, so a change of
    `d` in what a build consumed changes its outputs' given values by `d` in all, shared
    in proportion to their values (by quantity when those are zero); each output item is
    then re-valued like any other. Positions only grow along the way (an output is at its
    build's position, what it affects after it), so this ends.
    """
    history = uow.valuation_history
    queue = list(done)
    carried: list[ItemRevaluation] = []
    while queue:
        deltas: dict[int, Decimal] = {}
        for revaluation in queue:
            deltas.update(revaluation.consumed)
        queue = []
        if not deltas:
            break
        postings_of, outputs = history.build_outputs_for(deltas)
        by_posting: dict[int, Decimal] = {}
        for move_id, delta in deltas.items():
            by_posting[postings_of[move_id]] = by_posting.get(postings_of[move_id], Decimal(0)) + delta
        given: dict[int, dict[int, CostMove]] = {}
        for posting_id, delta in sorted(by_posting.items()):
            rows = [row for posting, row in outputs if posting == posting_id]
            if not rows:
                continue
            weights = [Decimal(r.given_value or 0) for r in rows]
            if not any(weights):
                weights = [Decimal(r.quantity) for r in rows]
            total = sum(weights, Decimal(0))
            left = delta
            for index, (row, weight) in enumerate(zip(rows, weights, strict=True)):
                part = left if index == len(rows) - 1 else exact(delta * weight / total)
                left -= part
                move = stored_cost_move(row)
                value = exact(Decimal(row.given_value or row.value) + part)
                given.setdefault(int(row.item_id), {})[int(row.id)] = replace(move, value=max(value, Decimal(0)))
        if not given:
            break
        item_ids = sorted(given)
        uow.valuation.lock_items(item_ids)
        methods = methods_for(uow, item_ids)
        for item_id in item_ids:
            revaluation = revalue_item(uow, item_id, methods[item_id], given[item_id])
            carried.append(revaluation)
            queue.append(revaluation)
    return carried


def _write_values(
    uow: UnitOfWork, item_id: int, changes: Any, given: Mapping[int, CostMove], new: frozenset[int],
    stored_role: Mapping[int, MoveRole],
) -> None:
    inserts: list[dict[str, Any]] = []
    updates: dict[int, dict[str, Any]] = {}
    carried_new: dict[int, tuple[Any, ...]] = {}
    carried_changed: dict[int, tuple[Any, ...]] = {}
    written = {change.move.id: change.after for change in changes}
    for move_id in given:
        if move_id not in new and move_id not in written:
            # Given anew (e.g. a landed cost) but worth the same: still keep what it was given.
            updates[move_id] = {"move_id": move_id, "given_value": given[move_id].value, "keep": True}
    for change in changes:
        move, after = change.move, change.after
        if move.id in new:
            role = stored_role.get(move.id, move.role)
            inserts.append({
                "move_id": move.id, "item_id": item_id, "role": role.value, "value": after.value,
                "variance": after.variance, "basis": after.basis.value,
                "unit_cost": None if move.unit_cost is None else str(move.unit_cost), "given_value": move.value,
            })
            if move.role is MoveRole.TRANSFER:
                carried_new[move.id] = after.carried
        else:
            updates[move.id] = {"move_id": move.id, "value": after.value, "variance": after.variance,
                                "basis": after.basis.value, "given_value": move.value}
            if move.role is MoveRole.TRANSFER and (change.before is None or change.before.carried != after.carried):
                carried_changed[move.id] = after.carried
    uow.valuation.add_values(inserts)
    kept = [row for row in updates.values() if row.get("keep")]
    if kept:
        uow.valuation_history.set_given_values([{"move_id": r["move_id"], "given_value": r["given_value"]}
                                                for r in kept])
    uow.valuation_history.update_values([row for row in updates.values() if not row.get("keep")])
    uow.valuation_history.set_carried(carried_new, replace=False)
    uow.valuation_history.set_carried(carried_changed, replace=True)


def value_landed_costs(uow: UnitOfWork, receipt_id: int) -> list[ItemRevaluation]:
    """Give a receipt's moves their landed costs: each comes in at price × rate plus its lines'
    shares of every landed cost (each at its own rate), and what drew on those layers is
    re-valued — what is still on hand gains the cost, what left adds it to the COGS of the
    moves that took it."""
    receipt = uow.receipts.get(receipt_id)
    lines = uow.receipts.line_rows(receipt_id)
    move_ids = uow.valuation.move_ids(receipt.posting_id)
    landed: dict[int, Decimal] = {}
    for cost in uow.receipts.landed_costs(receipt_id):
        for share in cost.allocations:
            key = share.receipt_line_id
            landed[key] = landed.get(key, Decimal(0)) + share.amount * cost.exchange_rate
    rows = {int(r.id): r for r in uow.valuation_history.moves_by_ids(move_ids)}
    given: dict[int, dict[int, CostMove]] = {}
    for line, move_id in zip(lines, move_ids, strict=True):
        row = rows[move_id]
        extra = landed.get(int(line.id), Decimal(0))
        value = exact(line.quantity * line.unit_cost * receipt.exchange_rate + extra) if extra else None
        if value == row.given_value:
            continue
        move = stored_cost_move(row)
        given.setdefault(int(row.item_id), {})[move_id] = replace(move, role=MoveRole.RECEIPT, value=value)
    if not given:
        return []
    item_ids = sorted(given)
    uow.valuation.lock_items(item_ids)
    methods = methods_for(uow, item_ids)
    done = [revalue_item(uow, item_id, methods[item_id], given[item_id]) for item_id in item_ids]
    return done + carry_to_builds(uow, done)
