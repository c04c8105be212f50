"""What builds and disassemblies share: choosing the component stock to consume (FEFO
unless lots are given), the output lot, and recording a run with its lot genealogy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.assemblies.builds import output_expiry, production_sources
from onhand.domain.assemblies.commands import ComponentLot
from onhand.domain.calendar import business_day, time_zone
from onhand.domain.catalog.fefo import LotStock, fefo, take
from onhand.domain.catalog.items import Item, Tracking
from onhand.domain.catalog.locations import Location
from onhand.domain.catalog.lots import LOT_CODE_PATTERN, Lot, LotStatus, lot_usable
from onhand.domain.errors import InsufficientStock, InvalidInput, Shortage
from onhand.domain.ledger.availability import available
from onhand.domain.ledger.postings import MoveLine, PostingDraft
from onhand.domain.quantities import positive_quantity
from onhand.services import resolve
from onhand.services.catalog.lots import add_lot, parse_date
from onhand.services.ledger.postings import post

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True)
class Taken:
    item: Item
    place: Location
    lot: Lot | None
    quantity: Decimal


def explicit_lots(
    uow: UnitOfWork, lines: Sequence[ComponentLot], needs: dict[int, Item], field: str = "components"
) -> dict[int, list[tuple[str, Decimal, int]]]:
    """The given lots per component item id: (lot code, quantity, index of the line)."""
    given: dict[int, list[tuple[str, Decimal, int]]] = defaultdict(list)
    by_sku = {item.sku: item for item in needs.values()}
    for index, line in enumerate(lines):
        where = f"{field}[{index}]"
        item = by_sku.get(line.sku.strip())
        if item is None:
            raise InvalidInput(f"{where}.sku", f"{line.sku!r} is not a component here")
        if not item.tracks_lots:
            raise InvalidInput(f"{where}.lot", f"item {item.sku!r} is not lot-tracked; give no lot")
        quantity = positive_quantity(line.quantity, item.unit, f"{where}.quantity")
        given[item.id].append((line.lot.strip(), quantity, index))
    return given


def plan_consumption(
    uow: UnitOfWork,
    needs: Sequence[tuple[Item, Decimal]],
    *,
    site: Location,
    day: date,
    lots: Sequence[ComponentLot] = (),
    field: str = "components",
) -> list[Taken]:
    """Free stock to take at `site` (and its usable bins) for each (item, quantity):
    the given lots, else first-expired-first-out; every shortage reported at once."""
    by_id = {loc.id: loc for loc in uow.locations.all()}
    sources = production_sources(site, by_id)
    order = {place.id: (place.id != site.id, place.walk_order or 0, place.code) for place in sources}
    items = {item.id: item for item, _need in needs}
    given = explicit_lots(uow, lots, items, field)
    rows = uow.balances.balance_rows(item_ids=sorted(items), location_ids=sorted(order))
    rows.sort(key=lambda r: order[r.location_id])
    stocks: dict[int, list[LotStock]] = defaultdict(list)
    for r in rows:
        status = LotStatus(r.lot_status) if r.lot_id else LotStatus.RELEASED
        usable = lot_usable(status, r.lot_expiry, day)
        stocks[r.item_id].append(
            LotStock(r.location_id, r.lot_id, r.lot_code, r.lot_expiry, status,
                     available(r.on_hand, r.reserved, sellable=True, lot_usable=usable))
        )
    taken: list[Taken] = []
    short: list[Shortage] = []
    for item, need in needs:
        candidates = fefo(stocks[item.id], today=day, ship_date=day)
        plans = [(None, need, candidates)]
        if item.id in given:
            total = sum((quantity for _code, quantity, _index in given[item.id]), ZERO)
            if total != need:
                raise InvalidInput(field, f"the lots given for {item.sku} add up to {total}; {need} are needed")
            plans = [
                (_usable_lot(uow, item, code, day, f"{field}[{index}].lot"), quantity,
                 [s for s in candidates if s.lot_code == code])
                for code, quantity, index in given[item.id]
            ]
        for lot, amount, pool in plans:
            picked = take(pool, amount)
            got = sum((q for _s, q in picked), ZERO)
            if got < amount:
                short.append(Shortage(item.sku, site.code, lot.code if lot else None, amount, got, "available"))
            lots_by_id = uow.lots.by_ids([s.lot_id for s, _q in picked if s.lot_id])
            taken += [
                Taken(item, by_id[s.location_id], lots_by_id.get(s.lot_id) if s.lot_id else None, q) for s, q in picked
            ]
    if short:
        raise InsufficientStock(short)
    return taken


def _usable_lot(uow: UnitOfWork, item: Item, code: str, day: date, field: str) -> Lot:
    lot = resolve.lot(uow, item, code, field)
    if not lot_usable(lot.status, lot.expiry_date, day):
        state = lot.status.value if lot.status is not LotStatus.RELEASED else f"expired on {lot.expiry_date}"
        raise InvalidInput(field, f"lot {lot.code} of {item.sku} is {state}; it cannot be used")
    return lot


def output_lot(
    uow: UnitOfWork,
    item: Item,
    *,
    code: str | None,
    expiry: date | str | None,
    inputs: Sequence[Lot],
    day: date,
    now: datetime,
) -> Lot | None:
    """The lot a build puts its output into: new (expiry as given, else from the inputs and
    the item's shelf life) or an existing lot of the item, continued."""
    given_expiry = parse_date(expiry, "output_expiry")
    clean = code.strip() if code and code.strip() else None
    if not item.tracks_lots:
        if clean or given_expiry:
            raise InvalidInput("output_lot", f"item {item.sku!r} is not lot-tracked; give no output lot")
        return None
    if clean is None:
        noun = "serial" if item.tracking is Tracking.SERIAL else "lot"
        raise InvalidInput("output_lot", f"item {item.sku!r} is {noun}-tracked; give the {noun} code of the output")
    existing = uow.lots.get(item.id, clean) if LOT_CODE_PATTERN.match(clean) else None
    if existing is not None:
        if given_expiry and given_expiry != existing.expiry_date:
            raise InvalidInput("output_expiry", f"lot {clean} exists with expiry {existing.expiry_date}")
        return existing
    expires = output_expiry(
        given=given_expiry, input_expiries=[lot.expiry_date for lot in inputs],
        shelf_life_days=item.shelf_life_days, today=day,
    )
    return add_lot(uow, item, clean, expiry_date=expires, production_date=day, now=now, field="output_lot")


def business_day_of(uow: UnitOfWork, effective_at: datetime | None, today: date) -> date:
    """The business day a run is made on: its effective day when backdated (an output lot's
    production date and shelf life count from it), else today."""
    if effective_at is None:
        return today
    return business_day(effective_at, time_zone(uow.company.get().timezone))


def record_run(
    uow: UnitOfWork,
    draft: PostingDraft,
    *,
    kind: str,
    order_id: int | None,
    parent: Item,
    parent_lot: Lot | None,
    site: Location,
    quantity: Decimal,
    components: Sequence[MoveLine],
    now: datetime,
    effective_at: datetime | None = None,
) -> int:
    """Post the run's one posting (effective `effective_at`, default now) and record it with
    its genealogy: which component lots (and how much of each) went into, or came out of,
    the parent's lot."""
    posting_id = post(uow, draft, now=now, effective_at=effective_at)
    run_id = uow.builds.add_run(
        kind=kind, order_id=order_id, posting_id=posting_id, item_id=parent.id,
        lot_id=parent_lot.id if parent_lot else None, location_id=site.id, quantity=quantity,
        reference=draft.reference, now=now,
    )
    amounts: dict[tuple[int, int | None], Decimal] = defaultdict(Decimal)
    for move in components:
        amounts[(move.item.id, move.lot.id if move.lot else None)] += move.quantity
    uow.builds.add_links(
        run_id, (parent.id, parent_lot.id if parent_lot else None),
        [(item_id, lot_id, quantity) for (item_id, lot_id), quantity in amounts.items()],
    )
    return run_id
