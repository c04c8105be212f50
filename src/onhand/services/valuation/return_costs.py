"""What a customer return is worth: the cost it left with.

A return (customer → internal) comes in at the value per unit of its order's shipments of
the item (and lot) posted before it, as they are valued *now*: the engine derives it from
their values (`CostMove.returns_moves`), so re-valuing a shipment (a backdated receipt, a
landed cost added later) re-values the return, and what the returned units cost when they
leave. The links are read from the ledger (return → its order → the order's shipments),
never stored: moves are immutable, so they cannot go stale.

A return to supplier sends back units of its purchase order's receipts: it names their
receipt moves (of the item, and lot) and takes their own layers first — specific
identification of what is returned, so Goods received not invoiced is relieved at the
cost it was credited with — unless the item's method blends them (moving average). The
links are read from the ledger the same way (`receipts_linked`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.value_history import CostMove, MoveValue, ValueBasis

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def linked(uow: UnitOfWork, moves: list[CostMove]) -> list[CostMove]:
    """`moves` with each customer return naming the shipments it reverses. A return whose
    shipments were never valued (posted before valuation existed) keeps what it was given."""
    moves = receipts_linked(uow, moves)
    ids = [move.id for move in moves if move.role is MoveRole.RETURN and not move.returns_moves]
    links = uow.valuation_history.returned_shipments(ids) if ids else {}
    if not links:
        return moves
    return [
        replace(move, unit_cost=None, value=None, returns_moves=links[move.id]) if move.id in links else move
        for move in moves
    ]


def shipment_values(uow: UnitOfWork, shipment_ids: Iterable[int]) -> dict[int, MoveValue]:
    """The stored values of shipment moves that returns reverse (they may lie before the
    checkpoint a re-valuation starts from, where nothing changes)."""
    return {
        int(row.id): MoveValue(int(row.id), row.quantity, row.value, ValueBasis(row.basis), row.variance)
        for row in uow.valuation_history.moves_by_ids(shipment_ids) if row.value is not None
    }


def receipts_linked(uow: UnitOfWork, moves: list[CostMove]) -> list[CostMove]:
    """`moves` with each return to supplier naming the receipts whose units it sends back."""
    ids = [move.id for move in moves if move.role is MoveRole.SUPPLIER_RETURN and not move.returns_moves]
    links = uow.valuation_history.returned_receipts(ids) if ids else {}
    if not links:
        return moves
    return [replace(move, returns_moves=links[move.id]) if move.id in links else move for move in moves]
