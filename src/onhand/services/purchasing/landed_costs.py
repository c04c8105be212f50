"""Landed costs of a receipt (freight, duty, insurance, other): recorded with their
currency and exchange rate, and allocated to the receipt's lines by value, quantity or
weight, exactly (`domain/purchasing/landed_costs.py`), and added to the value of the receipt's moves
(`services/valuation/backdating.py: value_landed_costs`): what is on hand gains the cost, what already
left adds it to the COGS of the moves that took it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.money import allocate, minor_unit
from onhand.domain.orders.sales_orders import validate_currency
from onhand.domain.purchasing.commands import AddLandedCosts, NewLandedCost
from onhand.domain.purchasing.landed_costs import AllocationMethod, parse_kind, parse_method
from onhand.domain.purchasing.purchase_orders import validate_exchange_rate, validate_money
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.valuation.backdating import value_landed_costs

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork
    from onhand.services.purchasing.views import ReceiptView


def record_landed_cost(
    uow: UnitOfWork, receipt: Any, cost: NewLandedCost, field: str, *, company_currency: str, now: Any
) -> int:
    """Store one landed cost of `receipt` and its allocation to the receipt's lines."""
    kind = parse_kind(cost.kind, f"{field}.kind")
    method = parse_method(cost.method, f"{field}.method")
    amount = validate_money(cost.amount, f"{field}.amount", positive=True)
    currency = validate_currency(cost.currency, f"{field}.currency") if cost.currency else receipt.currency
    if cost.exchange_rate is not None:
        rate = validate_exchange_rate(cost.exchange_rate, f"{field}.exchange_rate")
        if currency == company_currency and rate != 1:
            raise InvalidInput(f"{field}.exchange_rate", f"must be 1 for the company's currency {currency}")
    elif currency == company_currency:
        rate = Decimal(1)
    elif currency == receipt.currency:
        rate = receipt.exchange_rate
    else:
        raise InvalidInput(f"{field}.exchange_rate", f"required: {currency} is not the company's currency")
    lines = uow.receipts.line_rows(receipt.id)
    bases = [_basis(uow, line, method, f"{field}.method") for line in lines]
    shares = allocate(amount, bases, step=minor_unit(currency), field=f"{field}.method")
    values = {
        "receipt_id": receipt.id, "kind": kind.value, "amount": amount, "currency": currency,
        "exchange_rate": rate, "method": method.value, "created_at": now,
        "reference": resolve.text(cost.reference, f"{field}.reference", max_length=100),
    }
    return uow.receipts.add_landed_cost(values, [(line.id, share) for line, share in zip(lines, shares, strict=True)])


def _basis(uow: UnitOfWork, line: Any, method: AllocationMethod, field: str) -> Decimal:
    if method is AllocationMethod.QUANTITY:
        return Decimal(line.quantity)
    if method is AllocationMethod.VALUE:
        return Decimal(line.quantity * line.unit_cost)
    item = uow.items.get(line.item_id)
    if item is None or item.weight_kg is None:
        raise InvalidInput(field, f"item {line.sku!r} has no weight_kg; set it or allocate by value or quantity")
    return Decimal(line.quantity * item.weight_kg)


def add_landed_costs(
    ctx: ServiceContext, command: AddLandedCosts, *, idempotency_key: str | None = None
) -> ReceiptView:
    """Add landed costs to a receipt already posted (a freight or duty invoice came later)."""
    receipt, costs = command.receipt, command.costs
    from onhand.services.purchasing.receiving import load_receipt
    from onhand.services.purchasing.views import receipt_subject

    if not costs:
        raise InvalidInput("landed_costs", "give at least one landed cost")

    def work(uow: UnitOfWork) -> int:
        row = uow.receipts.by_reference(receipt.strip()) if receipt and receipt.strip() else None
        if row is None:
            raise NotFound("receipt", receipt, "receipt")
        uow.purchase_orders.lock(row.order_id)
        company_currency = uow.company.get().currency
        now = ctx.now()
        for index, cost in enumerate(costs):
            record_landed_cost(uow, row, cost, f"landed_costs[{index}]", company_currency=company_currency, now=now)
        value_landed_costs(uow, int(row.id))
        return int(row.id)

    return run_write(ctx, work, load_receipt, action="add_landed_costs", subject=receipt_subject,
                     idempotency_key=idempotency_key, request=command)
