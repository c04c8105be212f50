"""Sales revenue in the company's currency: an order's exchange rate, refunds of returns,
and the revenue of bundle lines as their components ship and come back.

A sales order in another currency carries an **exchange rate**: units of company
currency for one unit of the order's currency (as a purchase receipt does). Revenue is
price × quantity × rate, exact; only the journal rounds.

A customer return reverses revenue: by default the returned quantity × the line's
price, or × its **refund unit price** when one was given (a partial refund, a restocking
fee; 0 = no refund), in the order's currency, × the order's rate.

Bundles (`kit_events`): a bundle's price is on its own line; its components ship and
come back on theirs. After every shipment and return (in the order they are
effective; at the same moment shipments first, then by id):

- the kits **shipped** are the whole bundles every component has shipped:
  `k = floor(min(shipped / per_kit))`; a shipment recognizes what they add, so the
  revenue of shipments is always the kits shipped × price;
- each component holds its **share** of the price (`weights`: its cost per kit — the
  value its shipments carried per unit × per_kit — over the kit's; equal shares when
  the kit's cost is unknown or zero), and the revenue the customer holds is
  `price × Σ share × min(net, k × per_kit) / per_kit` (net = shipped − returned);
- so a return reverses **the share of the components it brought back**: one bag of a
  mug-and-two-bags kit reverses half the bags' share, not the kit's price; units
  beyond the kits shipped (a component sent ahead of the rest) carry nothing.

The amounts telescope: the net revenue of a bundle line is exactly the revenue held
(kept to 10^-12: a share that does not divide evenly is rounded there, far below a
cent), and a kit wholly returned reverses exactly its price. A return whose components all
carry a refund price reverses Σ quantity × refund price instead (0: nothing); a return
mixing the two for one bundle is refused by the service.

Imports only the standard library and the domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal, localcontext

from onhand.domain.errors import InvalidInput
from onhand.domain.purchasing.purchase_orders import validate_exchange_rate, validate_money

ZERO = Decimal(0)
ONE = Decimal(1)
HELD_STEP = Decimal("1e-12")  # the revenue a bundle line holds is kept to this (far below a cent)


def order_exchange_rate(given: object, currency: str, company_currency: str) -> Decimal:
    """The rate an order is booked at: required (> 0) for a foreign currency; for the
    company's own currency it may be omitted or 1, anything else is refused (a silent
    "ignored" rate would hide a mistake)."""
    if given is None or given == "":
        if currency != company_currency:
            raise InvalidInput(
                "exchange_rate", f"required: the order is in {currency}, the company in {company_currency}"
            )
        return ONE
    rate = validate_exchange_rate(given)
    if currency == company_currency and rate != ONE:
        raise InvalidInput("exchange_rate", f"must be 1: the order is in the company's currency {currency}")
    return rate


def validate_refund_unit_price(value: object, field: str = "refund_unit_price") -> Decimal:
    """What was refunded per returned unit, in the order's currency: ≥ 0, at most 6 decimals."""
    return validate_money(value, field)


@dataclass(frozen=True, slots=True)
class KitEvent:
    """One shipment (`returned` False) or return of a bundle line's components.

    `quantities`: per component line number; `refund`: for a return whose components
    all carry a refund price, Σ quantity × refund price (order currency), else None.
    """

    moment: datetime
    event_id: int
    location_id: int
    quantities: Mapping[int, Decimal]
    returned: bool = False
    refund: Decimal | None = None


def kit_events(
    unit_price: Decimal, per_kit: Mapping[int, Decimal], events: Iterable[KitEvent], decimals: int = 0,
    weights: Mapping[int, Decimal] | None = None,
) -> list[tuple[KitEvent, Decimal]]:
    """The revenue each event recognizes (a shipment, ≥ 0) or reverses (a return, ≥ 0),
    in the order's currency, for one bundle line (see the module's docstring).

    `weights`: per component line, its cost per kit (any scale: only the ratios count);
    missing, or all zero, gives every component line an equal share."""
    step = ONE.scaleb(-decimals)
    share = {n: max((weights or {}).get(n, ZERO), ZERO) for n in per_kit}
    if not any(share.values()):
        share = dict.fromkeys(per_kit, ONE)
    whole = sum(share.values(), ZERO)
    shipped = dict.fromkeys(per_kit, ZERO)
    net = dict.fromkeys(per_kit, ZERO)
    found = []
    before = ZERO
    with localcontext() as exact:
        exact.prec = 60
        for event in sorted(events, key=lambda e: (e.moment, e.returned, e.event_id)):
            sign = -1 if event.returned else 1
            for line_no, quantity in event.quantities.items():
                if line_no in net:
                    net[line_no] += sign * quantity
                    if not event.returned:
                        shipped[line_no] += quantity
            kits = (min(shipped[n] / per_kit[n] for n in per_kit).quantize(step, rounding=ROUND_FLOOR)
                    if per_kit else ZERO)
            kits = max(kits, ZERO)
            # Division last: a kit held whole is exactly its price, whatever the shares; held to
            # 10^-12, so every amount is an exact decimal the journal can sum (money ≤ 10^12).
            held = (unit_price * sum(
                (share[n] * min(max(net[n], ZERO), kits * per_kit[n]) / per_kit[n] for n in per_kit), ZERO
            ) / whole).quantize(HELD_STEP) if per_kit else ZERO
            refund = event.refund if event.returned else None
            amount = refund if refund is not None else (before - held if event.returned else held - before)
            if amount:
                found.append((event, +amount))
            before = held
    return found


@dataclass(frozen=True, slots=True)
class KitShipment:
    """What one shipment shipped of a bundle line's components: quantity per component line."""

    moment: datetime
    shipment_id: int
    location_id: int
    quantities: Mapping[int, Decimal]


def kit_revenue(
    unit_price: Decimal, per_kit: Mapping[int, Decimal], shipments: Iterable[KitShipment], decimals: int = 0
) -> list[tuple[KitShipment, Decimal]]:
    """The revenue of a bundle line each shipment recognizes: the kits it completed × price.

    A bundle's price is on its own line, which never ships; its components ship on their
    lines (`per_kit` of each per bundle). After each shipment (in the order they were
    effective), the kits shipped so far are the whole bundles every component has
    shipped (`kit_progress`); a shipment recognizes (kits after it − kits before it) ×
    the bundle's unit price. The amounts telescope: whatever the partial shipments, their
    sum is exactly the kits shipped × the price, and each is booked once. (With returns
    too: `sales_revenue.kit_events`.)
    """
    given = list(shipments)
    by_id = {s.shipment_id: s for s in given}
    events = [KitEvent(s.moment, s.shipment_id, s.location_id, s.quantities) for s in given]
    return [(by_id[event.event_id], amount) for event, amount in kit_events(unit_price, per_kit, events, decimals)]
