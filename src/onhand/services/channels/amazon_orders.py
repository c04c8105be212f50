"""Amazon orders into Onhand, idempotent by AmazonOrderId, through the order services.

What each status asks (`domain.channels.amazon.action_for`):
- open (Pending, Unshipped, ...): the order is created once (by channel and external id)
  and allocated: its stock is reserved;
- Canceled: the imported order is cancelled, releasing what it holds;
- Shipped by Amazon (AFN): the order's lines are pinned to the channel's FBA location (the
  3PL location mapped to an AMAZON_* code), reserved there and shipped: stock leaves it.

A SellerSKU no mapping names never drops the order: the order is imported with the lines
Onhand knows, the line is kept as the channel sent it (item unknown) and an `unknown_sku`
exception is listed. Each step is its own transaction and safe to repeat, so an import cut
short is finished by the next sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from onhand.domain.channels.amazon import (
    MERCHANT_CODE,
    Action,
    AmazonOrder,
    AmazonOrderLine,
    action_for,
    is_fba_code,
)
from onhand.domain.channels.channels import ChannelKind, ExceptionKind
from onhand.domain.channels.records import ChannelRecord
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.orders.commands import (
    Address,
    CreateOrder,
    NewOrderLine,
    OrderAction,
    ShipOrder,
    UpdateOrder,
)
from onhand.domain.orders.sales_orders import ACTIVE, EDITABLE, OrderStatus
from onhand.domain.orders.views import SalesOrderView
from onhand.services.channels.channels import channel_record
from onhand.services.channels.exceptions import raise_exception
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.orders import sales_orders, shipping

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


class Outcome(StrEnum):
    IMPORTED = "imported"  # created (and allocated)
    UPDATED = "updated"  # its prices or lines replaced as Amazon changed them
    CANCELLED = "cancelled"
    SHIPPED = "shipped"  # shipped from the FBA location
    UNCHANGED = "unchanged"  # already as Amazon says
    SKIPPED = "skipped"  # nothing for Onhand to do (a cancelled order never imported, ...)
    REFUSED = "refused"  # listed as a channel exception


@dataclass(frozen=True)
class _Plan:
    channel: ChannelRecord
    items: dict[str, str]  # SellerSKU → Onhand SKU
    fba_location: str | None  # the code of the channel's FBA location
    merchant_location: str | None  # where merchant orders ship from (None: routing decides)
    known: int | None  # the sales order's id, when imported (and recorded as the channel's) already
    sales_order: int | None  # the sales order of this AmazonOrderId, recorded or not (an import cut short)


def amazon_channel(uow: UnitOfWork, name: str, field: str = "channel") -> ChannelRecord:
    record = channel_record(uow, name, field)
    if record.kind != ChannelKind.AMAZON.value:
        raise InvalidInput(field, f"channel {record.name!r} is a {record.kind} channel, not amazon")
    return record


def fba_location_code(uow: UnitOfWork, channel_id: int) -> str | None:
    """The Onhand location mapped to an AMAZON_* code: the channel's stock at Amazon."""
    codes = {place.id: place.code for place in uow.locations.all()}
    found = [codes[m.location_id] for m in uow.channels.locations(channel_id) if is_fba_code(m.external_location_id)]
    return found[0] if found else None


def merchant_location_code(uow: UnitOfWork, channel_id: int) -> str | None:
    """The one Onhand location mapped to DEFAULT, if there is exactly one: merchant orders
    ship from there (with several, routing chooses among all sellable places)."""
    codes = {place.id: place.code for place in uow.locations.all()}
    found = [codes[m.location_id] for m in uow.channels.locations(channel_id)
             if m.external_location_id == MERCHANT_CODE]
    return found[0] if len(found) == 1 else None


def _plan(ctx: ServiceContext, name: str, order: AmazonOrder) -> _Plan:
    with ctx.reading() as uow:
        channel = amazon_channel(uow, name)
        items = {m.external_sku or m.sku: m.sku for m in uow.channels.skus(channel.id)}
        known = uow.channels.order_of(channel.id, order.amazon_order_id)
        return _Plan(channel, items, fba_location_code(uow, channel.id), merchant_location_code(uow, channel.id),
                     known[1] if known else None,
                     uow.orders.id_by_external_id(channel.name, order.amazon_order_id))


def apply_amazon_order(ctx: ServiceContext, name: str, order: AmazonOrder) -> Outcome:
    """Bring Onhand to what Amazon says of `order` (with its lines); safe to repeat."""
    action = action_for(order)
    plan = _plan(ctx, name, order)
    if action is Action.NOTHING:
        return Outcome.SKIPPED if plan.known is None else Outcome.UNCHANGED
    if action is Action.RELEASE:
        return _release(ctx, plan, order)
    pinned = plan.fba_location if order.fulfilment.value == "AFN" else plan.merchant_location
    if order.fulfilment.value == "AFN" and pinned is None:
        _note_once(ctx, plan.channel, order, None, ExceptionKind.BAD_PAYLOAD,
                   "an FBA order, but no location of the channel is mapped to an AMAZON_* code")
        return Outcome.REFUSED
    view, outcome = _import(ctx, plan, order, pinned)
    if view is None:
        return Outcome.REFUSED
    if action is Action.SHIP_FROM_FBA:
        return _ship_from_fba(ctx, plan, order, view)
    return outcome


def _import(
    ctx: ServiceContext, plan: _Plan, order: AmazonOrder, pinned: str | None
) -> tuple[SalesOrderView | None, Outcome]:
    """The sales order of `order`, created and allocated once (None when it cannot be), or
    revised as Amazon changed it."""
    mapped = [line for line in order.lines if line.seller_sku in plan.items and line.quantity > 0]
    new_lines = tuple(NewOrderLine(sku=plan.items[line.seller_sku or ""], quantity=line.quantity,
                                   unit_price=line.unit_price, location=pinned) for line in mapped)
    if plan.known is not None:
        return _revise(ctx, plan, order, new_lines)
    if not mapped:
        for line in order.lines:
            _note_unknown(ctx, plan.channel, order, line)
        return None, Outcome.REFUSED
    command = CreateOrder(
        lines=new_lines, channel=plan.channel.name, external_id=order.amazon_order_id,
        currency=order.currency if any(line.item_price is not None for line in mapped) else None,
        ship_to=Address(city=order.city, region=order.region, postcode=order.postal_code, country=order.country),
    )
    try:
        created = sales_orders.create_order(ctx, command)
        view = sales_orders.allocate_order(ctx, OrderAction(created.reference))
    except (InvalidInput, NotFound) as refused:  # a currency without a rate, a quantity the unit refuses, ...
        _note_once(ctx, plan.channel, order, None, ExceptionKind.BAD_PAYLOAD, f"not imported: {refused}")
        return None, Outcome.REFUSED
    _record(ctx, plan, order, view)
    return view, Outcome.IMPORTED


def _sent(order: AmazonOrder) -> list[tuple[str, Decimal, Decimal]]:
    # By SKU, not line id: the flat-file report has no OrderItemId, the API has.
    return sorted(((line.seller_sku or "")[:100], line.quantity, line.unit_price) for line in order.lines)


def _revise(
    ctx: ServiceContext, plan: _Plan, order: AmazonOrder, new_lines: tuple[NewOrderLine, ...]
) -> tuple[SalesOrderView, Outcome]:
    """A known order Amazon changed: its prices (a Pending order has none; they come when it
    is Unshipped) or its lines. Replaced while nothing shipped, else listed."""
    view = sales_orders.find_order(ctx, channel=plan.channel.name, external_id=order.amazon_order_id)
    if not order.lines:
        return view, Outcome.UNCHANGED
    with ctx.reading() as uow:
        known = uow.channels.order_of(plan.channel.id, order.amazon_order_id)
        had = sorted((line.sku or "", line.quantity, line.unit_price)
                     for line in uow.channels.order_lines(known[0])) if known else []
    if had == _sent(order) or OrderStatus(view.status) not in ACTIVE:
        return view, Outcome.UNCHANGED
    if OrderStatus(view.status) not in EDITABLE or not new_lines or _handled(view):
        _note_once(ctx, plan.channel, order, None, ExceptionKind.EDIT_AFTER_SHIPPING,
                   "Amazon changed the order's lines or prices after Onhand began to fulfil it; not applied")
        return view, Outcome.REFUSED
    view = sales_orders.update_order(ctx, UpdateOrder(reference=view.reference, lines=new_lines))

    def work(uow: UnitOfWork) -> Any:
        if known is not None:
            uow.channels.replace_order_lines(known[0], _line_rows(uow, plan, order))
            uow.channels.update_order(known[0], external_updated_at=order.last_update[:40])

    in_transaction(ctx, work)
    return view, Outcome.UPDATED


def _handled(view: SalesOrderView) -> bool:
    return any(line.picked > 0 or line.shipped > 0 for line in view.lines)


def _line_rows(uow: UnitOfWork, plan: _Plan, order: AmazonOrder) -> list[dict[str, object]]:
    item_ids = {sku: item.id for sku, item in uow.items.by_skus(sorted(set(plan.items.values()))).items()}
    return [
        {"external_line_id": line.order_item_id[:100], "sku": (line.seller_sku or "")[:100] or None,
         "external_variant_id": (line.asin or "")[:100] or None, "quantity": line.quantity,
         "unit_price": line.unit_price, "item_id": item_ids.get(plan.items.get(line.seller_sku or "", ""))}
        for line in order.lines
    ]


def _record(ctx: ServiceContext, plan: _Plan, order: AmazonOrder, view: SalesOrderView) -> None:
    """The channel order and its lines as Amazon sent them; each unknown SKU an exception."""

    def work(uow: UnitOfWork) -> Any:
        if uow.channels.order_of(plan.channel.id, order.amazon_order_id) is not None:
            return  # another sync recorded it meanwhile
        order_id = uow.orders.id_by_external_id(plan.channel.name, order.amazon_order_id)
        channel_order = uow.channels.add_order({
            "channel_id": plan.channel.id, "external_order_id": order.amazon_order_id, "order_id": order_id,
            "external_updated_at": order.last_update[:40], "created_at": ctx.now(),
        })
        uow.channels.replace_order_lines(channel_order, _line_rows(uow, plan, order))
        for line in order.lines:
            if line.seller_sku not in plan.items:
                raise_exception(uow, plan.channel.id, ExceptionKind.UNKNOWN_SKU.value,
                                f"SellerSKU {line.seller_sku!r} (ASIN {line.asin}) is not mapped; "
                                f"{line.quantity} unit(s) not reserved",
                                at=ctx.now(), external_order_id=order.amazon_order_id,
                                external_line_id=line.order_item_id[:100], sku=(line.seller_sku or "")[:100] or None)

    return in_transaction(ctx, work)


def _release(ctx: ServiceContext, plan: _Plan, order: AmazonOrder) -> Outcome:
    if plan.sales_order is None:
        return Outcome.SKIPPED
    view = sales_orders.find_order(ctx, channel=plan.channel.name, external_id=order.amazon_order_id)
    if OrderStatus(view.status) not in ACTIVE:
        return Outcome.UNCHANGED
    if any(line.shipped > 0 for line in view.lines):
        _note_once(ctx, plan.channel, order, None, ExceptionKind.CANCEL_AFTER_SHIPPING,
                   "Amazon cancelled an order Onhand has shipped some of; what is still open is cancelled")
    sales_orders.cancel_order(ctx, OrderAction(view.reference))
    return Outcome.CANCELLED


def _ship_from_fba(ctx: ServiceContext, plan: _Plan, order: AmazonOrder, view: SalesOrderView) -> Outcome:
    """Ship what the order holds at the FBA location. What Onhand could not reserve there
    has left Amazon all the same: the rest of the order is cancelled (so it never holds
    stock that arrives later) and `short_stock` asks for a count of the FBA location."""
    if OrderStatus(view.status) not in ACTIVE:
        return Outcome.UNCHANGED
    short = sum((line.open - line.reserved for line in view.lines), Decimal(0))
    shipped = any(line.reserved > 0 for line in view.lines)
    if shipped:
        view = shipping.ship_order(ctx, ShipOrder(view.reference))
    if short > 0:
        _note_once(ctx, plan.channel, order, None, ExceptionKind.SHORT_STOCK,
                   f"Amazon shipped it from FBA, but Onhand held {short} unit(s) fewer at "
                   f"{plan.fba_location}; the rest of the order is cancelled: count the FBA location "
                   "(onhand amazon fba-sync)")
        if OrderStatus(view.status) in ACTIVE:
            sales_orders.cancel_order(ctx, OrderAction(view.reference))
    return Outcome.SHIPPED if shipped else Outcome.REFUSED


def _note_unknown(ctx: ServiceContext, channel: ChannelRecord, order: AmazonOrder, line: AmazonOrderLine) -> None:
    _note_once(ctx, channel, order, line, ExceptionKind.UNKNOWN_SKU,
               f"SellerSKU {line.seller_sku!r} (ASIN {line.asin}) is not mapped; the order is not imported "
               "until one of its SKUs is")


def note_refused(ctx: ServiceContext, name: str, order: AmazonOrder, detail: str) -> None:
    """An order the import could not apply (listed once; the sync goes on with the next)."""
    with ctx.reading() as uow:
        channel = amazon_channel(uow, name)
    _note_once(ctx, channel, order, None, ExceptionKind.BAD_PAYLOAD, f"not applied: {detail}")


def _note_once(
    ctx: ServiceContext, channel: ChannelRecord, order: AmazonOrder, line: AmazonOrderLine | None,
    kind: ExceptionKind, detail: str,
) -> None:
    """An exception, unless the same one (order, line, kind) is still open: syncs repeat."""
    line_id = line.order_item_id[:100] if line else None

    def work(uow: UnitOfWork) -> Any:
        open_ones = uow.channels.exceptions(channel_id=channel.id, unresolved=True, limit=1000, offset=0)
        if any(e.external_order_id == order.amazon_order_id and e.external_line_id == line_id and e.kind == kind.value
               for e in open_ones):
            return
        raise_exception(uow, channel.id, kind.value, detail, at=ctx.now(), external_order_id=order.amazon_order_id,
                        external_line_id=line_id, sku=(line.seller_sku or "")[:100] or None if line else None)

    return in_transaction(ctx, work)

