"""Sales orders: create, edit while open, allocate, re-route a line, cancel, look up.

An order from a channel is identified by (channel, external id): sending it again
returns the order already made, never a second one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from onhand.domain.locations import effective_sellable, validate_coordinates
from onhand.domain.orders import (
    OrderStatus,
    require_active,
    require_editable,
    validate_channel,
    validate_currency,
    validate_unit_price,
)
from onhand.domain.quantities import parse_decimal, positive_quantity
from onhand.services import allocation, resolve
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.lots import parse_date
from onhand.services.order_views import SalesOrderView, ShipTo, load_order

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/#\-]{0,63}$")


@dataclass(frozen=True)
class NewOrderLine:
    sku: str
    quantity: Decimal | int | str
    unit_price: Decimal | int | str = 0
    lot: str | None = None  # a lot the customer asked for
    location: str | None = None  # ship this line from here, whatever routing says


def _ship_to_values(ship_to: ShipTo | None) -> dict[str, Any]:
    ship_to = ship_to or ShipTo()
    validate_coordinates(ship_to.latitude, ship_to.longitude, "ship_to.")
    country = resolve.text(ship_to.country, "ship_to.country")
    if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise InvalidInput("ship_to.country", f"{country!r} is not an ISO 3166 alpha-2 code")
    values: dict[str, Any] = {
        f"ship_to_{name}": resolve.text(getattr(ship_to, name), f"ship_to.{name}")
        for name in ("name", "line1", "line2", "city", "region", "postcode")
    }
    return values | {
        "ship_to_country": country.upper() if country else None,
        "ship_to_latitude": ship_to.latitude,
        "ship_to_longitude": ship_to.longitude,
    }


def _line_values(uow: UnitOfWork, lines: Sequence[NewOrderLine]) -> list[dict[str, Any]]:
    if not lines:
        raise InvalidInput("lines", "an order needs at least one line")
    places = {loc.id: loc for loc in uow.locations.all()}
    values = []
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        item = resolve.item(uow, line.sku, f"{field}.sku")
        lot = None
        if line.lot is not None and line.lot.strip():
            if not item.tracks_lots:
                raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is not lot-tracked")
            lot = resolve.lot(uow, item, line.lot, f"{field}.lot")
        location = None
        if line.location is not None and line.location.strip():
            location = resolve.internal_location(uow, line.location, f"{field}.location")
            if not effective_sellable(location, places):
                raise InvalidInput(f"{field}.location", f"{location.code!r} is not a sellable location")
        values.append(
            {
                "line_no": index + 1,
                "item_id": item.id,
                "quantity": positive_quantity(line.quantity, item.unit, f"{field}.quantity"),
                "unit_price": validate_unit_price(
                    parse_decimal(line.unit_price, f"{field}.unit_price"), f"{field}.unit_price"
                ),
                "pinned_lot_id": lot.id if lot else None,
                "location_id": location.id if location else None,
            }
        )
    return values


def _number_from(uow: UnitOfWork, order_id: int) -> str:
    """SO-000123 from the order's id, skipping numbers a manual reference already took."""
    number = order_id
    while uow.orders.by_reference(f"SO-{number:06d}") is not None:
        number += 1
    return f"SO-{number:06d}"


def locked_order(uow: UnitOfWork, reference: str) -> Any:
    """The order, locked for this transaction and read again after the lock was granted,
    so a decision is never taken on a status another transaction has since changed."""
    order_id = order_row(uow, reference).id
    uow.orders.lock(order_id)
    return uow.orders.get(order_id)


def order_row(uow: UnitOfWork, reference: str) -> Any:
    row = uow.orders.by_reference(reference.strip()) if reference else None
    if row is None:
        raise NotFound("sales order", reference, "order")
    return row


def create_order(
    ctx: ServiceContext,
    *,
    lines: Sequence[NewOrderLine],
    reference: str | None = None,
    channel: str = "manual",
    external_id: str | None = None,
    customer: str | None = None,
    ship_to: ShipTo | None = None,
    currency: str | None = None,
    requested_ship_date: date | str | None = None,
    idempotency_key: str | None = None,
) -> SalesOrderView:
    channel_name = validate_channel(channel)
    external = resolve.text(external_id, "external_id", max_length=100)
    ship_date = parse_date(requested_ship_date, "requested_ship_date")

    def work(uow: UnitOfWork) -> int:
        if external is not None:
            existing = uow.orders.by_external_id(channel_name, external)
            if existing is not None:
                return int(existing.id)
        # Without a reference the order is numbered from its own id once inserted, so
        # concurrent creators never compete for the same number.
        ref = reference.strip() if reference else f"new-{uuid.uuid4().hex}"
        if not REFERENCE_PATTERN.match(ref):
            raise InvalidInput("reference", f"{ref!r} is not a valid order reference")
        if uow.orders.by_reference(ref) is not None:
            raise AlreadyExists("sales order", ref, "reference")
        now = ctx.now()
        header = {
            "reference": ref,
            "channel": channel_name,
            "external_id": external,
            "customer": resolve.text(customer, "customer"),
            "currency": validate_currency(currency or uow.company.get().currency),
            "requested_ship_date": ship_date or today(ctx, uow),
            "status": OrderStatus.OPEN.value,
            "created_at": now,
            "updated_at": now,
            **_ship_to_values(ship_to),
        }
        order_id = uow.orders.add(header, _line_values(uow, lines))
        if not reference:
            uow.orders.update(order_id, reference=_number_from(uow, order_id))
        return order_id

    request = {
        "lines": [line.__dict__ for line in lines], "reference": reference, "channel": channel,
        "external_id": external_id, "customer": customer,
        "ship_to": ship_to.__dict__ if ship_to else None, "currency": currency,
        "requested_ship_date": ship_date,
    }
    return run_write(ctx, work, load_order, action="create_order",
                     idempotency_key=idempotency_key, request=request)


def update_order(
    ctx: ServiceContext,
    reference: str,
    *,
    lines: Sequence[NewOrderLine] | None = None,
    customer: str | None = None,
    ship_to: ShipTo | None = None,
    requested_ship_date: date | str | None = None,
    idempotency_key: str | None = None,
) -> SalesOrderView:
    """Change an order that has shipped nothing yet; new lines replace the old ones.

    Changing the lines, address or date of an allocated order releases its
    reservations and allocates it again under the new terms.
    """
    ship_date = parse_date(requested_ship_date, "requested_ship_date")

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_editable(OrderStatus(order.status), order.reference)
        if lines is not None and _handled(uow, order.id):
            raise Conflict(
                f"order: {order.reference} has picked or packed goods; its lines can no longer be replaced"
            )
        now = ctx.now()
        values: dict[str, Any] = {"updated_at": now}
        if customer is not None:
            values["customer"] = resolve.text(customer, "customer")
        if ship_to is not None:
            values |= _ship_to_values(ship_to)
        if ship_date is not None:
            values["requested_ship_date"] = ship_date
        new_lines = _line_values(uow, lines) if lines is not None else None
        reallocate = order.allocated_at is not None and (
            new_lines is not None or ship_to is not None or ship_date is not None
        )
        if reallocate or new_lines is not None:
            allocation.release_order(uow, order.id)
        if new_lines is not None:
            uow.orders.delete_lines(order.id)
            uow.orders.add_lines(order.id, new_lines)
        uow.orders.update(order.id, **values)
        if reallocate:
            allocation.allocate(uow, order.id, now)
        allocation.refresh_status(uow, order.id, now)
        return int(order.id)

    request = {
        "reference": reference, "lines": [line.__dict__ for line in lines] if lines is not None else None,
        "customer": customer, "ship_to": ship_to.__dict__ if ship_to else None, "date": ship_date,
    }
    return run_write(ctx, work, load_order, action="update_order",
                     idempotency_key=idempotency_key, request=request)


def _handled(uow: UnitOfWork, order_id: int) -> bool:
    """Whether any of the order's goods were picked or packed."""
    picked = any(row.picked > 0 for row in uow.reservations.for_order(order_id))
    return picked or bool(uow.shipments.packed_unshipped(order_id))


def allocate_order(
    ctx: ServiceContext, reference: str, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Reserve stock for everything the order still needs; the rest is backordered."""

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        allocation.allocate(uow, order.id, ctx.now())
        return int(order.id)

    return run_write(ctx, work, load_order, action="allocate_order",
                     idempotency_key=idempotency_key, request={"reference": reference})


def ship_line_from(
    ctx: ServiceContext,
    reference: str,
    *,
    line_no: int,
    location: str,
    idempotency_key: str | None = None,
) -> SalesOrderView:
    """Override routing for one line: release its unpicked reservations, reserve from `location`."""

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        place = resolve.internal_location(uow, location)
        if not effective_sellable(place, {loc.id: loc for loc in uow.locations.all()}):
            raise InvalidInput("location", f"{place.code!r} is not a sellable location")
        line = next((ln for ln in uow.orders.lines(order.id) if ln.line_no == line_no), None)
        if line is None:
            raise NotFound("order line", f"{order.reference}/{line_no}", "line_no")
        for row in uow.reservations.for_order(order.id):
            if row.order_line_id == line.id and row.quantity > row.picked:
                uow.reservations.release(row, row.quantity - row.picked)
        uow.orders.set_line_location(line.id, place.id)
        allocation.allocate(uow, order.id, ctx.now())
        return int(order.id)

    request = {"reference": reference, "line_no": line_no, "location": location}
    return run_write(ctx, work, load_order, action="ship_line_from",
                     idempotency_key=idempotency_key, request=request)


def cancel_order(
    ctx: ServiceContext, reference: str, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Cancel what is still open and release every reservation; shipped goods stay shipped."""

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        allocation.release_order(uow, order.id)
        now = ctx.now()
        uow.orders.update(order.id, cancelled_at=now, updated_at=now)
        allocation.refresh_status(uow, order.id, now)
        return int(order.id)

    return run_write(ctx, work, load_order, action="cancel_order",
                     idempotency_key=idempotency_key, request={"reference": reference})


def get_order(ctx: ServiceContext, reference: str) -> SalesOrderView:
    with ctx.reading() as uow:
        return load_order(uow, order_row(uow, reference).id)


def find_order(ctx: ServiceContext, *, channel: str, external_id: str) -> SalesOrderView:
    with ctx.reading() as uow:
        row = uow.orders.by_external_id(validate_channel(channel), external_id.strip())
        if row is None:
            raise NotFound("sales order", f"{channel}/{external_id}", "external_id")
        return load_order(uow, row.id)


def list_orders(
    ctx: ServiceContext,
    *,
    status: str | None = None,
    channel: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[SalesOrderView]:
    if status is not None and status not in {s.value for s in OrderStatus}:
        raise InvalidInput("status", f"{status!r} is not one of {', '.join(s.value for s in OrderStatus)}")
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit", "must be between 1 and 1000")
    if offset < 0:
        raise InvalidInput("offset", "must not be negative")
    channel_name = validate_channel(channel) if channel is not None else None
    with ctx.reading() as uow:
        rows = uow.orders.list(status=status, channel=channel_name, limit=limit, offset=offset)
        return [load_order(uow, row.id) for row in rows]
