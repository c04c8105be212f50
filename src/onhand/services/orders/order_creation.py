"""Making sales orders: one (`create_order`), or several at once (`create_orders`, a server's
group of one key's requests)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from onhand.domain.accounting.sales_revenue import order_exchange_rate
from onhand.domain.audit import AuditObject
from onhand.domain.errors import AlreadyExists, InvalidInput
from onhand.domain.orders.commands import CreateOrder
from onhand.domain.orders.records import SalesOrderLineRecord
from onhand.domain.orders.sales_orders import OrderStatus, validate_channel, validate_currency
from onhand.domain.quantities import plain
from onhand.services import resolve
from onhand.services.catalog.lots import parse_date
from onhand.services.context import Outcome, ServiceContext, run_write, run_writes, today
from onhand.services.limits import check_line_count
from onhand.services.orders import allocation, batches
from onhand.services.orders.customers import customer_for_order
from onhand.services.orders.lines import line_values, made_lines, ship_to_values
from onhand.services.orders.views import OrderNow, SalesOrderView, load_order, order_subject, reservation_views

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/#\-]{0,63}$")
_NUMBER_LIKE = re.compile(r"^SO-[0-9]+$")  # what `resolve.document_reference("SO", …)` gives
T = TypeVar("T")


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
    return run_write(ctx, _making(ctx, command, made), load, action="create_order", subject=subject,
                     idempotency_key=idempotency_key, request=command)


def create_orders(ctx: ServiceContext, requests: Sequence[tuple[CreateOrder, str | None]]) -> list[Outcome]:
    """Several orders by the actor (a server's group of requests: each with its idempotency
    key), each with the outcome it would have had made alone (`run_writes`): made together in
    one transaction (`_make`), with their idempotency records and audit entries a statement
    for all. When one of them is refused, the transaction keeps nothing and each is made
    alone, in turn, with its own outcome."""
    made: set[int] = set()

    def work(uow: UnitOfWork, indices: list[int]) -> dict[int, int | OrderNow]:
        commands = [requests[index][0] for index in indices]
        uow.items.read_skus(line.sku.strip() for command in commands for line in command.lines)
        if _overlapping(commands):  # the later one finds or refuses the earlier: one after the other
            return {index: _making(ctx, requests[index][0], made)(uow) for index in indices}
        outcome: dict[int, int | OrderNow] = {}  # an order found by its channel id, as it is
        drafts: dict[int, _Draft] = {}
        for index in indices:
            found = _drafting(ctx, requests[index][0])(uow)
            if isinstance(found, _Draft):
                drafts[index] = found
            else:
                outcome[index] = found
        outcome |= zip(drafts, _make(uow, list(drafts.values()), made), strict=True)
        return {index: outcome[index] for index in indices}

    def alone(index: int) -> SalesOrderView:
        command, key = requests[index]
        return create_order(ctx, command, idempotency_key=key)

    return run_writes(ctx, requests, work, alone, load_order, action="create_order", subject=order_subject)


def _overlapping(commands: Sequence[CreateOrder]) -> bool:
    """Whether two of the orders give the same reference or the same channel's order id, or
    one gives a reference in the form of the numbers the others may be given (which of them
    has it depends on which is made first)."""
    references = [command.reference.strip() for command in commands if command.reference and command.reference.strip()]
    external = [(validate_channel(command.channel), command.external_id.strip())
                for command in commands if command.external_id and command.external_id.strip()]
    numbered = len(references) < len(commands)
    return (len(set(references)) < len(references) or len(set(external)) < len(external)
            or (numbered and any(_NUMBER_LIKE.match(reference) for reference in references)))


@dataclass(frozen=True)
class _Draft:
    """A new order's values, checked, before it is inserted."""

    header: dict[str, Any]
    rows: list[dict[str, Any]]  # its lines (`line_values`)
    numbered: bool  # without a reference of its own: numbered from its id once inserted
    allocate: bool
    now: datetime


def _making(ctx: ServiceContext, command: CreateOrder, made: set[int]) -> Callable[[UnitOfWork], int | OrderNow]:
    """The write that makes the order (its input checked first, before any transaction)."""
    draft = _drafting(ctx, command)

    def work(uow: UnitOfWork) -> int | OrderNow:
        found = draft(uow)
        return found if isinstance(found, int) else _make(uow, [found], made)[0]

    return work


def _drafting(ctx: ServiceContext, command: CreateOrder) -> Callable[[UnitOfWork], int | _Draft]:
    """What makes the order's values, or finds the order by its channel and external id (its
    input checked first, before any transaction)."""
    lines, reference, currency, exchange_rate = (
        command.lines, command.reference, command.currency, command.exchange_rate
    )
    check_line_count(ctx.limits, lines, "lines")
    channel_name = validate_channel(command.channel)
    external = resolve.text(command.external_id, "external_id", max_length=100)
    ship_date = parse_date(command.requested_ship_date, "requested_ship_date")

    def draft(uow: UnitOfWork) -> int | _Draft:
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
        return _Draft(header, line_values(uow, lines), numbered=not reference, allocate=command.allocate, now=now)

    return draft


def _make(uow: UnitOfWork, drafts: list[_Draft], made: set[int]) -> list[OrderNow]:
    """Insert the drafted orders, in their order: a statement for all their headers, one for
    all their lines, one numbering those without a reference; then allocate those that ask,
    in the same order: one as `allocate` does, several as a wave's batch (planned in memory
    against free stock read once, reserved in a few statements), which leaves each as
    allocating it alone would. Their headers and lines are as the transaction holds them
    (not read back)."""
    added = uow.orders.add_many([(draft.header, draft.rows) for draft in drafts])
    numbers = [(order_id, resolve.document_reference("SO", order_id))
               for (order_id, _lines), draft in zip(added, drafts, strict=True) if draft.numbered]
    if numbers and not uow.orders.number_many(numbers):
        for order_id, _number in numbers:  # a manual reference took a number: the next is tried
            resolve.numbered("SO", order_id, partial(uow.orders.number, order_id))
    orders: dict[int, OrderNow] = {}
    asked: list[tuple[Any, list[SalesOrderLineRecord]]] = []
    at = None
    for (order_id, line_ids), draft in zip(added, drafts, strict=True):
        made.add(order_id)
        orders[order_id] = OrderNow(order_id, made_lines(uow, order_id, draft.rows, line_ids))
        if draft.allocate:
            asked.append((uow.orders.get(order_id), orders[order_id].lines))
            at = at or draft.now
    if at is not None and len(asked) == 1:
        (header, lines), = asked
        orders[header.id] = allocation.allocate(uow, header.id, at, order=header, lines=lines) or orders[header.id]
    elif at is not None:
        orders |= _allocated_together(uow, at, asked)
    return [orders[order_id] for order_id, _lines in added]


def _allocated_together(
    uow: UnitOfWork, at: datetime, orders: list[tuple[Any, list[SalesOrderLineRecord]]]
) -> dict[int, OrderNow]:
    """New orders allocated as a wave allocates them (`batches.Batch`), oldest first; one the
    batch cannot plan (a bundle) as `allocate` does, between them."""
    lines = {header.id: own for header, own in orders}
    batch = batches.Batch(uow, at, lines, [header for header, own in orders if batches.untouched_order(header, own)],
                        ship=False)
    alone: dict[int, OrderNow] = {}
    for header, own in orders:
        if header in batch:
            batch.plan(header)
            continue
        batch.flush()
        alone[header.id] = allocation.allocate(uow, header.id, at, order=header, lines=own) or OrderNow(header.id, own)
        batch.forget_stock()  # the one-order path changed it
    batch.flush()
    # What the batch reserved, for the orders' answers: read once for all of them.
    held = uow.reservations.for_orders([header.id for header, _own in orders if header.id not in alone])
    return {
        header.id: alone.get(header.id) or OrderNow(header.id, [
            replace(line, reserved=plain(batch.reserved[line.id])) for line in own
        ], reservation_views(held[header.id]))
        for header, own in orders
    }
