"""Moving a transfer's goods: ship (`source → transit`), receive (`transit → destination`)
and write off what never arrived (`transit → adjustment`, with a reason).

Each is one posting, partial and repeatable. Shipping takes only free stock at the
source (lots first-expired-first-out unless named); receiving and writing off take
only what this transfer has in transit, per line and lot — the transfer row is locked
first, so two concurrent receipts can never take more than was shipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.fefo import LotStock, fefo_key, qualifies
from onhand.domain.catalog.items import Item
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.catalog.lots import Lot, LotStatus
from onhand.domain.errors import Conflict, InsufficientStock, InvalidInput, NotFound, Shortage
from onhand.domain.ledger.postings import Guard, MoveLine, PostingDraft, PostingKind
from onhand.domain.quantities import positive_quantity
from onhand.domain.transfers.commands import ReceiveTransfer, ShipTransfer, TransferMoveLine, WriteOffTransit
from onhand.domain.transfers.transfer_orders import (
    LineProgress,
    TransferStatus,
    check_within,
    require_shippable,
    require_under_way,
)
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.ledger.postings import post
from onhand.services.limits import check_line_count
from onhand.services.transfers.transfer_orders import locked_transfer, refresh_status
from onhand.services.transfers.views import TransferView, line_progress, load_transfer, transfer_subject

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


@dataclass
class _Plan:
    moves: list[MoveLine]
    lines: list[dict[str, Any]]

    def add(self, line_id: int, move: MoveLine, at: Location) -> None:
        self.moves.append(move)
        self.lines.append({"transfer_line_id": line_id, "location_id": at.id,
                           "lot_id": move.lot.id if move.lot else None, "quantity": move.quantity})


def _line(progress: dict[int, Any], no: int, reference: str, field: str) -> tuple[Any, LineProgress, dict[int, Any]]:
    for line, total, per_lot in progress.values():
        if line.line_no == no:
            return line, total, per_lot
    raise NotFound("transfer line", f"{reference}/{no}", f"{field}.line_no")


def _inside(uow: UnitOfWork, code: str | None, site: Location, field: str) -> Location:
    if code is None or not code.strip():
        return site
    place = resolve.internal_location(uow, code, field)
    if not place.is_within(site) or place.kind is LocationKind.TRANSIT:
        raise InvalidInput(field, f"{place.code!r} is not {site.code} or a bin inside it")
    return place


def ship_transfer(
    ctx: ServiceContext, command: ShipTransfer, *, idempotency_key: str | None = None
) -> TransferView:
    """Send goods on their way: `source → transit`, one posting. Without lines, everything
    left to ship. Only free (unreserved) stock is taken; all lines or none."""
    reference, lines = command.reference, command.lines

    check_line_count(ctx.limits, lines, "lines")
    def work(uow: UnitOfWork) -> int:
        row = locked_transfer(uow, reference)
        require_shippable(TransferStatus(row.status), row.reference)
        progress = line_progress(uow, row.id)
        asks = lines if lines is not None else [
            TransferMoveLine(line.line_no, total.to_ship) for line, total, _ in progress.values() if total.to_ship > 0
        ]
        if not asks:
            raise Conflict(f"transfer: {row.reference} has nothing left to ship")
        places = {loc.id: loc for loc in uow.locations.all()}
        plan, taken = _Plan([], []), defaultdict(lambda: ZERO)
        asked: dict[int, Decimal] = defaultdict(lambda: ZERO)
        short: list[Shortage] = []
        day = today(ctx, uow)
        for index, ask in enumerate(asks):
            field = f"lines[{index}]"
            line, total, _ = _line(progress, ask.line_no, row.reference, field)
            item = resolve.item(uow, line.sku, f"{field}.sku")
            quantity = positive_quantity(ask.quantity, item.unit, f"{field}.quantity")
            asked[line.id] += quantity
            check_within(f"{field}.quantity", asked[line.id], total.to_ship, f"left to ship on line {line.line_no}")
            lot = _ship_lot(uow, item, line, ask.lot, field)
            origin = _inside(uow, ask.location, places[row.source_id], f"{field}.location")
            stock = _free_stock(uow, item, lot, origin, places, day, taken)
            got = ZERO
            for (place, chosen), amount in _take(stock, quantity):
                taken[(item.id, place.id, chosen.id if chosen else 0)] += amount
                got += amount
                plan.add(line.id, MoveLine(item, place, places[row.transit_id], amount, chosen), place)
            if got < quantity:
                short.append(Shortage(sku=item.sku, location=origin.code, lot=lot.code if lot else None,
                                      requested=quantity, available=got, basis=Guard.FREE.value))
        if short:  # every short line at once
            raise InsufficientStock(short)
        return _record(uow, ctx, row, PostingDraft(PostingKind.TRANSFER_SHIP, tuple(plan.moves),
                                                   reference=row.reference), plan, "shipment")

    return run_write(ctx, work, load_transfer, action="ship_transfer", subject=transfer_subject,
                     idempotency_key=idempotency_key, request=command)


def _ship_lot(uow: UnitOfWork, item: Item, line: Any, code: str | None, field: str) -> Lot | None:
    """The lot a shipment line must take: the one it names, else the one the line asks for."""
    if code is not None and code.strip():
        if not item.tracks_lots:
            raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is not lot-tracked; give no lot")
        lot = resolve.lot(uow, item, code, f"{field}.lot")
        if line.lot_id is not None and lot.id != line.lot_id:
            raise InvalidInput(f"{field}.lot", f"line {line.line_no} sends lot {line.lot_code}, not {lot.code}")
        return lot
    return uow.lots.by_ids([line.lot_id])[line.lot_id] if line.lot_id is not None else None


def _free_stock(
    uow: UnitOfWork, item: Item, lot: Lot | None, origin: Location, places: dict[int, Location],
    day: date, taken: dict[tuple[int, int, int], Decimal],
) -> list[tuple[tuple[Location, Lot | None], Decimal]]:
    """Free stock of the item inside `origin`, in the order to take it: a named lot (or an
    untracked item) by bin walk order; otherwise usable lots first-expired-first-out."""
    inside = [loc.id for loc in places.values() if loc.is_within(origin) and loc.kind is not LocationKind.TRANSIT]
    rows = uow.balances.balance_rows(item_ids=[item.id], location_ids=inside, lot_id=lot.id if lot else None)
    lots = uow.lots.by_ids(sorted({r.lot_id for r in rows if r.lot_id}))
    found = []
    for r in rows:
        free = r.on_hand - r.reserved - taken[(item.id, r.location_id, r.lot_id or 0)]
        if free <= 0:
            continue
        stock = LotStock(r.location_id, r.lot_id, r.lot_code, r.lot_expiry,
                         LotStatus(r.lot_status) if r.lot_status else LotStatus.RELEASED, free)
        if lot is None and item.tracks_lots and not qualifies(stock, today=day, ship_date=day, min_remaining_days=0):
            continue
        place = places[r.location_id]
        walk = (place.walk_order is None, place.walk_order or 0, place.code)
        key = (*fefo_key(stock), *walk) if lot is None and item.tracks_lots else walk
        found.append((key, (place, lots.get(r.lot_id) if r.lot_id else None), free))
    return [(where, free) for _key, where, free in sorted(found, key=lambda f: f[0])]


def _take(stock: list[tuple[Any, Decimal]], need: Decimal) -> list[tuple[Any, Decimal]]:
    plan = []
    for where, free in stock:
        if need <= 0:
            break
        amount = min(free, need)
        plan.append((where, amount))
        need -= amount
    return plan


def _from_transit(
    uow: UnitOfWork, row: Any, lines: Sequence[TransferMoveLine] | None, verb: str
) -> list[tuple[int, Item, Lot | None, Decimal, str | None]]:
    """(line id, item, lot, quantity, location asked) of each part taken out of transit,
    checked against what this transfer has in transit per line and lot."""
    progress = line_progress(uow, row.id)
    if lines is None:
        everything = [
            (line, lot_key, part.in_transit)
            for line, _total, per_lot in progress.values() for lot_key, part in per_lot.items() if part.in_transit > 0
        ]
        lots = uow.lots.by_ids(sorted({key for _l, key, _q in everything if key}))
        return [(line.id, resolve.item(uow, line.sku), lots.get(key), qty, None) for line, key, qty in everything]
    if not lines:
        raise InvalidInput("lines", f"name at least one line to {verb}, or leave lines out for everything")
    parts, asked = [], defaultdict(lambda: ZERO)
    for index, ask in enumerate(lines):
        field = f"lines[{index}]"
        line, _total, per_lot = _line(progress, ask.line_no, row.reference, field)
        item = resolve.item(uow, line.sku, f"{field}.sku")
        quantity = positive_quantity(ask.quantity, item.unit, f"{field}.quantity")
        lot = _transit_lot(uow, item, line, per_lot, ask.lot, field)
        key = (line.id, lot.id if lot else 0)
        asked[key] += quantity
        moving = per_lot[key[1]].in_transit if key[1] in per_lot else ZERO
        lot_text = f" lot {lot.code}" if lot else ""
        check_within(f"{field}.quantity", asked[key], moving, f"of line {line.line_no}{lot_text} in transit")
        parts.append((line.id, item, lot, quantity, ask.location))
    return parts


def _transit_lot(uow: UnitOfWork, item: Item, line: Any, per_lot: dict[int, LineProgress], code: str | None,
                 field: str) -> Lot | None:
    if not item.tracks_lots:
        if code is not None and code.strip():
            raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is not lot-tracked; give no lot")
        return None
    if code is not None and code.strip():
        return resolve.lot(uow, item, code, f"{field}.lot")
    moving = sorted(key for key, part in per_lot.items() if part.in_transit > 0)
    if len(moving) == 1:
        return uow.lots.by_ids(moving)[moving[0]]
    if not moving:
        raise Conflict(f"{field}.quantity: line {line.line_no} has nothing in transit")
    codes = ", ".join(sorted(lot.code for lot in uow.lots.by_ids(moving).values()))
    raise InvalidInput(f"{field}.lot", f"line {line.line_no} has lots {codes} in transit; name one")


def receive_transfer(
    ctx: ServiceContext, command: ReceiveTransfer, *, idempotency_key: str | None = None
) -> TransferView:
    """Goods arrived: `transit → destination` (or `location`, a bin inside it), one
    posting. Without lines, everything in transit. Never more than was shipped, per lot."""
    reference, lines, location = command.reference, command.lines, command.location

    check_line_count(ctx.limits, lines, "lines")
    def work(uow: UnitOfWork) -> int:
        row = locked_transfer(uow, reference)
        require_under_way(TransferStatus(row.status), row.reference, "receive")
        places = {loc.id: loc for loc in uow.locations.all()}
        site = places[row.destination_id]
        default = _inside(uow, location, site, "location")
        plan = _Plan([], [])
        for index, (line_id, item, lot, quantity, asked_at) in enumerate(_from_transit(uow, row, lines, "receive")):
            target = _inside(uow, asked_at, site, f"lines[{index}].location") if asked_at else default
            plan.add(line_id, MoveLine(item, places[row.transit_id], target, quantity, lot), target)
        if not plan.moves:
            raise Conflict(f"transfer: {row.reference} has nothing in transit")
        draft = PostingDraft(PostingKind.TRANSFER_RECEIVE, tuple(plan.moves), reference=row.reference)
        return _record(uow, ctx, row, draft, plan, "receipt")

    return run_write(ctx, work, load_transfer, action="receive_transfer", subject=transfer_subject,
                     idempotency_key=idempotency_key, request=command)


def write_off_transit(
    ctx: ServiceContext, command: WriteOffTransit, *, idempotency_key: str | None = None
) -> TransferView:
    """What will never arrive leaves transit as a loss (`transit → adjustment`, with a
    reason code). Without lines, everything still in transit."""
    reference, lines, reason, note = command.reference, command.lines, command.reason, command.note
    check_line_count(ctx.limits, lines, "lines")
    clean_note = resolve.text(note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        row = locked_transfer(uow, reference)
        require_under_way(TransferStatus(row.status), row.reference, "write off")
        reason_code = resolve.reason(uow, reason)
        transit = {loc.id: loc for loc in uow.locations.all()}[row.transit_id]
        loss = uow.locations.virtual(LocationKind.ADJUSTMENT)
        plan = _Plan([], [])
        for index, (line_id, item, lot, quantity, asked_at) in enumerate(_from_transit(uow, row, lines, "write off")):
            if asked_at:
                raise InvalidInput(f"lines[{index}].location", "a write-off is always from the transit location")
            plan.add(line_id, MoveLine(item, transit, loss, quantity, lot), transit)
        if not plan.moves:
            raise Conflict(f"transfer: {row.reference} has nothing in transit")
        draft = PostingDraft(PostingKind.ADJUSTMENT, tuple(plan.moves), reason=reason_code,
                             reference=row.reference, note=clean_note)
        return _record(uow, ctx, row, draft, plan, "write_off")

    return run_write(ctx, work, load_transfer, action="write_off_transit", subject=transfer_subject,
                     idempotency_key=idempotency_key,
                     request=command)


def _record(uow: UnitOfWork, ctx: ServiceContext, row: Any, draft: PostingDraft, plan: _Plan, kind: str) -> int:
    now = ctx.now()
    posting_id = post(uow, draft, now=now)
    uow.transfers.add_event(row.id, kind, posting_id, plan.lines, now)
    refresh_status(uow, row.id, updated_at=now)
    return int(row.id)
