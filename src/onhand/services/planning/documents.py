"""Turning today's suggestions into draft documents in one action, through the purchasing
and transfers services (each document its own transaction, audited as theirs).

One draft purchase order per supplier and site, one draft transfer per source and
destination. With an idempotency key, each document gets a key derived from it, so a
retried action never creates a document twice; drafts count in tomorrow's planning, so the
same suggestion is not made again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from onhand.domain.errors import OnhandError
from onhand.domain.planning.commands import CreateSuggestedDocuments
from onhand.domain.planning.views import CreatedDocuments, TransferSuggestion
from onhand.domain.purchasing.commands import CreatePurchaseOrder, NewPurchaseLine
from onhand.domain.transfers.commands import CreateTransfer, NewTransferLine
from onhand.services.context import ServiceContext, validate_idempotency_key
from onhand.services.planning.suggestions import Purchase, compute
from onhand.services.purchasing.purchase_orders import create_purchase_order
from onhand.services.transfers.transfer_orders import create_transfer

NOTE = "Suggested by planning"


def _key(key: str | None, *parts: str) -> str | None:
    """The key of one document of the action: the action's key and the document's place."""
    if key is None:
        return None
    return "planning:" + hashlib.sha256("\x1f".join((key, *parts)).encode()).hexdigest()


def create_suggested_documents(
    ctx: ServiceContext, command: CreateSuggestedDocuments, *, idempotency_key: str | None = None
) -> CreatedDocuments:
    """Draft purchase orders and transfers for today's suggestions (of `skus`, or all)."""
    key = validate_idempotency_key(idempotency_key)
    with ctx.reading() as uow:
        _day, purchases, transfers = compute(ctx, uow, command.skus)
    made_orders: list[str] = []
    made_transfers: list[str] = []
    skipped: list[str] = []
    orders: dict[tuple[str, str], list[Purchase]] = defaultdict(list)
    for purchase in purchases:
        if purchase.supplier is None:
            skipped.append(f"{purchase.line.sku} at {purchase.site}: no supplier (give the rule one, or a price)")
        else:
            orders[(purchase.supplier, purchase.site)].append(purchase)
    for (supplier, site), lines in sorted(orders.items()):
        arrival = min(p.line.expected_date for p in lines)
        order = CreatePurchaseOrder(
            supplier=supplier, destination=site, expected_date=arrival, note=NOTE, currency=lines[0].currency,
            lines=tuple(NewPurchaseLine(p.line.sku, p.line.quantity, p.line.unit_cost) for p in lines),
        )
        try:
            view = create_purchase_order(ctx, order, idempotency_key=_key(key, "po", supplier, site))
            made_orders.append(view.reference)
        except OnhandError as exc:
            skipped.append(f"purchase from {supplier} to {site}: {exc}")
    by_route: dict[tuple[str, str], list[TransferSuggestion]] = defaultdict(list)
    for move in transfers:
        by_route[(move.source, move.destination)].append(move)
    for (source, destination), moves in sorted(by_route.items()):
        transfer = CreateTransfer(
            source=source, destination=destination, note=NOTE,
            lines=tuple(NewTransferLine(m.sku, m.quantity) for m in moves),
        )
        try:
            made = create_transfer(ctx, transfer, idempotency_key=_key(key, "to", source, destination))
            made_transfers.append(made.reference)
        except OnhandError as exc:
            skipped.append(f"transfer {source} → {destination}: {exc}")
    return CreatedDocuments(tuple(made_orders), tuple(made_transfers), tuple(skipped))
