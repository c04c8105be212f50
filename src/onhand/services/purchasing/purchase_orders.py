"""Purchase orders: draft, edit while draft, place with the supplier, close, cancel, look up.

A purchase order with a supplier reference is identified by (supplier, supplier
reference): sending it again returns the order already made, never a second one.
Receiving is in `receiving.py`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.choices import parse_choice
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from onhand.domain.money import line_total
from onhand.domain.orders.sales_orders import validate_currency
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    NewPurchaseLine,
    PurchaseOrderAction,
    UpdatePurchaseOrder,
)
from onhand.domain.purchasing.purchase_orders import (
    PurchaseLineProgress,
    PurchaseOrderStatus,
    purchase_order_status,
    require_draft,
    validate_money,
    validate_reference,
)
from onhand.domain.quantities import positive_quantity
from onhand.services import resolve
from onhand.services.catalog.lots import parse_date
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.limits import check_line_count
from onhand.services.purchasing.suppliers import supplier_row
from onhand.services.purchasing.views import PurchaseOrderView, load_purchase_order, purchase_order_subject

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ENDED = (PurchaseOrderStatus.RECEIVED, PurchaseOrderStatus.CLOSED, PurchaseOrderStatus.CANCELLED)


def destination(uow: UnitOfWork, code: str, field: str = "destination") -> Any:
    place = resolve.internal_location_in_use(uow, code, field)
    if place.kind is LocationKind.TRANSIT:
        raise InvalidInput(field, f"{place.code!r} is a transit location; receive into a warehouse, store or bin")
    return place


def _line_values(
    uow: UnitOfWork, lines: Sequence[NewPurchaseLine], supplier: Any, currency: str
) -> list[dict[str, Any]]:
    if not lines:
        raise InvalidInput("lines", "a purchase order needs at least one line")
    values = []
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        item = resolve.item_in_use(uow, line.sku, f"{field}.sku")
        if item.kind.value == "bundle":
            raise InvalidInput(f"{field}.sku", f"item {item.sku!r} is a bundle; order its components")
        if line.unit_cost is not None:
            cost = validate_money(line.unit_cost, f"{field}.unit_cost")
        else:
            price = uow.suppliers.price(supplier.id, item.id)
            if price is None:
                raise InvalidInput(
                    f"{field}.unit_cost", f"supplier {supplier.code} has no price for {item.sku}; give one"
                )
            if currency != supplier.currency:
                raise InvalidInput(
                    f"{field}.unit_cost",
                    f"the supplier's price is in {supplier.currency}, the order in {currency}; give one",
                )
            cost = price.unit_cost
        amount = positive_quantity(line.quantity, item.unit, f"{field}.quantity")
        line_total(amount, cost, f"{field}.unit_cost")
        values.append({"line_no": index + 1, "item_id": item.id, "unit_cost": cost, "quantity": amount})
    return values



def order_row(uow: UnitOfWork, reference: str, field: str = "purchase_order") -> Any:
    row = uow.purchase_orders.by_reference(reference.strip()) if reference and reference.strip() else None
    if row is None:
        raise NotFound("purchase order", reference, field)
    return row


def locked_order(uow: UnitOfWork, reference: str) -> Any:
    """The order, locked for this transaction and read again once the lock is held."""
    order_id = order_row(uow, reference).id
    uow.purchase_orders.lock(order_id)
    return uow.purchase_orders.get(order_id)


def create_purchase_order(
    ctx: ServiceContext, command: CreatePurchaseOrder, *, idempotency_key: str | None = None
) -> PurchaseOrderView:
    """A draft purchase order; without an expected date, today plus the supplier's lead time."""
    supplier, lines, destination_location, reference, supplier_reference, currency, expected_date, note = (
        command.supplier, command.lines, command.destination, command.reference, command.supplier_reference,
        command.currency, command.expected_date, command.note,
    )
    check_line_count(ctx.limits, lines, "lines")
    their_reference = resolve.text(supplier_reference, "supplier_reference", max_length=100)
    expected = parse_date(expected_date, "expected_date")
    clean_note = resolve.text(note, "note", max_length=2000)
    ref = validate_reference(reference) if reference is not None else None

    def work(uow: UnitOfWork) -> int:
        source = supplier_row(uow, supplier)
        if their_reference is not None:
            existing = uow.purchase_orders.by_supplier_reference(source.id, their_reference)
            if existing is not None:
                return int(existing.id)
        if ref is not None and uow.purchase_orders.by_reference(ref) is not None:
            raise AlreadyExists("purchase order", ref, "reference")
        place = destination(uow, destination_location)
        money = validate_currency(currency or source.currency)
        now = ctx.now()
        header = {
            "reference": ref or f"new-{uuid.uuid4().hex}", "supplier_id": source.id,
            "supplier_reference": their_reference, "currency": money, "destination_id": place.id,
            "expected_date": expected or today(ctx, uow) + timedelta(days=source.lead_time_days),
            "status": PurchaseOrderStatus.DRAFT.value, "note": clean_note,
            "created_at": now, "updated_at": now,
        }
        order_id = uow.purchase_orders.add(header, _line_values(uow, lines, source, money))
        if ref is None:
            number = resolve.document_number("PO", order_id, uow.purchase_orders.by_reference)
            uow.purchase_orders.update(order_id, reference=number)
        return order_id

    return run_write(ctx, work, load_purchase_order, action="create_purchase_order", subject=purchase_order_subject,
                     idempotency_key=idempotency_key, request=command)


def update_purchase_order(
    ctx: ServiceContext, command: UpdatePurchaseOrder, *, idempotency_key: str | None = None
) -> PurchaseOrderView:
    """Lines, destination and currency change only while draft (new lines replace all);
    the expected date, supplier reference and note while the order is not ended."""
    reference, lines, destination_location, currency, supplier_reference, expected_date, note = (
        command.reference, command.lines, command.destination, command.currency, command.supplier_reference,
        command.expected_date, command.note,
    )
    check_line_count(ctx.limits, lines, "lines")
    expected = parse_date(expected_date, "expected_date")
    their_reference = resolve.text(supplier_reference, "supplier_reference", max_length=100)
    clean_note = resolve.text(note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        status = PurchaseOrderStatus(order.status)
        if status in ENDED:
            raise Conflict(f"purchase order: {order.reference} is {status.value} and can no longer be changed")
        changes: dict[str, Any] = {}
        if lines is not None or destination_location is not None or currency is not None:
            require_draft(status, order.reference)
        source = uow.suppliers.get(order.supplier_id)
        if currency is not None:
            changes["currency"] = validate_currency(currency)
        if destination_location is not None:
            changes["destination_id"] = destination(uow, destination_location).id
        if lines is not None:
            values = _line_values(uow, lines, source, changes.get("currency", order.currency))
            uow.purchase_orders.delete_lines(order.id)
            uow.purchase_orders.add_lines(order.id, values)
        if expected is not None:
            changes["expected_date"] = expected
        if supplier_reference is not None:
            if their_reference is not None:
                other = uow.purchase_orders.by_supplier_reference(order.supplier_id, their_reference)
                if other is not None and other.id != order.id:
                    raise AlreadyExists("purchase order", their_reference, "supplier_reference")
            changes["supplier_reference"] = their_reference
        if note is not None:
            changes["note"] = clean_note
        uow.purchase_orders.update(order.id, **changes, updated_at=ctx.now())
        return int(order.id)

    return run_write(ctx, work, load_purchase_order, action="update_purchase_order", subject=purchase_order_subject,
                     idempotency_key=idempotency_key, request=command,
                     before=lambda uow: load_purchase_order(uow, int(locked_order(uow, reference).id)))


def _transition(
    ctx: ServiceContext, command: PurchaseOrderAction, action: str, idempotency_key: str | None
) -> PurchaseOrderView:
    reference = command.reference

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        status = PurchaseOrderStatus(order.status)
        # Goods a supplier shipment has in transit count: they were received into transit.
        delivered = uow.purchase_orders.delivered(order.id)
        anything_received = any(quantity > 0 for quantity in delivered.values())
        now = ctx.now()
        if action == "place":
            if status is not PurchaseOrderStatus.DRAFT:
                raise Conflict(f"purchase order: {order.reference} is {status.value}; only a draft can be placed")
            uow.purchase_orders.update(order.id, ordered_at=now, updated_at=now)
        elif action == "close":
            if status not in (PurchaseOrderStatus.ORDERED, PurchaseOrderStatus.PARTIALLY_RECEIVED):
                raise Conflict(f"purchase order: {order.reference} is {status.value} and cannot be closed")
            if not anything_received:
                raise Conflict(f"purchase order: nothing of {order.reference} was received; cancel it instead")
            uow.purchase_orders.update(order.id, closed_at=now, updated_at=now)
        else:
            if status not in (PurchaseOrderStatus.DRAFT, PurchaseOrderStatus.ORDERED) or anything_received:
                raise Conflict(
                    f"purchase order: {order.reference} is {status.value}; only an order of which nothing "
                    "was received can be cancelled (close it instead)"
                )
            uow.purchase_orders.update(order.id, cancelled_at=now, updated_at=now)
        refresh_status(uow, order.id, now)
        return int(order.id)

    return run_write(ctx, work, load_purchase_order, action=f"{action}_purchase_order", subject=purchase_order_subject,
                     idempotency_key=idempotency_key, request=command)


def place_purchase_order(ctx: ServiceContext, command: PurchaseOrderAction, *, idempotency_key: str | None = None
                         ) -> PurchaseOrderView:
    """Send a draft to the supplier: it becomes `ordered` and its quantities incoming."""
    return _transition(ctx, command, "place", idempotency_key)


def close_purchase_order(ctx: ServiceContext, command: PurchaseOrderAction, *, idempotency_key: str | None = None
                         ) -> PurchaseOrderView:
    """End a partly received order: what was not received is no longer expected."""
    return _transition(ctx, command, "close", idempotency_key)


def cancel_purchase_order(ctx: ServiceContext, command: PurchaseOrderAction, *, idempotency_key: str | None = None
                          ) -> PurchaseOrderView:
    """Cancel a draft or placed order of which nothing was received."""
    return _transition(ctx, command, "cancel", idempotency_key)


def refresh_status(uow: UnitOfWork, order_id: int, now: datetime) -> PurchaseOrderStatus:
    """Write the status the order's facts imply (the one place that writes it), and
    `updated_at`: every caller changed the order or its lines (`updated_since` relies on it)."""
    order = uow.purchase_orders.get(order_id)
    received = uow.purchase_orders.received(order_id)
    progress = [PurchaseLineProgress(line.quantity, received[line.id]) for line in uow.purchase_orders.lines(order_id)]
    status = purchase_order_status(
        progress, placed=order.ordered_at is not None, closed=order.closed_at is not None,
        cancelled=order.cancelled_at is not None,
    )
    uow.purchase_orders.update(order_id, status=status.value, updated_at=now)
    return status


def get_purchase_order(ctx: ServiceContext, reference: str) -> PurchaseOrderView:
    with ctx.reading() as uow:
        return load_purchase_order(uow, int(order_row(uow, reference).id))


def list_purchase_orders(
    ctx: ServiceContext, *, status: str | None = None, supplier: str | None = None, limit: int = 100,
    offset: int = 0, updated_since: datetime | str | None = None,
) -> list[PurchaseOrderView]:
    """Purchase orders, newest first, optionally of one status and supplier, or changed since
    `updated_since` (ISO 8601 with an offset)."""
    resolve.page(limit, offset)
    since = resolve.since(updated_since)
    if status is not None:
        status = parse_choice(PurchaseOrderStatus, status, "status").value
    with ctx.reading() as uow:
        supplier_id = int(supplier_row(uow, supplier).id) if supplier else None
        rows = uow.purchase_orders.list(status=status, supplier_id=supplier_id, limit=limit, offset=offset,
                                        updated_since=since)
        return [load_purchase_order(uow, int(row.id)) for row in rows]
