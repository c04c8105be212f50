"""Packing and shipping: packages with their contents, and shipments that post
`location → customer` for what leaves, consuming the order's reservations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.calendar import business_day, time_zone
from onhand.domain.catalog.items import ItemKind
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.catalog.lots import LotStatus, is_usable
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.domain.orders.commands import PackOrder, ShipLine, ShipOrder
from onhand.domain.orders.records import SalesOrderLineRecord
from onhand.domain.orders.sales_orders import OrderStatus, require_active
from onhand.domain.quantities import MAX_QUANTITY, non_negative_quantity, parse_decimal, plain, positive_quantity
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.ledger.postings import post
from onhand.services.limits import check_line_count
from onhand.services.orders import allocation, serials
from onhand.services.orders.sales_orders import locked_order
from onhand.services.orders.views import (
    OrderNow,
    SalesOrderView,
    ShipmentLineView,
    ShipmentView,
    load_order,
    order_subject,
)

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


def _lines_by_no(uow: UnitOfWork, order_id: int) -> dict[int, Any]:
    return {line.line_no: line for line in uow.orders.lines(order_id)}


def _parts(lines: dict[int, Any], line: Any, quantity: Decimal) -> list[tuple[Any, Decimal]]:
    """What `quantity` of a line is in stock lines: itself, or a bundle's components."""
    if line.item_kind != ItemKind.BUNDLE.value:
        return [(line, quantity)]
    return [(part, quantity * part.per_kit) for part in lines.values() if part.kit_line_no == line.line_no]


def _line(lines: dict[int, Any], line_no: int, field_name: str) -> Any:
    if line_no not in lines:
        raise InvalidInput(field_name, f"the order has no line {line_no}")
    return lines[line_no]


def _measure(value: Decimal | int | str | None, field_name: str) -> Decimal | None:
    if value is None:
        return None
    number = parse_decimal(value, field_name)
    if number < 0 or number > MAX_QUANTITY or number != number.quantize(Decimal("0.001")):
        raise InvalidInput(field_name, f"must be a number from 0 to {MAX_QUANTITY} with at most 3 decimals")
    return number


def pack_order(
    ctx: ServiceContext, command: PackOrder, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Put picked goods into packages (with carrier, tracking, weight and size)."""
    reference, packages = command.reference, command.packages
    check_line_count(ctx.limits, packages, "packages")
    if not packages:
        raise InvalidInput("packages", "give at least one package")

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        lines = _lines_by_no(uow, order.id)
        picked = {line.id: line.picked for line in lines.values()}
        packed: dict[int, Decimal] = defaultdict(Decimal)
        for contents in _packed_unshipped(uow, order).values():
            for line_id, quantity in contents.items():
                packed[line_id] += quantity
        now = ctx.now()
        for p_index, spec in enumerate(packages):
            prefix = f"packages[{p_index}]"
            if not spec.contents:
                raise InvalidInput(f"{prefix}.contents", "a package holds at least one line")
            if spec.dimensions_cm and len(spec.dimensions_cm) != 3:
                raise InvalidInput(f"{prefix}.dimensions_cm", "give length, width and height")
            contents: dict[int, Decimal] = defaultdict(Decimal)
            for c_index, (line_no, raw) in enumerate(spec.contents):
                where = f"{prefix}.contents[{c_index}]"
                given = _line(lines, line_no, f"{where}.line_no")
                item = uow.items.get(given.item_id)
                assert item is not None
                amount = positive_quantity(raw, item.unit, f"{where}.quantity")
                for line, part in _parts(lines, given, amount):
                    contents[line.id] += part
                    if packed[line.id] + contents[line.id] > picked[line.id]:
                        raise Conflict(
                            f"{where}.quantity: line {line.line_no} has {picked[line.id]} picked, "
                            f"{packed[line.id]} of it already packed"
                        )
            for line_id, quantity in contents.items():
                packed[line_id] += quantity
            length, width, height = (
                [_measure(v, f"{prefix}.dimensions_cm") for v in spec.dimensions_cm] or [None] * 3
            )
            uow.shipments.add_package(
                order.id,
                {
                    "carrier": resolve.text(spec.carrier, f"{prefix}.carrier", max_length=64),
                    "tracking_number": resolve.text(spec.tracking_number, f"{prefix}.tracking_number",
                                                    max_length=100),
                    "weight_kg": _measure(spec.weight_kg, f"{prefix}.weight_kg"),
                    "length_cm": length, "width_cm": width, "height_cm": height, "created_at": now,
                },
                dict(contents),
            )
        return int(order.id)

    return run_write(ctx, work, load_order, action="pack_order", subject=order_subject,
                     idempotency_key=idempotency_key, request=command)


def ship_order(
    ctx: ServiceContext, command: ShipOrder, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Ship from the order's reservations (picked units first); partial shipments allowed.

    Without `lines`: the packed, not yet shipped packages if there are any, else
    everything picked, else everything reserved.
    """
    reference, lines = command.reference, command.lines

    check_line_count(ctx.limits, lines, "lines")
    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        by_no = _lines_by_no(uow, order.id)
        packed = _packed_unshipped(uow, order)
        named: set[int] = set()
        fields: dict[int, str] = {}
        if lines is not None:
            wanted = _explicit(uow, by_no, lines)
            if not wanted:
                raise InvalidInput("lines", "every quantity is zero: nothing to ship")
            named = serials.confirm_named(uow, order, by_no, lines)
            for index, ship in enumerate(lines):
                for line, _part in _parts(by_no, by_no[ship.line_no], Decimal(1)):
                    fields.setdefault(line.id, f"lines[{index}].serials")
        else:
            wanted = _default_shipment(by_no, packed)
            if not wanted:
                raise Conflict(f"order: {order.reference} has nothing reserved to ship")
        serials.require_confirmed(uow, order, by_no, wanted, fields)
        lines_after, shipments = _ship(uow, order, by_no, wanted, packed, ctx.now(), first=named)
        return OrderNow(order.id, lines_after, shipments=shipments)

    return run_write(ctx, work, load_order, action="ship_order", subject=order_subject,
                     idempotency_key=idempotency_key, request=command)


def ship_if_covered(uow: UnitOfWork, order: Any, now: Any) -> bool:
    """Ship everything the order still has to ship, if all of it is reserved; whether it was."""
    by_no = _lines_by_no(uow, order.id)
    stock = allocation.stock_lines(list(by_no.values()))
    if not stock or any(line.reserved != line.quantity - line.shipped for line in stock):
        return False
    wanted = {line.id: line.reserved for line in stock if line.reserved > 0}
    if not wanted or serials.unconfirmed(uow, order, by_no, wanted):
        return False
    _ship(uow, order, by_no, wanted, _packed_unshipped(uow, order), now)
    return True


def _ship(
    uow: UnitOfWork, order: Any, by_no: dict[int, Any], wanted: dict[int, Decimal],
    packed: dict[int, dict[int, Decimal]], now: Any, *, first: set[int] | frozenset[int] = frozenset(),
) -> tuple[list[SalesOrderLineRecord], tuple[ShipmentView, ...] | None]:
    """Post the shipment; returns the order's lines as they are after it, and its shipments
    when this is its first (else None: its view reads them)."""
    _require_reserved(by_no, wanted)
    shipment = _post_shipment(uow, order, dict(wanted), now, first)
    shipment_id = uow.shipments.add_shipment(order.id, shipment.posting_id, shipment.rows, now)
    uow.shipments.mark_shipped(_packages_covered(packed, wanted), shipment_id)
    if first:  # the serials it names were picked since the lines were read
        after = uow.orders.lines(order.id)
    else:  # as a read would give them: each line holds what was taken less, and shipped it
        after = [
            replace(line, reserved=plain(line.reserved - shipment.taken[line.id]),
                    picked=plain(line.picked - shipment.picked[line.id]),
                    shipped=plain(line.shipped + shipment.taken[line.id]))
            if line.id in shipment.taken else line
            for line in by_no.values()
        ]
    allocation.refresh_status(uow, order, now, lines=[allocation.progress(line)
                                                       for line in allocation.stock_lines(after)])
    if any(line.shipped > 0 for line in by_no.values()):
        return after, None
    return after, (ShipmentView(shipment_id, shipment.posting_id, now.astimezone(UTC),
                                 tuple(sorted(shipment.views, key=lambda view: view.line_no))),)


def _packed_unshipped(uow: UnitOfWork, order: Any) -> dict[int, dict[int, Decimal]]:
    """Per unshipped package: order line id -> quantity (no query for an order without packages)."""
    return uow.shipments.packed_unshipped(order.id) if order.has_packages else {}


def _explicit(uow: UnitOfWork, by_no: dict[int, Any], lines: Sequence[ShipLine]) -> dict[int, Decimal]:
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for index, ship in enumerate(lines):
        given = _line(by_no, ship.line_no, f"lines[{index}].line_no")
        item = uow.items.get(given.item_id)
        assert item is not None
        quantity = non_negative_quantity(ship.quantity, item.unit, f"lines[{index}].quantity")
        for line, part in _parts(by_no, given, quantity):
            wanted[line.id] += part
            if wanted[line.id] > line.reserved:
                raise Conflict(
                    f"lines[{index}].quantity: shipping {wanted[line.id]} of line {line.line_no} "
                    f"({line.sku}) but only {line.reserved} is reserved"
                )
    return {line_id: q for line_id, q in wanted.items() if q > 0}


def _default_shipment(by_no: dict[int, Any], packed: dict[int, dict[int, Decimal]]) -> dict[int, Decimal]:
    if packed:
        wanted: dict[int, Decimal] = defaultdict(Decimal)
        for contents in packed.values():
            for line_id, quantity in contents.items():
                wanted[line_id] += quantity
        return dict(wanted)
    basis = "picked" if any(line.picked > 0 for line in by_no.values()) else "reserved"
    return {line.id: getattr(line, basis) for line in by_no.values() if getattr(line, basis) > 0}


def _require_reserved(by_no: dict[int, Any], wanted: dict[int, Decimal]) -> None:
    """Nothing ships that is not reserved for its line (a count may have taken packed units)."""
    numbers = {line.id: line.line_no for line in by_no.values()}
    reserved_of = {line.id: line.reserved for line in by_no.values()}
    for line_id, quantity in wanted.items():
        reserved = reserved_of[line_id]
        if quantity > reserved:
            raise Conflict(
                f"lines: line {numbers[line_id]} would ship {quantity} but only {reserved} is reserved; "
                "allocate the order again"
            )


def _packages_covered(packed: dict[int, dict[int, Decimal]], shipped: dict[int, Decimal]) -> list[int]:
    """Unshipped packages whose whole contents left with this shipment, oldest first."""
    left = dict(shipped)
    covered = []
    for package_id, contents in sorted(packed.items()):
        if all(left.get(line_id, ZERO) >= quantity for line_id, quantity in contents.items()):
            for line_id, quantity in contents.items():
                left[line_id] -= quantity
            covered.append(package_id)
    return covered


@dataclass(frozen=True)
class _Shipment:
    """What a shipment posted and took."""

    posting_id: int
    rows: list[dict[str, Any]]  # its lines' rows (shipments.add_shipment)
    views: list[ShipmentLineView]  # its lines as its view shows them, in the order posted
    taken: dict[int, Decimal]  # per order line id: what left
    picked: dict[int, Decimal]  # per order line id: how much of that had been picked


def _post_shipment(
    uow: UnitOfWork, order: Any, wanted: dict[int, Decimal], now: Any, first: set[int] | frozenset[int]
) -> _Shipment:
    """Consume reservations (those in `first` — serials the shipment names — then picked,
    then first-expiring) and post the moves."""
    customer = uow.locations.virtual(LocationKind.CUSTOMER)
    places = uow.locations.by_id()
    rows = sorted(
        uow.reservations.for_order(order.id),
        key=lambda r: (r.id not in first, r.picked <= 0, r.expiry_date is None, r.expiry_date or now.date(), r.id),
    )
    items = uow.items.by_ids(sorted({r.item_id for r in rows}))
    lots = uow.lots.by_ids(sorted({r.lot_key for r in rows if r.lot_key}))
    day = business_day(now, time_zone(uow.company.get().timezone))
    moves, shipped, views = [], [], []
    taken: dict[int, Decimal] = defaultdict(Decimal)
    picked: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        need = wanted.get(row.order_line_id, ZERO)
        take = min(need, row.quantity)
        if take <= 0:
            continue
        lot = lots.get(row.lot_key)
        if lot is not None and not is_usable(lot, day):
            state = f"expired on {lot.expiry_date}" if lot.status is LotStatus.RELEASED else lot.status.value
            raise Conflict(
                f"lines: lot {lot.code} reserved for line {row.line_no} is {state} and cannot ship; "
                "allocate the order again"
            )
        uow.reservations.consume(row, take)  # picked units first
        wanted[row.order_line_id] = need - take
        taken[row.order_line_id] += take
        picked[row.order_line_id] += min(row.picked, take)
        moves.append(MoveLine(items[row.item_id], places[row.location_id], customer, take, lot))
        shipped.append({"order_line_id": row.order_line_id, "location_id": row.location_id,
                        "lot_id": lot.id if lot else None, "quantity": take})
        views.append(ShipmentLineView(row.line_no, row.sku, places[row.location_id].code,
                                      lot.code if lot else None, plain(take)))
    draft = PostingDraft(kind=PostingKind.SHIPMENT, moves=tuple(moves), reference=order.reference)
    return _Shipment(post(uow, draft, now=now), shipped, views, taken, picked)
