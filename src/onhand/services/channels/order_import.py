"""A channel's order or refund applied to Onhand through the order services, acting as
the channel: a new order is created and allocated; an edit while the order is editable
replaces its lines; a cancellation cancels what is open; restocked returns come back.

What cannot be applied as it stands becomes an exception (an unknown SKU: the order is
imported without that line, which is flagged; an edit after shipping), never a lost order.
An update older than the one applied last (`updated_at`, as the channel stamps it) is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.channels.channels import ExceptionKind
from onhand.domain.channels.documents import ChannelLine, ChannelOrder, ChannelRefund, stamped_before
from onhand.domain.channels.records import ChannelRecord
from onhand.domain.errors import Conflict
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, OrderAction, ReceiveReturn, ReturnLine, UpdateOrder
from onhand.domain.orders.sales_orders import EDITABLE, OrderStatus
from onhand.domain.orders.views import SalesOrderView
from onhand.services.orders import returns, sales_orders, waves
from onhand.services.orders.views import load_order

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext, UnitOfWork

# (kind, channel order id, channel line id, sku, detail)
Problem = tuple[str, str | None, str | None, str | None, str]


@dataclass(frozen=True)
class Imported:
    external_order_id: str
    order_id: int
    updated_at: str | None
    lines: tuple[dict[str, Any], ...]
    channel_order_id: int | None  # as read when the order was applied; None: not imported before


@dataclass(frozen=True)
class Outcome:
    problems: tuple[Problem, ...] = ()
    error: str | None = None
    imported: Imported | None = None

    def record(self, uow: UnitOfWork, channel_id: int, now: datetime, *, applied_here: bool) -> None:
        """What was imported, beside the delivery's mark (in the same transaction). Unless
        the order was `applied_here`, in this transaction, it is looked up again."""
        if self.imported is None:
            return
        channel_order_id = self.imported.channel_order_id
        if not applied_here:
            found = uow.channels.order_of(channel_id, self.imported.external_order_id)
            channel_order_id = found[0] if found is not None else None
        if channel_order_id is None:
            channel_order_id = uow.channels.add_order({
                "channel_id": channel_id, "external_order_id": self.imported.external_order_id,
                "order_id": self.imported.order_id, "external_updated_at": self.imported.updated_at,
                "created_at": now})
            uow.channels.add_order_lines(channel_order_id, list(self.imported.lines))
            return
        uow.channels.update_order(channel_order_id, external_updated_at=self.imported.updated_at)
        uow.channels.replace_order_lines(channel_order_id, list(self.imported.lines))


class Allocations:
    """New orders of a group of deliveries, allocated together when the group ends (or before
    anything else in it may touch stock): oldest first, as one at a time would, but the
    group's reservations are taken in one statement in balance-key order (`waves`), so two
    workers importing side by side never deadlock on balances, and hold them only from there
    to the commit."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._references: list[str] = []

    def defer(self, reference: str) -> None:
        self._references.append(reference)

    def flush(self) -> bool:
        """Allocate the orders deferred; whether there were any."""
        if not self._references:
            return False
        references, self._references = self._references, []
        waves.allocate_orders(self._ctx, references)
        return True


@dataclass
class _Mapped:
    lines: list[tuple[ChannelLine, str | None]] = field(default_factory=list)  # (line, Onhand SKU or None)
    item_ids: dict[str, int] = field(default_factory=dict)  # Onhand SKU → item id

    @property
    def known(self) -> list[tuple[ChannelLine, str]]:
        return [(line, sku) for line, sku in self.lines if sku is not None and line.quantity > 0]


def _map_lines(uow: UnitOfWork, channel: ChannelRecord, lines: tuple[ChannelLine, ...]) -> _Mapped:
    """Each line's item: by the channel's variant id, else its SKU as mapped, else the same SKU.
    (Looked up line by line: a shop's mappings may run to thousands of SKUs.)"""
    mapped = _Mapped()
    for line in lines:
        item_id = None
        if line.external_variant_id:
            item_id = uow.channels.sku_holder(channel.id, "external_variant_id", line.external_variant_id)
        if item_id is None and line.sku:
            item_id = uow.channels.sku_holder(channel.id, "external_sku", line.sku)
        item = uow.items.get(item_id) if item_id is not None else None
        if item is None and line.sku:
            item = uow.items.get_by_sku(line.sku)
        if item is not None:
            mapped.item_ids[item.sku] = item.id
        mapped.lines.append((line, item.sku if item is not None else None))
    return mapped


def _unknown(doc: ChannelOrder, mapped: _Mapped) -> tuple[Problem, ...]:
    return tuple(
        (ExceptionKind.UNKNOWN_SKU.value, doc.external_order_id, line.external_line_id, line.sku,
         f"no item for SKU {line.sku!r} (variant {line.external_variant_id}); the line was not imported: "
         f"map the SKU, then resolve this to import it")
        for line, sku in mapped.lines if sku is None
    )


def _line_rows(mapped: _Mapped, numbers: list[int]) -> tuple[dict[str, Any], ...]:
    """The channel's lines with the sales order's line each became: the order's given lines
    are numbered from 1 in the order given (bundles' components after them)."""
    numbers_left = iter(numbers)
    rows = []
    for line, sku in mapped.lines:
        taken = sku is not None and line.quantity > 0
        rows.append({
            "external_line_id": line.external_line_id, "sku": line.sku, "external_variant_id": line.external_variant_id,
            "quantity": line.quantity, "unit_price": line.unit_price, "item_id": None,
            "line_no": next(numbers_left, None) if taken else None, "mapped_sku": sku,
        })
    return tuple(rows)


def _given_lines(view: SalesOrderView) -> list[int]:
    return [line.line_no for line in view.lines if line.kit_line_no is None]


def apply_order(ctx: ServiceContext, channel: ChannelRecord, doc: ChannelOrder,
                later: Allocations | None = None) -> Outcome:
    """With `later`, a new order is allocated by it, not at once."""
    with ctx.reading() as uow:
        mapped = _map_lines(uow, channel, doc.lines)
        found = uow.channels.order_of(channel.id, doc.external_order_id)
        before = uow.channels.order_lines(found[0]) if found else []
        stored_stamp = None
        view = None
        if found is not None:
            view = load_order(uow, found[1])
            stored_stamp = _stamp(uow, channel.id, doc.external_order_id)
        item_ids: dict[str, int | None] = dict(mapped.item_ids)
    problems = list(_unknown(doc, mapped))
    new_lines = tuple(NewOrderLine(sku, line.quantity, line.unit_price) for line, sku in mapped.known)
    if view is None:
        if doc.cancelled or not new_lines:
            # Nothing to import yet (cancelled before, or no line Onhand knows): the exceptions say why.
            return Outcome(problems=tuple(problems))
        created = sales_orders.create_order_key(ctx, CreateOrder(
            lines=new_lines, channel=channel.name, external_id=doc.external_order_id, customer=doc.customer,
            customer_email=doc.customer_email, customer_external_id=doc.customer_external_id,
            ship_to=doc.ship_to, currency=doc.currency, allocate=later is None))
        order_id, numbers = created.id, list(range(1, len(new_lines) + 1))
        if not created.created:  # made before under the channel's id, not by an import: as it is
            with ctx.reading() as uow:
                numbers = _given_lines(load_order(uow, order_id))
        elif later is not None:
            later.defer(created.reference)
    elif stamped_before(doc.updated_at, stored_stamp):
        return Outcome()
    elif later is not None and later.flush():  # the orders before this one first, as one at a time would
        return apply_order(ctx, channel, doc)  # (this one among them, maybe: read it again)
    else:
        order_id = found[1]
        if doc.cancelled:
            if view.status != OrderStatus.CANCELLED.value:
                try:
                    view = sales_orders.cancel_order(ctx, OrderAction(view.reference))
                except Conflict as refused:
                    problems.append((ExceptionKind.CANCEL_AFTER_SHIPPING.value, doc.external_order_id, None, None,
                                     f"cancelled in the channel, but {refused}"))
        elif _changed(before, mapped, item_ids):
            if OrderStatus(view.status) in EDITABLE and new_lines:
                try:
                    view = sales_orders.update_order(ctx, UpdateOrder(reference=view.reference, lines=new_lines))
                except Conflict as refused:
                    problems.append(_edit_problem(doc, str(refused)))
            else:
                problems.append(_edit_problem(doc, f"order {view.reference} is {view.status}"))
        numbers = _given_lines(view)
    rows = tuple({**{k: v for k, v in row.items() if k != "mapped_sku"}, "item_id": item_ids.get(row["mapped_sku"])}
                 for row in _line_rows(mapped, numbers))
    known = found[0] if found is not None else None
    return Outcome(problems=tuple(problems),
                   imported=Imported(doc.external_order_id, order_id, doc.updated_at, rows, known))


def _edit_problem(doc: ChannelOrder, why: str) -> Problem:
    return (ExceptionKind.EDIT_AFTER_SHIPPING.value, doc.external_order_id, None, None,
            f"edited in the channel but not applied: {why}")


def _changed(before: list[Any], mapped: _Mapped, item_ids: dict[str, int | None]) -> bool:
    was = sorted((r.external_line_id, r.item_id, r.quantity) for r in before)
    now = sorted((line.external_line_id, item_ids.get(sku) if sku else None, line.quantity)
                 for line, sku in mapped.lines)
    return was != now


def _stamp(uow: UnitOfWork, channel_id: int, external_order_id: str) -> str | None:
    return uow.channels.order_stamp(channel_id, external_order_id)


def apply_refund(ctx: ServiceContext, channel: ChannelRecord, doc: ChannelRefund) -> Outcome:
    """Restocked returns come back to the location mapped to the refund's channel location.
    (Units restocked as `cancel` were never shipped: the order's update lowers them.)"""
    returned: dict[str, tuple[Decimal, str | None]] = {}
    for restock in doc.restocks:
        if restock.kind == "return":
            quantity, _where = returned.get(restock.external_line_id, (Decimal(0), None))
            returned[restock.external_line_id] = (quantity + restock.quantity, restock.external_location_id)
    if not returned:
        return Outcome()
    with ctx.reading() as uow:
        found = uow.channels.order_of(channel.id, doc.external_order_id)
        if found is None:
            return Outcome(problems=((ExceptionKind.BAD_PAYLOAD.value, doc.external_order_id, None, None,
                                      "a refund with returns for an order Onhand did not import"),))
        numbers = {r.external_line_id: r.line_no for r in uow.channels.order_lines(found[0])}
        reference = load_order(uow, found[1]).reference
        places = {m.external_location_id: m.location_id for m in reversed(uow.channels.locations(channel.id))}
        codes = {loc.id: loc.code for loc in uow.locations.all()}
    problems: list[Problem] = []
    by_place: dict[str, list[ReturnLine]] = {}
    for line_id, (quantity, where) in returned.items():
        line_no = numbers.get(line_id)
        place = places.get(where or "") or next(iter(places.values()), None)
        if line_no is None or place is None:
            problems.append((ExceptionKind.BAD_PAYLOAD.value, doc.external_order_id, line_id, None,
                             "a returned line Onhand cannot place (unmapped line or location)"))
            continue
        by_place.setdefault(codes[place], []).append(ReturnLine(line_no, quantity))
    for code, lines in sorted(by_place.items()):
        # The refund's id makes a repeat of this delivery a replay, not a second return.
        returns.receive_return(ctx, ReceiveReturn(reference=reference, location=code, lines=tuple(lines)),
                               idempotency_key=f"refund:{doc.external_refund_id}:{code}")
    return Outcome(problems=tuple(problems))
