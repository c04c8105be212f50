"""Valuing a posting's moves in its own transaction: the hook `post()` calls.

Each item's moves are run through the pure engine (`domain/valuation.py`) from the
item's current pools (`cost_pools`, `cost_layers`); the values are stored per move
(`move_values`) and the touched pools written back. Postings are effective now:
backdating (re-valuation) is not wired yet.

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
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.cost_layers import ZERO, CostingMethod, exact
from onhand.domain.ledger import MoveLine, PostingDraft
from onhand.domain.move_roles import MoveRole, role_of
from onhand.domain.valuation import CostMove, ItemValuation, MoveValue, ValuationSnapshot, pool_key

if TYPE_CHECKING:
    from datetime import datetime

    from onhand.services.context import UnitOfWork


def methods_for(uow: UnitOfWork, item_ids: list[int]) -> dict[int, CostingMethod]:
    company = CostingMethod(uow.valuation.company_method())
    own = uow.valuation.item_methods(item_ids)
    return {item_id: CostingMethod(own[item_id]) if item_id in own else company for item_id in item_ids}


def value_posting(uow: UnitOfWork, posting_id: int, draft: PostingDraft, *, now: datetime) -> None:
    value_postings(uow, [(posting_id, uow.valuation.move_ids(posting_id), draft)], now=now)


def value_postings(
    uow: UnitOfWork, postings: list[tuple[int, list[int], PostingDraft]], *, now: datetime
) -> None:
    """Value each posting's moves (posting id, its move ids in order, its draft), in order:
    the items' pools are read and locked once, and written back once."""
    postings = [entry for entry in postings if entry[2].moves]
    if not postings:
        return
    item_ids = sorted({m.item.id for _id, _ids, draft in postings for m in draft.moves})
    uow.valuation.lock_items(item_ids)  # before reading the pools it will rewrite
    methods = methods_for(uow, item_ids)
    stored = uow.valuation.pools(item_ids)
    by_item: dict[int, dict[tuple[int, int | None], Any]] = defaultdict(dict)
    for (item, loc, lot), snap in stored.items():
        by_item[item][(loc, lot or None)] = snap
    engines = {
        item_id: ItemValuation(methods[item_id], ValuationSnapshot(methods[item_id], None, by_item[item_id]))
        for item_id in item_ids
    }
    rows: list[dict[str, Any]] = []
    touched: set[tuple[int, int, int | None]] = set()
    for _posting_id, ids, draft in postings:
        values = _value_draft(engines, ids, draft, now)
        rows += [
            {"move_id": ids[index], "item_id": draft.moves[index].item.id, "role": role.value,
             "value": value.value, "variance": value.variance, "basis": value.basis.value}
            for index, (role, value) in sorted(values.items())
        ]
        touched |= {
            (move.item.id, *pool_key(methods[move.item.id], place.id, _lot(move)))
            for move in draft.moves for place in (move.source, move.destination) if place.is_internal
        }
    uow.valuation.add_values(rows)
    uow.valuation.save_pools({
        (item, loc, lot or 0): engines[item].pools[(loc, lot)].snapshot() for item, loc, lot in touched
    })


def _value_draft(
    engines: dict[int, ItemValuation], ids: list[int], draft: PostingDraft, now: datetime
) -> dict[int, tuple[MoveRole, MoveValue]]:
    """Each move's role and value, by its index in the draft."""
    roles = [role_of(m.source.kind, m.destination.kind) for m in draft.moves]
    values: dict[int, MoveValue] = {}
    consumed = ZERO
    outputs: list[int] = []
    for index, (move, role) in enumerate(zip(draft.moves, roles, strict=True)):
        if role is MoveRole.BUILD_OUTPUT:
            outputs.append(index)
            continue
        values[index] = engines[move.item.id].apply(_cost_move(ids[index], move, role, now), {})
        if role is MoveRole.BUILD_CONSUMPTION:
            consumed += values[index].value
    for index, given in _output_values(engines, draft.moves, outputs, consumed).items():
        move = draft.moves[index]
        cost_move = CostMove(ids[index], now, MoveRole.BUILD_OUTPUT, move.quantity,
                             destination=move.destination.id, lot=_lot(move), value=given)
        values[index] = engines[move.item.id].apply(cost_move, {})
    return {index: (roles[index], value) for index, value in values.items()}


def _lot(move: MoveLine) -> int | None:
    return move.lot.id if move.lot else None


def _cost_move(move_id: int, move: MoveLine, role: MoveRole, now: datetime) -> CostMove:
    source = move.source.id if move.source.is_internal else None
    destination = move.destination.id if move.destination.is_internal else None
    if role is MoveRole.RECEIPT and move.unit_cost is None:
        role = MoveRole.ADJUSTMENT_IN  # no price known: the current cost, like found stock
    unit_cost = move.unit_cost if role.is_inbound else None
    return CostMove(move_id, now, role, move.quantity, source=source, destination=destination,
                    lot=_lot(move), unit_cost=unit_cost)


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
