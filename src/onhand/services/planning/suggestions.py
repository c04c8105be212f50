"""Purchase and transfer suggestions for today, explained, grouped by supplier.

For each item with a rule: sites below their reorder point are served first by transfers
of surplus from sister sites (`domain/planning/transfers.py`: a source never gives below
its own reorder point), and what is still below the reorder point after that is bought,
rounded up to the minimum order quantity and the order multiple.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import InvalidInput
from onhand.domain.planning.explanations import explain
from onhand.domain.planning.projection import DocumentKind
from onhand.domain.planning.rules import order_size
from onhand.domain.planning.transfers import SiteState, plan_transfers
from onhand.domain.planning.views import (
    PurchaseSuggestion,
    Suggestions,
    SupplierSuggestions,
    TransferSuggestion,
)
from onhand.domain.quantities import plain
from onhand.services import collector, resolve
from onhand.services.context import ServiceContext, today
from onhand.services.planning import snapshot
from onhand.services.planning.plans import Plan, plan

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)
MAX_SKUS = 1000
_INCOMING = (DocumentKind.PURCHASE_ORDER, DocumentKind.TRANSFER_IN)


@dataclass(frozen=True)
class Purchase:
    """A purchase to suggest, with what a draft purchase order needs."""

    supplier: str | None
    currency: str | None
    site: str
    line: PurchaseSuggestion


def _explained(snap: snapshot.Snapshot, planned: Plan) -> str:
    incoming = [d for d in planned.documents if d.kind in _INCOMING]
    text = explain(planned.first_below(snap), planned.position, planned.point, incoming)
    rule = planned.rule
    if rule is not None and rule.maximum is not None:
        text += f"; up to maximum {plain(rule.maximum)}"
    elif rule is not None and rule.reorder_quantity is not None:
        text += f"; in lots of {plain(rule.reorder_quantity)}"
    return text


def _item_ids(uow: UnitOfWork, skus: Sequence[str]) -> list[int] | None:
    if len(skus) > MAX_SKUS:
        raise InvalidInput("skus", f"at most {MAX_SKUS} at once")
    return None if not skus else sorted({resolve.item(uow, sku, "skus").id for sku in skus})


def compute(ctx: ServiceContext, uow: UnitOfWork, skus: Sequence[str]) -> tuple[date, list[Purchase],
                                                                                 list[TransferSuggestion]]:
    """Today's purchases and transfers (every item with a rule unless `skus` are given)."""
    with collector.paused():  # a few hundred thousand records that all live to the end
        return _compute(ctx, uow, skus)


def _compute(ctx: ServiceContext, uow: UnitOfWork, skus: Sequence[str]) -> tuple[date, list[Purchase],
                                                                                  list[TransferSuggestion]]:
    day = today(ctx, uow)
    snap = snapshot.load(uow, today=day, now=ctx.now(), item_ids=_item_ids(uow, skus))
    suppliers = {r.supplier_id for r in snap.rules.values() if r.supplier_id is not None}
    rows = {supplier_id: uow.suppliers.get(supplier_id) for supplier_id in suppliers}
    lead_times = {supplier_id: row.lead_time_days for supplier_id, row in rows.items()}
    # A transfer needs a transit location: the route's, or the company's only one.
    routes = {(r.source_id, r.destination_id) for r in uow.transfers.routes()}
    single_transit = sum(1 for loc in uow.locations.all() if loc.kind is LocationKind.TRANSIT) == 1

    def can_move(source: int, destination: int) -> bool:
        return single_transit or (source, destination) in routes

    rule_items = {item_id for item_id, _ in snap.rules}
    # Every site that has a rule, stock or documents of an item with a rule: a sister site
    # without a rule may still have stock to give.
    keys_by_item: dict[int, set[int]] = defaultdict(set)
    for item_id, site_id in [*snap.rules, *snap.on_hand, *snap.documents]:
        if item_id in rule_items:
            keys_by_item[item_id].add(site_id)
    purchases: list[Purchase] = []
    transfers: list[TransferSuggestion] = []
    for item_id in sorted(rule_items):
        plans = {site: plan(snap, (item_id, site), lead_times) for site in sorted(keys_by_item[item_id])}
        if not any(p.need > 0 for p in plans.values()):
            continue
        sku = snap.items[item_id].sku
        states = [SiteState(site, p.position, p.available_now, p.point, p.need) for site, p in plans.items()]
        moved: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for move in plan_transfers(states, can_move):
            moved[move.destination_id] += move.quantity
            source, target = plans[move.source_id], plans[move.destination_id]
            reason = (f"{_explained(snap, target)}; {snap.sites[move.source_id].code} has "
                      f"{plain(source.position - source.point)} above its own minimum {plain(source.point)}")
            transfers.append(TransferSuggestion(sku, snap.sites[move.source_id].code,
                                                snap.sites[move.destination_id].code, move.quantity, reason))
        for site, planned in plans.items():
            if planned.need > 0 and planned.position + moved[site] < planned.point:
                purchases.append(_purchase(snap, day, planned, moved[site], rows.get(planned.supplier_id or 0)))
    return day, purchases, transfers


def _purchase(snap: snapshot.Snapshot, day: date, planned: Plan, moved: Decimal, supplier: Any) -> Purchase:
    """What is still below the reorder point after transfers, rounded up to the supplier's
    minimum order quantity and multiple, from the rule's supplier (or the cheapest)."""
    quantity = order_size(planned.need - moved, min_order_quantity=planned.min_order_quantity,
                          multiple=planned.order_multiple)
    offer = planned.offer
    code = offer.supplier if offer else (supplier.code if supplier is not None else None)
    currency = offer.currency if offer else (supplier.currency if supplier is not None else None)
    unit_cost = offer.unit_cost if offer else None
    reason = _explained(snap, planned)
    if moved:
        reason += f"; {plain(moved)} by transfer first"
    site = snap.sites[planned.key[1]].code
    return Purchase(code, currency, site, PurchaseSuggestion(
        sku=snap.items[planned.key[0]].sku, site=site, quantity=quantity, unit_cost=unit_cost,
        cost=None if unit_cost is None else plain(unit_cost * quantity), expected_date=day + planned.arrival,
        reason=reason,
    ))


def group(purchases: list[Purchase]) -> tuple[SupplierSuggestions, ...]:
    by_supplier: dict[str | None, list[Purchase]] = defaultdict(list)
    for purchase in purchases:
        by_supplier[purchase.supplier].append(purchase)
    out = []
    for code in sorted(by_supplier, key=lambda c: (c is None, c or "")):
        lines = by_supplier[code]
        costs = [p.line.cost for p in lines]
        total = None if any(c is None for c in costs) else plain(sum((c for c in costs if c is not None), ZERO))
        out.append(SupplierSuggestions(code, lines[0].currency, total, tuple(p.line for p in lines)))
    return tuple(out)


def suggest(ctx: ServiceContext, *, skus: Sequence[str] = ()) -> Suggestions:
    """Today's purchase suggestions (by supplier) and transfer suggestions, explained."""
    with ctx.reading() as uow:
        day, purchases, transfers = compute(ctx, uow, skus)
    return Suggestions(day=day, purchases=group(purchases), transfers=tuple(transfers))
