"""The commands of sales orders: what creating, changing, allocating, re-routing and
cancelling an order ask for (see domain/commands.py).

Numbers and dates arrive typed: the edge (API models, CLI options) reads text with
`parse_order_line`, `parse_decimal` and `parse_date`, naming the field. What needs the
database (a SKU's unit, the company's currency) is checked by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from onhand.domain.commands import as_tuple
from onhand.domain.quantities import parse_decimal


@dataclass(frozen=True)
class NewOrderLine:
    sku: str
    quantity: Decimal
    unit_price: Decimal = Decimal(0)
    lot: str | None = None  # a lot the customer asked for
    location: str | None = None  # ship this line from here, whatever routing says


def parse_order_line(
    field_name: str, *, sku: str, quantity: object, unit_price: object = "0",
    lot: str | None = None, location: str | None = None,
) -> NewOrderLine:
    """A line from text or JSON numbers; an error names `<field_name>.quantity` or `.unit_price`."""
    return NewOrderLine(
        sku=sku, quantity=parse_decimal(quantity, f"{field_name}.quantity"),
        unit_price=parse_decimal(unit_price, f"{field_name}.unit_price"), lot=lot, location=location,
    )


@dataclass(frozen=True)
class Address:
    """Where an order goes; every part optional."""

    name: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class CreateOrder:
    """A new order; in a currency other than the company's it needs `exchange_rate`
    (company currency per unit of the order's). Without a reference it is numbered."""

    lines: tuple[NewOrderLine, ...]
    reference: str | None = None
    channel: str = "manual"
    external_id: str | None = None
    customer: str | None = None  # a customer's code or name (a new name makes a customer)
    customer_email: str | None = None
    customer_external_id: str | None = None  # the customer's id in the channel
    ship_to: Address | None = None
    currency: str | None = None
    exchange_rate: Decimal | None = None
    requested_ship_date: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class UpdateOrder:
    """Change an order that has shipped nothing: what is given replaces what it had
    (`lines` all of its lines); None leaves a field as it is."""

    reference: str
    lines: tuple[NewOrderLine, ...] | None = None
    customer: str | None = None
    ship_to: Address | None = None
    requested_ship_date: date | None = None
    exchange_rate: Decimal | None = None

    def __post_init__(self) -> None:
        if self.lines is not None:
            object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class OrderAction:
    """An action on a whole order (allocate, cancel)."""

    reference: str


@dataclass(frozen=True)
class ShipLineFrom:
    """Ship one line from a chosen location."""

    reference: str
    line_no: int
    location: str
