"""Writing postings to the ledger: the one path by which stock moves.

Every business action that moves stock builds a `PostingDraft` and calls `post` inside
its unit of work; `post` validates it, appends it, and updates the balances in the same
transaction, raising `InsufficientStock` (with every short line) if a guarded
location would go below zero, which rolls the whole posting back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.errors import Conflict, InsufficientStock, InvalidInput, NotFound, Shortage
from onhand.domain.items import Item, Tracking
from onhand.domain.ledger import (
    BalanceKey,
    Guard,
    PostingDraft,
    balance_deltas,
    guard_for,
    must_stay_non_negative,
    validate_posting,
)
from onhand.domain.locations import Location
from onhand.domain.lots import LOT_CODE_PATTERN, Lot
from onhand.domain.quantities import quantity as parse_quantity
from onhand.services import backorders, resolve
from onhand.services.context import ServiceContext
from onhand.services.journals import check_open_period
from onhand.services.lots import add_lot, parse_date
from onhand.services.valuing import value_posting
from onhand.services.views import PostingView

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def post(
    uow: UnitOfWork, draft: PostingDraft, *, now: datetime, actor: str | None = None
) -> int:
    validate_posting(draft)
    check_open_period(uow, now)  # effective now; a backdated posting is checked the same way
    posting_id = uow.ledger.add_posting(draft, created_at=now, effective_at=now, actor=actor)
    places = {m.source.id: m.source for m in draft.moves} | {
        m.destination.id: m.destination for m in draft.moves
    }
    guarded = {loc.id for loc in places.values() if must_stay_non_negative(loc)}
    deltas = balance_deltas(draft.moves)
    guard = guard_for(draft.kind)
    short = uow.ledger.apply_deltas(deltas, guarded, guard)
    if short:
        skus = {m.item.id: m.item.sku for m in draft.moves}
        lots = {m.lot.id: m.lot.code for m in draft.moves if m.lot}
        raise InsufficientStock(
            [
                Shortage(
                    sku=skus[item_id],
                    location=places[location_id].code,
                    lot=lots.get(lot_key),
                    requested=-deltas[(item_id, location_id, lot_key)],
                    available=there,
                    basis=guard.value,
                )
                for (item_id, location_id, lot_key), there in short
            ]
        )
    _check_serials_unique(uow, draft)
    value_posting(uow, posting_id, draft, now=now)
    # A decrease guarded by free stock cannot leave less on hand than is reserved.
    kept = guarded if guard is Guard.FREE else set()
    _rebalance_reservations(uow, deltas, places, now, kept_promises=kept)
    return posting_id


def _rebalance_reservations(
    uow: UnitOfWork,
    deltas: dict[BalanceKey, Decimal],
    places: dict[int, Location],
    now: datetime,
    *,
    kept_promises: set[int],
) -> None:
    """Keep promises consistent with what is on hand, in the posting's transaction.

    Stock that left a balance holding reservations (a loss, a count) shrinks them,
    newest first; stock that arrived somewhere sellable serves backorders, oldest first.
    """
    shrunk = [
        key for key, delta in deltas.items()
        if delta < 0 and places[key[1]].is_internal and key[1] not in kept_promises
    ]
    affected = backorders.release_overcommitted(uow, shrunk) if shrunk else []
    arrived = sorted(
        {key[0] for key, delta in deltas.items() if delta > 0 and places[key[1]].is_internal}
    )
    backorders.serve_backorders(uow, item_ids=arrived, also_orders=affected, now=now)


def _check_serials_unique(uow: UnitOfWork, draft: PostingDraft) -> None:
    for move in draft.moves:
        if not (move.item.tracking is Tracking.SERIAL and move.lot and move.destination.is_internal):
            continue
        if uow.ledger.internal_on_hand_of_lot(move.item.id, move.lot.id) > 1:
            raise Conflict(f"serial: {move.item.sku} serial {move.lot.code!r} is already in stock")


def load_posting(uow: UnitOfWork, posting_id: int) -> PostingView:
    view = uow.ledger.posting(posting_id)
    if view is None:
        raise NotFound("posting", str(posting_id), "posting_id")
    return view


def get_posting(ctx: ServiceContext, posting_id: int) -> PostingView:
    resolve.record_id(posting_id, "posting_id")
    with ctx.reading() as uow:
        return load_posting(uow, posting_id)


@dataclass(frozen=True)
class StockLine:
    """One line of an adjustment, count or opening stock, as a user gives it."""

    sku: str
    quantity: Decimal | int | str
    lot: str | None = None
    # For a lot first seen on this line (stock found or opening stock).
    expiry_date: date | str | None = None
    production_date: date | str | None = None


@dataclass(frozen=True)
class ResolvedLine:
    item: Item
    quantity: Decimal
    lot: Lot | None


def resolve_line(
    uow: UnitOfWork,
    line: StockLine,
    field: str,
    *,
    now: datetime,
) -> ResolvedLine:
    """Look up a line's item and lot and parse its quantity in the item's unit.

    A lot not yet known is created when the line's quantity is positive (stock found,
    counted or opened with it); otherwise an unknown lot is an error.
    """
    item = resolve.item(uow, line.sku, f"{field}.sku")
    amount = parse_quantity(line.quantity, item.unit, f"{field}.quantity")
    lot: Lot | None = None
    if line.lot is not None and line.lot.strip():
        lot = uow.lots.get(item.id, line.lot.strip()) if LOT_CODE_PATTERN.match(line.lot.strip()) else None
        if lot is None:
            if amount <= 0:
                raise NotFound("lot", f"{item.sku}/{line.lot}", f"{field}.lot")
            lot = add_lot(
                uow,
                item,
                line.lot,
                expiry_date=parse_date(line.expiry_date, f"{field}.expiry_date"),
                production_date=parse_date(line.production_date, f"{field}.production_date"),
                now=now,
                field=f"{field}.lot",
            )
    if item.tracks_lots and lot is None:
        noun = "serial" if item.tracking is Tracking.SERIAL else "lot"
        raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is {noun}-tracked; a {noun} is required")
    return ResolvedLine(item, amount, lot)

