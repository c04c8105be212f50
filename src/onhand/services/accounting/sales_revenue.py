"""What a business day's sales and customer returns are worth to the journal, in the
company's currency: revenue of shipped order lines and of the bundles their components
completed, and the refunds of returns (revenue reversed), per item category and location.

Plain lines are summed in SQL (`JournalRepository.sale_sums`, `return_sums`); bundles
are worked out per order with `domain/sales_revenue.kit_events` from their component
shipments and returns up to the end of the day. Each amount is exact (price × quantity
× the order's exchange rate); only the journal rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.accounting.sales_revenue import ZERO, KitEvent, kit_events

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

Place = tuple[str | None, int]  # item category, location id


@dataclass(frozen=True)
class DayRevenue:
    sales: dict[Place, Decimal]  # revenue recognized
    refunds: dict[Place, Decimal]  # revenue reversed by returns


def _add(found: dict[Place, Decimal], place: Place, amount: Decimal) -> None:
    found[place] = found.get(place, ZERO) + amount


def day_revenue(uow: UnitOfWork, start: datetime, end: datetime) -> DayRevenue:
    """Revenue and refunds of the postings effective in [start, end)."""
    sales = dict(uow.journals.sale_sums(start, end))
    refunds = dict(uow.journals.return_sums(start, end))
    kit_sales, kit_refunds = _kits(uow, start, end)
    for place, amount in sorted(kit_sales.items(), key=lambda e: (e[0][0] or "", e[0][1])):
        _add(sales, place, amount)
    for place, amount in sorted(kit_refunds.items(), key=lambda e: (e[0][0] or "", e[0][1])):
        _add(refunds, place, amount)
    return DayRevenue(sales, refunds)


def _events(rows: list[Any]) -> dict[tuple[int, int], dict[int, list[Any]]]:
    """Rows of component shipments (or returns) grouped per bundle line and event."""
    found: dict[tuple[int, int], dict[int, list[Any]]] = {}
    for r in rows:
        found.setdefault((int(r.order_id), int(r.kit_line_no)), {}).setdefault(int(r.event_id), []).append(r)
    return found


def _event(event_id: int, rows: list[Any], *, returned: bool) -> KitEvent:
    """One shipment or return of a bundle line's components; it is booked at the first
    location (lowest id) its components left from or came back to."""
    quantities: dict[int, Decimal] = {}
    for r in rows:
        quantities[int(r.line_no)] = quantities.get(int(r.line_no), ZERO) + r.quantity
    refund = None
    if returned and all(r.refund_unit_price is not None for r in rows):
        refund = sum((r.quantity * r.refund_unit_price for r in rows), ZERO)
    location = min(int(r.location_id) for r in rows)
    return KitEvent(rows[0].effective_at, event_id, location, quantities, returned, refund)


def _kits(uow: UnitOfWork, start: datetime, end: datetime) -> tuple[dict[Place, Decimal], dict[Place, Decimal]]:
    """Bundle revenue recognized and reversed in [start, end), per bundle category and location."""
    bundles, parts, shipped, returned, unit_costs = uow.journals.kit_sales(start, end)
    per_kit: dict[tuple[int, int], dict[int, Decimal]] = {}
    # Each component's cost per kit (what its shipments carried per unit × per_kit): its
    # share of the bundle's price when it comes back alone.
    weights: dict[tuple[int, int], dict[int, Decimal]] = {}
    for r in parts:
        key = (int(r.order_id), int(r.kit_line_no))
        per_kit.setdefault(key, {})[int(r.line_no)] = r.per_kit
        weights.setdefault(key, {})[int(r.line_no)] = unit_costs.get((key[0], int(r.item_id)), ZERO) * r.per_kit
    shipments, returns = _events(shipped), _events(returned)
    sales: dict[Place, Decimal] = {}
    refunds: dict[Place, Decimal] = {}
    for b in bundles:
        key = (int(b.order_id), int(b.line_no))
        events = [_event(eid, rows, returned=False) for eid, rows in shipments.get(key, {}).items()]
        events += [_event(eid, rows, returned=True) for eid, rows in returns.get(key, {}).items()]
        for event, amount in kit_events(b.unit_price, per_kit.get(key, {}), events, int(b.decimals),
                                        weights=weights.get(key)):
            if start <= event.moment < end:
                _add(refunds if event.returned else sales, (b.category, event.location_id), amount * b.exchange_rate)
    return sales, refunds
