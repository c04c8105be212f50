"""Sales orders: create, edit while open, allocate, re-route a line, cancel, look up.

An order from a channel is identified by (channel, external id): sending it again
returns the order already made, never a second one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from onhand.domain.accounting.sales_revenue import order_exchange_rate
from onhand.domain.audit import AuditObject
from onhand.domain.catalog.locations import effective_sellable
from onhand.domain.choices import parse_choice
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipLineFrom, UpdateOrder
from onhand.domain.orders.sales_orders import (
    OrderStatus,
    require_active,
    require_editable,
    validate_channel,
    validate_currency,
)
from onhand.services import resolve
from onhand.services.catalog.lots import parse_date
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.limits import check_line_count
from onhand.services.orders import allocation, backorders
from onhand.services.orders.customers import customer_for_order
from onhand.services.orders.lines import NewOrderLine, line_values, ship_to_values  # noqa: F401 (callers find it here)
from onhand.services.orders.views import OrderNow, SalesOrderView, load_order, order_subject

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/#\-]{0,63}$")
T = TypeVar("T")



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


def create_order(
    ctx: ServiceContext, command: CreateOrder, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """A new order; in a currency other than the company's it needs `exchange_rate`
    (company currency per unit of the order's), which its revenue is journaled at.

    `customer` is a customer's code or name (a new name makes a new customer, with
    `customer_email`); `customer_external_id` is the customer's id in the channel.
    With `allocate`, a new order is allocated in the same transaction (an order found by
    its channel and external id is returned as it is)."""
    return _create(ctx, command, load_order, order_subject, idempotency_key, set())


@dataclass(frozen=True)
class OrderKey:
    id: int
    reference: str
    created: bool  # False: the order found by its channel and external id, as it is


def create_order_key(ctx: ServiceContext, command: CreateOrder) -> OrderKey:
    """`create_order`, answered with the order's id and reference instead of its view, for a
    caller that does not show the order (a channel's import): nothing is read back (the
    header of an order made here is the one the transaction holds)."""
    made: set[int] = set()

    def load(uow: UnitOfWork, order: int | OrderNow) -> OrderKey:
        order_id = int(order)
        return OrderKey(order_id, uow.orders.get(order_id).reference, created=order_id in made)

    return _create(ctx, command, load, lambda key: AuditObject("sales_order", key.reference), None, made)


def _create(ctx: ServiceContext, command: CreateOrder, load: Callable[[UnitOfWork, int | OrderNow], T],
            subject: Callable[[T], AuditObject], idempotency_key: str | None, made: set[int]) -> T:
    """`made`: the ids of the orders created here (not found by their channel and external id)."""
    lines, reference, currency, exchange_rate = (
        command.lines, command.reference, command.currency, command.exchange_rate
    )
    check_line_count(ctx.limits, lines, "lines")
    channel_name = validate_channel(command.channel)
    external = resolve.text(command.external_id, "external_id", max_length=100)
    ship_date = parse_date(command.requested_ship_date, "requested_ship_date")

    def work(uow: UnitOfWork) -> int:
        if external is not None:
            existing = uow.orders.id_by_external_id(channel_name, external)
            if existing is not None:
                return int(existing)
        # Without a reference the order is numbered from its own id once inserted, so
        # concurrent creators never compete for the same number.
        ref = reference.strip() if reference else f"new-{uuid.uuid4().hex}"
        if not REFERENCE_PATTERN.match(ref):
            raise InvalidInput("reference", f"{ref!r} is not a valid order reference")
        if reference and uow.orders.id_by_reference(ref) is not None:  # a uuid of our own is free
            raise AlreadyExists("sales order", ref, "reference")
        now = ctx.now()
        company_currency = uow.company.get().currency
        order_currency = validate_currency(currency or company_currency)
        buyer = customer_for_order(uow, command.customer, email=command.customer_email, channel=channel_name,
                                   external_id=command.customer_external_id, now=now)
        header = {
            "reference": ref,
            "channel": channel_name,
            "external_id": external,
            "customer": buyer.name if buyer else None,
            "customer_id": buyer.id if buyer else None,
            "currency": order_currency,
            "exchange_rate": order_exchange_rate(exchange_rate, order_currency, company_currency),
            "requested_ship_date": ship_date or today(ctx, uow),
            "status": OrderStatus.OPEN.value,
            "created_at": now,
            "updated_at": now,
            **ship_to_values(command.ship_to),
        }
        order_id = uow.orders.add(header, line_values(uow, lines))
        if not reference:
            ref = resolve.document_number("SO", order_id, uow.orders.id_by_reference)
            uow.orders.update(order_id, reference=ref)
        made.add(order_id)
        if command.allocate:
            # Inserted by this transaction: its header is the one the transaction holds (not read back).
            after = allocation.allocate(uow, order_id, now, order=uow.orders.get(order_id))
            return OrderNow(order_id, after) if after is not None else order_id
        return order_id

    return run_write(ctx, work, load, action="create_order", subject=subject,
                     idempotency_key=idempotency_key, request=command)


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

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        require_active(OrderStatus(order.status), order.reference)
        after = allocation.allocate(uow, order.id, ctx.now(), order=order)
        return OrderNow(order.id, after) if after is not None else int(order.id)

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
