"""Writing postings to the ledger: the one path by which stock moves.

Every business action that moves stock builds a `PostingDraft` and calls `post` inside
its unit of work; `post` validates it, appends it, and updates the balances in the same
transaction, raising `InsufficientStock` (with every short line) if a guarded
location would go below zero, which rolls the whole posting back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.calendar import parse_moment, time_zone
from onhand.domain.catalog.items import Item, Tracking
from onhand.domain.catalog.lots import LOT_CODE_PATTERN, Lot
from onhand.domain.errors import (
    AlreadyExists,
    Conflict,
    InsufficientStock,
    InvalidInput,
    NotFound,
    OutOfRange,
    Shortage,
)
from onhand.domain.ledger.commands import StockLine
from onhand.domain.ledger.events import PostingsToWrite, PostingsWritten, WrittenPosting
from onhand.domain.ledger.postings import (
    Guard,
    PostingDraft,
    Refusals,
    balance_deltas,
    guard_for,
    must_stay_non_negative,
    validate_posting,
)
from onhand.domain.money import money
from onhand.domain.quantities import MAX_TOTAL_QUANTITY
from onhand.domain.quantities import quantity as parse_quantity
from onhand.services import resolve
from onhand.services.catalog.lots import add_lot, parse_date
from onhand.services.context import ServiceContext
from onhand.services.views import PostingView

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def post(
    uow: UnitOfWork,
    draft: PostingDraft,
    *,
    now: datetime,
    effective_at: datetime | None = None,
) -> int:
    """Append `draft` and apply it to the balances; `effective_at` (default `now`, never later)
    backdates it: it is valued where it falls in each item's history, and what it affects is
    re-valued (services/valuation/posting_values.py). Availability is still checked against the stock of now.
    The posting records the unit of work's actor."""
    return post_many(uow, [draft], now=now, effective_at=effective_at)[0]


def clock_in_turn(ctx: ServiceContext, uow: UnitOfWork) -> datetime:
    """The time a posting is stamped with, read once its unit of work has its turn to write
    (`UnitOfWork.about_to_write`): read before, the clock could fall behind another process's
    later moves of the same items, and the posting be valued as backdated (dearer, and needless).
    A posting of a document (a shipment, a receipt, a transfer) locks the document first, which
    takes the turn; one of none (an adjustment, a relocation, a count, a build) reads it here."""
    uow.about_to_write()
    return ctx.now()


def post_many(
    uow: UnitOfWork, drafts: Sequence[PostingDraft], *, now: datetime, effective_at: datetime | None = None,
) -> list[int]:
    """Post several drafts at once (a wave of shipments, say): each is its own posting
    with the same checks and effects as if posted alone, written in a few statements.
    The drafts must share one guard (see `guard_for`)."""
    for draft in drafts:
        validate_posting(draft)
    effective = now if effective_at is None else effective_at
    if effective > now:
        raise InvalidInput("effective_at", "must not be in the future")
    guards = {guard_for(draft.kind) for draft in drafts}
    if len(guards) != 1:
        raise ValueError("post_many: the drafts must share one guard")
    guard = guards.pop()
    uow.publish(PostingsToWrite(tuple(drafts), effective))  # e.g. nothing on or before the lock date
    written = uow.ledger.add_postings(
        list(drafts), created_at=now, effective_at=effective, actor=uow.actor.reference
    )
    apply_written(uow, drafts, written, guard=guard, effective_at=effective, now=now)
    return [posting_id for posting_id, _ids in written]


def apply_written(
    uow: UnitOfWork, drafts: Sequence[PostingDraft], written: Sequence[tuple[int, Sequence[int]]], *,
    guard: Guard, effective_at: datetime, now: datetime,
) -> None:
    """What follows the writing of the drafts' moves (`written`: each one's posting id and move
    ids): the balances changed under `guard`, serial numbers checked, `PostingsWritten` published."""
    moves = [move for draft in drafts for move in draft.moves]
    places = {m.source.id: m.source for m in moves} | {m.destination.id: m.destination for m in moves}
    guarded = {loc.id for loc in places.values() if must_stay_non_negative(loc)}
    deltas = balance_deltas(moves)
    skus = {m.item.id: m.item.sku for m in moves}
    lots = {m.lot.id: m.lot.code for m in moves if m.lot}
    too_big = sorted((key for key, delta in deltas.items() if abs(delta) > MAX_TOTAL_QUANTITY),
                     key=lambda key: (key[1] not in guarded, key))  # as apply_deltas orders them
    if too_big:  # such a change could not even be given to the database (64-bit integers)
        outcome = Refusals(over=[(too_big[0], uow.balances.on_hand(too_big[0]))])
    else:
        outcome = uow.balances.apply_deltas(deltas, guarded, guard)
    if outcome.short:
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
                for (item_id, location_id, lot_key), there in outcome.short
            ]
        )
    if outcome.over:
        (item_id, location_id, lot_key), there = outcome.over[0]
        raise OutOfRange(
            sku=skus[item_id], location=places[location_id].code, lot=lots.get(lot_key), what="on hand",
            total=there + deltas[(item_id, location_id, lot_key)], limit=MAX_TOTAL_QUANTITY,
        )
    for draft in drafts:
        _check_serials_unique(uow, draft)
    uow.publish(PostingsWritten(
        postings=tuple(WrittenPosting(posting_id, tuple(move_ids), draft)
                       for (posting_id, move_ids), draft in zip(written, drafts, strict=True)),
        deltas=deltas,
        places=places,
        # A decrease guarded by free stock cannot leave less on hand than is reserved.
        kept_promises=frozenset(guarded if guard is Guard.FREE else ()),
        effective_at=effective_at,
        now=now,
    ))


def _check_serials_unique(uow: UnitOfWork, draft: PostingDraft) -> None:
    for move in draft.moves:
        if not (move.item.tracking is Tracking.SERIAL and move.lot and move.destination.is_internal):
            continue
        if uow.balances.internal_on_hand_of_lot(move.item.id, move.lot.id) > 1:
            raise Conflict(f"serial: {move.item.sku} serial {move.lot.code!r} is already in stock")


def parse_effective_at(value: datetime | date | str | None, uow: UnitOfWork, *, now: datetime,
                       field: str = "effective_at") -> datetime | None:
    """When a posting happened: an ISO 8601 moment (a moment without an offset, or a bare date —
    its start — is read in the company's time zone); never in the future. None: now."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    moment = parse_moment(value, time_zone(uow.company.get().timezone), field)
    if moment > now:
        raise InvalidInput(field, "must not be in the future")
    return moment


def load_posting(uow: UnitOfWork, posting_id: int) -> PostingView:
    view = uow.ledger.posting(posting_id)
    if view is None:
        raise NotFound("posting", str(posting_id), "posting_id")
    return view


def posting_subject(posting: PostingView) -> AuditObject:
    return AuditObject("posting", str(posting.id))


def get_posting(ctx: ServiceContext, posting_id: int) -> PostingView:
    resolve.record_id(posting_id, "posting_id")
    with ctx.reading() as uow:
        return load_posting(uow, posting_id)


@dataclass(frozen=True)
class ResolvedLine:
    item: Item
    quantity: Decimal
    lot: Lot | None
    unit_cost: Decimal | None = None

    def refuse_cost_unless_adding(self, field: str, change: Decimal) -> None:
        """A given unit cost belongs only to a line that brings stock in (`change` > 0)."""
        if self.unit_cost is not None and change <= 0:
            what = f"removes {-change}" if change < 0 else "changes nothing"
            raise InvalidInput(f"{field}.unit_cost", f"only a line that adds stock takes a unit cost; this one {what}")


def parse_unit_cost(value: Decimal | int | str | None, field: str) -> Decimal | None:
    """A unit cost in company currency (`domain/money.py: money`), or None (absent or "")."""
    if value is None or value == "":
        return None
    return money(value, field)


@dataclass
class KnownRecords:
    """Items and lots already looked up, for many lines naming the same ones (an import):
    `resolve_line` looks here first and keeps here what it finds or creates. `lots` holds
    None for a lot known not to exist; the caller may fill it from one read of many lots,
    and empty it to bound it."""

    items: dict[str, Item] = dataclass_field(default_factory=dict)  # in use, by the SKU as given
    lots: dict[tuple[int, str], Lot | None] = dataclass_field(default_factory=dict)  # by (item id, code)


def resolve_line(
    uow: UnitOfWork,
    line: StockLine,
    field: str,
    *,
    now: datetime,
    known: KnownRecords | None = None,
) -> ResolvedLine:
    """Look up a line's item and lot and parse its quantity in the item's unit.

    A lot not yet known is created when the line's quantity is positive (stock found,
    counted or opened with it); otherwise an unknown lot is an error.
    """
    item = known.items.get(line.sku) if known is not None else None
    if item is None:
        item = resolve.item_in_use(uow, line.sku, f"{field}.sku")
        if known is not None:
            known.items[line.sku] = item
    amount = parse_quantity(line.quantity, item.unit, f"{field}.quantity")
    lot: Lot | None = None
    if line.lot is not None and line.lot.strip():
        code = line.lot.strip()
        if not LOT_CODE_PATTERN.match(code):
            lot = None
        elif known is not None and (item.id, code) in known.lots:
            lot = known.lots[(item.id, code)]
        else:
            lot = uow.lots.get(item.id, code)
        if lot is None:
            if amount <= 0:
                raise NotFound("lot", f"{item.sku}/{line.lot}", f"{field}.lot")
            try:
                lot = add_lot(
                    uow,
                    item,
                    line.lot,
                    expiry_date=parse_date(line.expiry_date, f"{field}.expiry_date"),
                    production_date=parse_date(line.production_date, f"{field}.production_date"),
                    now=now,
                    field=f"{field}.lot",
                )
            except AlreadyExists:
                # A concurrent first arrival of the lot committed since the look above
                # (PostgreSQL reads each statement's own snapshot): it is this lot.
                lot = uow.lots.get(item.id, line.lot.strip())
                if lot is None:
                    raise
            if known is not None:
                known.lots[(item.id, lot.code)] = lot
    if item.tracks_lots and lot is None:
        noun = "serial" if item.tracking is Tracking.SERIAL else "lot"
        raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is {noun}-tracked; a {noun} is required")
    return ResolvedLine(item, amount, lot, parse_unit_cost(line.unit_cost, f"{field}.unit_cost"))

