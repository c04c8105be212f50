"""Sales orders: create, edit while open, allocate, re-route a line, cancel, look up.

An order from a channel is identified by (channel, external id): sending it again
returns the order already made, never a second one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from onhand.domain.accounting.sales_revenue import order_exchange_rate
from onhand.domain.catalog.locations import effective_sellable
from onhand.domain.choices import parse_choice
from onhand.domain.errors import Conflict, InvalidInput, NotFound
from onhand.domain.orders.commands import OrderAction, ShipLineFrom, UpdateOrder
from onhand.domain.orders.sales_orders import (
    OrderStatus,
    require_active,
    require_editable,
    validate_channel,
)
from onhand.services import resolve
from onhand.services.catalog.lots import parse_date
from onhand.services.context import ServiceContext, run_write
from onhand.services.limits import check_line_count
from onhand.services.orders import allocation, backorders
from onhand.services.orders.customers import customer_for_order
from onhand.services.orders.lines import NewOrderLine, line_values, ship_to_values  # noqa: F401 (callers find it here)
from onhand.services.orders.order_creation import (  # noqa: F401 (callers find them here)
    create_order,
    create_order_key,
    create_orders,
)
from onhand.services.orders.views import OrderNow, SalesOrderView, load_order, order_subject

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def locked_order(uow: UnitOfWork, reference: str) -> Any:
    """The order's header, locked for this transaction and read once the lock was
    granted, so a decision is never taken on a status another transaction has since changed."""
    row = uow.orders.locked_by_reference(reference.strip()) if reference else None
    if row is None:
        raise NotFound("sales order", reference, "order")
    return row


def order_id(uow: UnitOfWork, reference: str) -> int:
    found = uow.orders.id_by_reference(reference.strip()) if reference else None
    if found is None:
        raise NotFound("sales order", reference, "order")
    return int(found)


def update_order(
    ctx: ServiceContext, command: UpdateOrder, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Change an order that has shipped nothing yet; new lines replace the old ones.

    `exchange_rate` may change until something ships (revenue is booked at it when it does).

    Changing the lines, address or date of an allocated order releases its
    reservations and allocates it again under the new terms.
    """
    reference, lines, customer, ship_to, exchange_rate = (
        command.reference, command.lines, command.customer, command.ship_to, command.exchange_rate
    )
    check_line_count(ctx.limits, lines, "lines")
    ship_date = parse_date(command.requested_ship_date, "requested_ship_date")

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
            buyer = customer_for_order(uow, customer, email=None, channel=order.channel, external_id=None, now=now)
            values |= {"customer": buyer.name if buyer else None, "customer_id": buyer.id if buyer else None}
        if ship_to is not None:
            values |= ship_to_values(ship_to)
        if ship_date is not None:
            values["requested_ship_date"] = ship_date
        if exchange_rate is not None:
            values["exchange_rate"] = order_exchange_rate(exchange_rate, order.currency, uow.company.get().currency)
        new_lines = line_values(uow, lines) if lines is not None else None
        reallocate = order.allocated_at is not None and (
            new_lines is not None or ship_to is not None or ship_date is not None
        )
        freed = backorders.release_order(uow, order.id) if reallocate or new_lines is not None else []
        if new_lines is not None:
            uow.orders.delete_lines(order.id)
            uow.orders.add_lines(order.id, new_lines)
        uow.orders.update(order.id, **values)
        order = uow.orders.get(order.id)  # as just changed (the lock is still ours)
        if reallocate:
            allocation.allocate(uow, order.id, now, order=order)
        else:
            allocation.refresh_status(uow, order, now)
        # What this order no longer needs goes to the orders waiting for it.
        backorders.serve_backorders(uow, item_ids=freed, also_orders=[], now=now)
        return int(order.id)

    return run_write(ctx, work, load_order, action="update_order", subject=order_subject,
                     idempotency_key=idempotency_key, request=command,
                     before=lambda uow: load_order(uow, int(locked_order(uow, reference).id)))


def _handled(uow: UnitOfWork, order_id: int) -> bool:
    """Whether any of the order's goods were picked or packed."""
    picked = any(row.picked > 0 for row in uow.reservations.for_order(order_id))
    return picked or bool(uow.shipments.packed_unshipped(order_id))


def allocate_order(
    ctx: ServiceContext, command: OrderAction, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Reserve stock for everything the order still needs; the rest is backordered."""
    reference = command.reference

    def work(uow: UnitOfWork) -> int | OrderNow:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        after = allocation.allocate(uow, order.id, ctx.now(), order=order)
        return after if after is not None else int(order.id)

    return run_write(ctx, work, load_order, action="allocate_order", subject=order_subject,
                     idempotency_key=idempotency_key, request=command)


def ship_line_from(
    ctx: ServiceContext, command: ShipLineFrom, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Override routing for one line: release its unpicked reservations, reserve from `location`."""
    reference, line_no, location = command.reference, command.line_no, command.location

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        place = resolve.internal_location_in_use(uow, location)
        if not effective_sellable(place, uow.locations.by_id()):
            raise InvalidInput("location", f"{place.code!r} is not a sellable location")
        line = next((ln for ln in uow.orders.lines(order.id) if ln.line_no == line_no), None)
        if line is None:
            raise NotFound("order line", f"{order.reference}/{line_no}", "line_no")
        freed = set()
        for row in uow.reservations.for_order(order.id):
            if row.order_line_id == line.id and row.quantity > row.picked:
                uow.reservations.release(row, row.quantity - row.picked)
                freed.add(row.item_id)
        uow.orders.set_line_location(line.id, place.id)
        now = ctx.now()
        allocation.allocate(uow, order.id, now, order=order)
        backorders.serve_backorders(uow, item_ids=sorted(freed), also_orders=[], now=now)
        return int(order.id)

    return run_write(ctx, work, load_order, action="ship_line_from", subject=order_subject,
                     idempotency_key=idempotency_key, request=command)


def cancel_order(
    ctx: ServiceContext, command: OrderAction, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Cancel what is still open and release every reservation; shipped goods stay shipped."""
    reference = command.reference

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        freed = backorders.release_order(uow, order.id)
        now = ctx.now()
        allocation.refresh_status(uow, order, now, cancelled_at=now, updated_at=now)
        backorders.serve_backorders(uow, item_ids=freed, also_orders=[], now=now)
        return int(order.id)

    return run_write(ctx, work, load_order, action="cancel_order", subject=order_subject,
                     idempotency_key=idempotency_key, request=command)


def get_order(ctx: ServiceContext, reference: str) -> SalesOrderView:
    with ctx.reading() as uow:
        return load_order(uow, order_id(uow, reference))


def find_order(ctx: ServiceContext, *, channel: str, external_id: str) -> SalesOrderView:
    with ctx.reading() as uow:
        found = uow.orders.id_by_external_id(validate_channel(channel), external_id.strip())
        if found is None:
            raise NotFound("sales order", f"{channel}/{external_id}", "external_id")
        return load_order(uow, int(found))


def list_orders(
    ctx: ServiceContext,
    *,
    status: str | None = None,
    channel: str | None = None,
    limit: int = 100,
    offset: int = 0,
    updated_since: datetime | str | None = None,
) -> list[SalesOrderView]:
    """Newest first; `updated_since` (ISO 8601 with an offset): only orders changed since then."""
    if status is not None:
        status = parse_choice(OrderStatus, status, "status").value
    resolve.page(limit, offset)
    since = resolve.since(updated_since)
    channel_name = validate_channel(channel) if channel is not None else None
    with ctx.reading() as uow:
        rows = uow.orders.list(status=status, channel=channel_name, limit=limit, offset=offset, updated_since=since)
        return [load_order(uow, row.id) for row in rows]
