"""Picking: pick lists in walking order, and confirming what was actually picked.

The picker may scan a different lot than the one suggested, if that lot is usable,
qualifies for the order and is free at the same place: the reservation moves to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.fefo import LotStock, qualifies
from onhand.domain.catalog.items import Item
from onhand.domain.catalog.lots import LotStatus, is_expired
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.orders.commands import ConfirmPick, PickConfirmation
from onhand.domain.orders.sales_orders import OrderStatus, require_active
from onhand.domain.quantities import positive_quantity
from onhand.services import resolve
from onhand.services.catalog.scanning import resolve_scan
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.limits import check_line_count
from onhand.services.orders import allocation
from onhand.services.orders.sales_orders import locked_order, order_id
from onhand.services.orders.views import SalesOrderView, load_order, order_subject

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True)
class PickLine:
    reservation_id: int
    line_no: int
    sku: str
    location: str
    lot: str | None
    expiry_date: date | None
    quantity: Decimal  # still to pick


@dataclass(frozen=True)
class PickSite:
    site: str
    lines: tuple[PickLine, ...]


@dataclass(frozen=True)
class PickList:
    order: str
    sites: tuple[PickSite, ...]


def pick_list(ctx: ServiceContext, reference: str) -> PickList:
    """What to pick for an order, grouped by site, bins in walking order (then code)."""
    with ctx.reading() as uow:
        places = uow.locations.by_id()
        by_site: dict[int, list[tuple[Any, PickLine]]] = defaultdict(list)
        for site_id, walk, line in _open_picks(uow, order_id(uow, reference), places):
            by_site[site_id].append((walk, line))
    sites = [
        PickSite(places[site_id].code, tuple(line for _walk, line in sorted(rows, key=lambda r: r[0])))
        for site_id, rows in sorted(by_site.items(), key=lambda kv: places[kv[0]].code)
    ]
    return PickList(order=reference.strip(), sites=tuple(sites))


@dataclass(frozen=True)
class WavePick:
    order: str
    line: PickLine


@dataclass(frozen=True)
class WaveSite:
    site: str
    picks: tuple[WavePick, ...]


MAX_WAVE_PICK = 200


def wave_pick_list(ctx: ServiceContext, references: Sequence[str]) -> tuple[WaveSite, ...]:
    """What to pick for several orders in one walk: per site, every order's open picks
    together, bins in walking order (then code, SKU, expiry, order)."""
    wanted = list(dict.fromkeys(resolve.text(r, "orders", max_length=64) or "" for r in references))
    if not wanted or "" in wanted:
        raise InvalidInput("orders", "name one or more orders")
    if len(wanted) > MAX_WAVE_PICK:
        raise InvalidInput("orders", f"at most {MAX_WAVE_PICK} orders in one pick list")
    with ctx.reading() as uow:
        places = uow.locations.by_id()
        by_site: dict[int, list[tuple[Any, WavePick]]] = defaultdict(list)
        for reference in wanted:
            for site_id, walk, line in _open_picks(uow, order_id(uow, reference), places):
                by_site[site_id].append(((*walk, reference), WavePick(reference, line)))
    return tuple(
        WaveSite(places[site_id].code, tuple(pick for _walk, pick in sorted(rows, key=lambda r: r[0])))
        for site_id, rows in sorted(by_site.items(), key=lambda kv: places[kv[0]].code)
    )


def _open_picks(uow: UnitOfWork, the_order: int, places: dict[int, Any]) -> list[tuple[int, Any, PickLine]]:
    """(site id, walking key, line) of every reservation of the order not yet picked in full."""
    found = []
    for row in uow.reservations.for_order(the_order):
        if row.quantity <= row.picked:
            continue
        place = places[row.location_id]
        line = PickLine(row.id, row.line_no, row.sku, place.code, row.lot_code, row.expiry_date,
                        row.quantity - row.picked)
        walk = (place.walk_order is None, place.walk_order or 0, place.code, line.sku, line.expiry_date or date.max)
        found.append((place.path[0], walk, line))
    return found


def confirm_pick(
    ctx: ServiceContext, command: ConfirmPick, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Record what was actually picked (a scanned lot may replace the suggested one)."""
    reference, picks = command.reference, command.picks
    check_line_count(ctx.limits, picks, "picks")
    if not picks:
        raise InvalidInput("picks", "confirm at least one pick")

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        for index, pick in enumerate(picks):
            _confirm(ctx, uow, order, pick, f"picks[{index}]")
        allocation.refresh_status(uow, order, ctx.now())
        return int(order.id)

    return run_write(ctx, work, load_order, action="confirm_pick", subject=order_subject,
                     idempotency_key=idempotency_key, request=command)


def _scanned(uow: UnitOfWork, pick: PickConfirmation, field: str) -> tuple[Item, str | None, Any]:
    """The item, lot code and quantity a pick names, typed or scanned (they must agree)."""
    if not pick.barcode:
        if not pick.sku or pick.quantity is None:
            raise InvalidInput(f"{field}.sku" if not pick.sku else f"{field}.quantity",
                               "give it, or scan a barcode")
        return resolve.item(uow, pick.sku, f"{field}.sku"), pick.lot, pick.quantity
    parsed, item = resolve_scan(uow, pick.barcode, f"{field}.barcode")
    if item is None:
        raise InvalidInput(f"{field}.barcode", "the code carries no GTIN, so it names no item")
    if pick.sku and pick.sku.strip() != item.sku:
        raise InvalidInput(f"{field}.sku", f"the scanned code is {item.sku}, not {pick.sku.strip()}")
    scanned_lot = parsed.lot or parsed.serial
    if pick.lot and scanned_lot and pick.lot.strip() != scanned_lot:
        raise InvalidInput(f"{field}.lot", f"the scanned code is lot {scanned_lot}, not {pick.lot.strip()}")
    quantity = pick.quantity if pick.quantity is not None else (parsed.count or 1)
    return item, pick.lot or scanned_lot, quantity


def _confirm(ctx: ServiceContext, uow: UnitOfWork, order: Any, pick: PickConfirmation, field: str) -> None:
    item, lot_code, amount = _scanned(uow, pick, field)
    place = resolve.internal_location(uow, pick.location, f"{field}.location")
    quantity = positive_quantity(amount, item.unit, f"{field}.quantity")
    lot = None
    if item.tracks_lots:
        if not lot_code:
            raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is lot-tracked: scan the lot picked")
        lot = resolve.lot(uow, item, lot_code, f"{field}.lot")
        _require_pickable(ctx, uow, order, lot, field)
    elif lot_code:
        raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is not lot-tracked; give no lot")
    held = [
        row for row in uow.reservations.for_order(order.id)
        if row.item_id == item.id and row.location_id == place.id and row.quantity > row.picked
    ]
    open_here = sum((row.quantity - row.picked for row in held), ZERO)
    if quantity > open_here:
        raise Conflict(
            f"{field}.quantity: {quantity} of {item.sku} picked at {place.code}, "
            f"but only {open_here} is left to pick there for {order.reference}"
        )
    lot_key = lot.id if lot else 0
    same = [row for row in held if row.lot_key == lot_key]
    for row in same:
        take = min(quantity, row.quantity - row.picked)
        if take > 0:
            uow.reservations.pick(row.id, take)
            quantity -= take
    if quantity > 0:
        assert lot is not None  # untracked stock always matches its own reservation
        pinned = {line.id: line.pinned_lot_id for line in uow.orders.lines(order.id)}
        # A line whose customer asked for one lot keeps it: the picker cannot substitute.
        others = [r for r in held if r.lot_key != lot_key and pinned.get(r.order_line_id) in (None, lot.id)]
        if not others:
            raise InvalidInput(f"{field}.lot", f"lot {lot.code} is not the lot these lines were promised")
        _swap_lot(ctx, uow, place, lot, others, quantity, field)


def _require_pickable(ctx: ServiceContext, uow: UnitOfWork, order: Any, lot: Any, field: str) -> None:
    """Expired, quarantined or recalled lots, or lots too short-dated for the order, never leave."""
    day = today(ctx, uow)
    if is_expired(lot.expiry_date, day):
        raise InvalidInput(f"{field}.lot", f"lot {lot.code} expired on {lot.expiry_date}; it cannot be picked")
    if lot.status is not LotStatus.RELEASED:
        raise InvalidInput(f"{field}.lot", f"lot {lot.code} is {lot.status.value}; it cannot be picked")
    item = uow.items.get(lot.item_id)
    assert item is not None
    company_days = uow.company.get().min_remaining_shelf_life_days
    minimum = company_days if item.min_remaining_shelf_life_days is None else item.min_remaining_shelf_life_days
    stock = LotStock(0, lot.id, lot.code, lot.expiry_date, lot.status, Decimal(1))
    if not qualifies(stock, today=day, ship_date=max(order.requested_ship_date, day), min_remaining_days=minimum):
        raise InvalidInput(
            f"{field}.lot", f"lot {lot.code} expires {lot.expiry_date}: too soon for this order's ship date"
        )


def _swap_lot(
    ctx: ServiceContext, uow: UnitOfWork, place: Any, lot: Any, others: list[Any], quantity: Decimal, field: str
) -> None:
    """The picker took another lot than suggested: move the reservation onto it."""
    key = (lot.item_id, place.id, lot.id)
    # Take the scanned lot first (refusing if it is not free), then free the suggested one.
    for row in sorted(others, key=lambda r: r.id):
        give_back = min(quantity, row.quantity - row.picked)
        if give_back <= 0:
            continue
        if not uow.reservations.reserve(key, give_back):
            raise Conflict(
                f"{field}.lot: lot {lot.code} has only {uow.reservations.free(key)} free at {place.code}"
            )
        uow.reservations.release(row, give_back)
        uow.reservations.add(row.order_line_id, key, give_back, picked=give_back, at=ctx.now())
        quantity -= give_back
    if quantity > 0:
        raise Conflict(f"{field}.quantity: {quantity} more of lot {lot.code} than its lines have left to pick")
