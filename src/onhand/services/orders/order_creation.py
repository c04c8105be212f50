"""Making sales orders: one (`create_order`), or several at once (`create_orders`, a server's
group of one key's requests)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from onhand.domain.accounting.sales_revenue import order_exchange_rate
from onhand.domain.audit import AuditObject
from onhand.domain.errors import AlreadyExists, InvalidInput
from onhand.domain.orders.commands import CreateOrder
from onhand.domain.orders.sales_orders import OrderStatus, validate_channel, validate_currency
from onhand.services import resolve
from onhand.services.catalog.lots import parse_date
from onhand.services.context import Outcome, ServiceContext, run_write, run_writes, today
from onhand.services.limits import check_line_count
from onhand.services.orders import allocation
from onhand.services.orders.customers import customer_for_order
from onhand.services.orders.lines import line_values, made_lines, ship_to_values
from onhand.services.orders.views import OrderNow, SalesOrderView, load_order, order_subject

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/#\-]{0,63}$")
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
    key), each with the outcome it would have had made alone (`run_writes`): made one after
    the other in one transaction, with their idempotency records and audit entries a
    statement for all. When one of them is refused, the transaction keeps nothing and each
    is made alone, in turn, with its own outcome."""
    made: set[int] = set()

    def work(uow: UnitOfWork, indices: list[int]) -> dict[int, int | OrderNow]:
        uow.items.read_skus(line.sku.strip() for index in indices for line in requests[index][0].lines)
        return {index: _making(ctx, requests[index][0], made)(uow) for index in indices}

    def alone(index: int) -> SalesOrderView:
        command, key = requests[index]
        return create_order(ctx, command, idempotency_key=key)

    return run_writes(ctx, requests, work, alone, load_order, action="create_order", subject=order_subject)


def _making(ctx: ServiceContext, command: CreateOrder, made: set[int]) -> Callable[[UnitOfWork], int | OrderNow]:
    """The write that makes the order (its input checked first, before any transaction)."""
    lines, reference, currency, exchange_rate = (
        command.lines, command.reference, command.currency, command.exchange_rate
    )
    check_line_count(ctx.limits, lines, "lines")
    channel_name = validate_channel(command.channel)
    external = resolve.text(command.external_id, "external_id", max_length=100)
    ship_date = parse_date(command.requested_ship_date, "requested_ship_date")

    def work(uow: UnitOfWork) -> int | OrderNow:
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
        rows = line_values(uow, lines)
        order_id, line_ids = uow.orders.add(header, rows)
        if not reference:
            resolve.numbered("SO", order_id, lambda number: uow.orders.number(order_id, number))
        made.add(order_id)
        # Inserted by this transaction: its header and lines are as the transaction holds them
        # (not read back).
        new_lines = made_lines(uow, order_id, rows, line_ids)
        if command.allocate:
            after = allocation.allocate(uow, order_id, now, order=uow.orders.get(order_id), lines=new_lines)
            return after if after is not None else order_id
        return OrderNow(order_id, new_lines)

    return work
