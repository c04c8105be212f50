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
effective; at the same moment shipments first, then by id), the kits the customer holds
are the whole bundles every component has *net* (shipped − returned):
`floor(min((shipped − returned) / per_kit))`. A shipment recognizes (kits after − kits
before) × the bundle's price, a return reverses (kits before − kits after) × price:
the kits it broke. The amounts telescope, so the net revenue of a bundle line is
exactly the kits the customer holds × price. A return whose components all carry a
refund price reverses Σ quantity × refund price instead (0: nothing); a return mixing
the two for one bundle is refused by the service.

Imports only the standard library and the domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from onhand.domain.errors import InvalidInput
from onhand.domain.purchasing.purchase_orders import validate_exchange_rate, validate_money

ZERO = Decimal(0)
ONE = Decimal(1)


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
    unit_price: Decimal, per_kit: Mapping[int, Decimal], events: Iterable[KitEvent], decimals: int = 0
) -> list[tuple[KitEvent, Decimal]]:
    """The revenue each event recognizes (a shipment, ≥ 0) or reverses (a return, ≥ 0),
    in the order's currency, for one bundle line (see the module's docstring)."""
    step = ONE.scaleb(-decimals)
    net = dict.fromkeys(per_kit, ZERO)
    found = []
    before = ZERO
    for event in sorted(events, key=lambda e: (e.moment, e.returned, e.event_id)):
        sign = -1 if event.returned else 1
        for line_no, quantity in event.quantities.items():
            if line_no in net:
                net[line_no] += sign * quantity
        kits = (min(net[n] / per_kit[n] for n in per_kit).quantize(step, rounding=ROUND_FLOOR)
                if per_kit else ZERO)
        kits = max(kits, ZERO)
        if event.returned:
            amount = event.refund if event.refund is not None else (before - kits) * unit_price
        else:
            amount = (kits - before) * unit_price
        if amount:
            found.append((event, amount))
        before = kits
    return found
