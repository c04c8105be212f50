"""Amazon orders as Onhand reads them, and what each status asks of Onhand.

An order arrives from getOrders/getOrderItems (SP-API Orders v0) or from the flat-file
order report; the adapters turn either into these records. `ItemPrice` is the line's
total (price × quantity), so the unit price is divided out here, in Decimal. Imports only
the standard library and the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from onhand.domain.errors import InvalidInput
from onhand.domain.money import MONEY_STEP

# The fulfillment_channel_code of merchant-fulfilled stock; FBA codes start with AMAZON_
# (AMAZON_NA, AMAZON_EU, ...). A location mapping names which one an Onhand location feeds.
MERCHANT_CODE = "DEFAULT"
FBA_PREFIX = "AMAZON_"
MAX_QUANTITY = Decimal(10**9)


class Fulfilment(StrEnum):
    MERCHANT = "MFN"
    AMAZON = "AFN"


class Action(StrEnum):
    RESERVE = "reserve"  # import (once) and allocate
    RELEASE = "release"  # cancel the imported order, releasing what it holds
    SHIP_FROM_FBA = "ship_from_fba"  # import (once), reserve at the FBA location and ship
    NOTHING = "nothing"


# Pending is reserved too: what Amazon has taken must not be sold twice meanwhile.
_OPEN = frozenset({"Pending", "Unshipped", "PartiallyShipped", "PendingAvailability", "InvoiceUnconfirmed"})


@dataclass(frozen=True)
class AmazonOrderLine:
    order_item_id: str
    seller_sku: str | None
    asin: str | None
    quantity: Decimal
    item_price: Decimal | None  # the line total; None while the order is Pending

    @property
    def unit_price(self) -> Decimal:
        return unit_price(self.item_price, self.quantity)


@dataclass(frozen=True)
class AmazonOrder:
    amazon_order_id: str
    status: str  # OrderStatus as Amazon spells it (Canceled: one l)
    fulfilment: Fulfilment
    last_update: str  # LastUpdateDate, ISO 8601 as sent
    currency: str | None
    lines: tuple[AmazonOrderLine, ...] = ()
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class OrdersPage:
    """One page of getOrders: orders without their lines, and where to go on."""

    orders: tuple[AmazonOrder, ...]
    next_token: str | None
    last_updated_before: str | None


def unit_price(item_price: Decimal | None, quantity: Decimal) -> Decimal:
    """ItemPrice is price × quantity: the unit price is the quotient, to Onhand's 6 decimals
    (exact whenever the shop's price was; a split like 10.00 / 3 rounds half-even)."""
    if item_price is None or quantity <= 0:
        return Decimal(0)
    return (item_price / quantity).quantize(MONEY_STEP, rounding=ROUND_HALF_EVEN)


def action_for(order: AmazonOrder) -> Action:
    if order.status == "Canceled":
        return Action.RELEASE
    if order.fulfilment is Fulfilment.AMAZON:
        if order.status == "Shipped":
            return Action.SHIP_FROM_FBA
        return Action.RESERVE if order.status in _OPEN else Action.NOTHING
    # A merchant order Amazon calls Shipped was shipped by Onhand itself.
    return Action.RESERVE if order.status in _OPEN else Action.NOTHING


def fulfilment(text: object, field: str = "FulfillmentChannel") -> Fulfilment:
    value = {"Amazon": "AFN", "Merchant": "MFN"}.get(str(text), str(text))  # report spellings
    try:
        return Fulfilment(value)
    except ValueError:
        raise InvalidInput(field, "must be AFN or MFN (Amazon or Merchant)") from None


def is_fba_code(external_location_id: str) -> bool:
    return external_location_id.startswith(FBA_PREFIX)


def pushed_quantity(available: Decimal) -> int:
    """Amazon takes whole units: what is available, rounded down, never below zero."""
    return max(0, min(int(available), int(MAX_QUANTITY)))


@dataclass(frozen=True)
class ChannelConnection:
    """What an adapter needs to reach a channel: its name, base URL and where its secrets
    are (a reference, never a secret)."""

    name: str
    endpoint: str | None
    credentials: str
