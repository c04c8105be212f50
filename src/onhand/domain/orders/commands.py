"""The commands of sales orders: what creating, changing, allocating, re-routing and
cancelling an order ask for (see domain/commands.py).

Numbers and dates arrive typed: the edge (API models, CLI options) reads text with
`parse_order_line`, `parse_decimal` and `parse_date`, naming the field. What needs the
database (a SKU's unit, the company's currency) is checked by the service.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from onhand.domain.commands import ADDED_LATER, as_tuple
from onhand.domain.orders.customers import CustomerAddress
from onhand.domain.orders.views import ShipTo
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


# Where an order goes (every part optional): given in the shape the order shows it in.
Address = ShipTo


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
    # Allocated in the same transaction (what stock there is reserved, the rest backordered):
    # one call instead of two for an integration, and a channel's import.
    allocate: bool = dataclasses.field(default=False, metadata=ADDED_LATER)

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


# Fulfilment: picking, packing, shipping and customer returns.


@dataclass(frozen=True)
class PickConfirmation:
    sku: str | None  # may be left out when `barcode` names the item
    location: str
    quantity: Decimal | None  # None: the scanned count, else 1 (with a barcode)
    lot: str | None = None  # the lot or serial actually picked
    barcode: str | None = None  # a scanned GTIN or GS1 element string: item, lot or serial, count


@dataclass(frozen=True)
class ConfirmPick:
    """What was actually picked for order `reference`."""

    reference: str
    picks: tuple[PickConfirmation, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "picks", as_tuple(self.picks))


@dataclass(frozen=True)
class PackageSpec:
    contents: tuple[tuple[int, Decimal], ...]  # (line number, quantity)
    carrier: str | None = None
    tracking_number: str | None = None
    weight_kg: Decimal | None = None
    dimensions_cm: tuple[Decimal, ...] = ()  # length, width, height

    def __post_init__(self) -> None:
        contents = self.contents
        if isinstance(contents, list | tuple):
            contents = tuple(tuple(part) if isinstance(part, list) else part for part in contents)
        object.__setattr__(self, "contents", contents)
        object.__setattr__(self, "dimensions_cm", as_tuple(self.dimensions_cm))


@dataclass(frozen=True)
class PackOrder:
    """Put picked goods of order `reference` into packages."""

    reference: str
    packages: tuple[PackageSpec, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "packages", as_tuple(self.packages))


@dataclass(frozen=True)
class ShipLine:
    line_no: int
    quantity: Decimal
    # Serial-tracked lines: the serials that leave, confirming them (each reserved for the line).
    serials: tuple[str, ...] = dataclasses.field(default=(), metadata=ADDED_LATER)

    def __post_init__(self) -> None:
        object.__setattr__(self, "serials", as_tuple(self.serials))


@dataclass(frozen=True)
class ShipOrder:
    """Ship from the order's reservations; without lines, what is packed, else picked, else reserved."""

    reference: str
    lines: tuple[ShipLine, ...] | None = None

    def __post_init__(self) -> None:
        if self.lines is not None:
            object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class ReturnLine:
    line_no: int
    quantity: Decimal
    reason: str = "customer_return"
    condition: str = "new"  # new, opened, damaged
    lot: str | None = None
    refund_unit_price: Decimal | None = None  # order currency per unit; None: the default


@dataclass(frozen=True)
class ReceiveReturn:
    """Goods of order `reference` come back from the customer to `location`."""

    reference: str
    location: str
    lines: tuple[ReturnLine, ...]
    return_reference: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


def given_decimal(value: object, field: str) -> Decimal | None:
    """A decimal that may be left out (None); given, it must be a number."""
    return None if value is None else parse_decimal(value, field)


def parse_pick(
    field: str, *, location: str, sku: str | None = None, quantity: object = None, lot: str | None = None,
    barcode: str | None = None,
) -> PickConfirmation:
    return PickConfirmation(sku=sku, location=location, quantity=given_decimal(quantity, f"{field}.quantity"),
                            lot=lot, barcode=barcode)


def parse_package(
    field: str, *, contents: list[tuple[int, object]] | tuple[tuple[int, object], ...], carrier: str | None = None,
    tracking_number: str | None = None, weight_kg: object = None, dimensions_cm: tuple[object, ...] | list[object] = (),
) -> PackageSpec:
    return PackageSpec(
        contents=tuple((line_no, parse_decimal(quantity, f"{field}.contents[{index}].quantity"))
                       for index, (line_no, quantity) in enumerate(contents)),
        carrier=carrier, tracking_number=tracking_number, weight_kg=given_decimal(weight_kg, f"{field}.weight_kg"),
        dimensions_cm=tuple(parse_decimal(size, f"{field}.dimensions_cm") for size in dimensions_cm),
    )


def parse_ship_line(field: str, *, line_no: int, quantity: object, serials: Sequence[str] = ()) -> ShipLine:
    return ShipLine(line_no=line_no, quantity=parse_decimal(quantity, f"{field}.quantity"), serials=tuple(serials))


def parse_customer_return_line(
    field: str, *, line_no: int, quantity: object, reason: str = "customer_return", condition: str = "new",
    lot: str | None = None, refund_unit_price: object = None,
) -> ReturnLine:
    return ReturnLine(
        line_no=line_no, quantity=parse_decimal(quantity, f"{field}.quantity"), reason=reason, condition=condition,
        lot=lot, refund_unit_price=given_decimal(refund_unit_price, f"{field}.refund_unit_price"),
    )


# Customers: records of their own, also made inline by an order (services/orders/customers.py).


@dataclass(frozen=True)
class CreateCustomer:
    """A new customer; `channel_ids` are (channel, the customer's id there) pairs. Without
    a code it is numbered (C-000123). The service cleans and checks every field."""

    name: str
    code: str | None = None
    email: str | None = None
    phone: str | None = None
    addresses: tuple[CustomerAddress, ...] = ()
    channel_ids: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "addresses", as_tuple(self.addresses))
        object.__setattr__(self, "channel_ids", _pairs(self.channel_ids))


@dataclass(frozen=True)
class UpdateCustomer:
    """Change customer `code`: what is given replaces what it had (`email=""` clears it,
    `addresses` replace all); None leaves a field as it is; `channel_ids` are added."""

    code: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    addresses: tuple[CustomerAddress, ...] | None = None
    channel_ids: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.addresses is not None:
            object.__setattr__(self, "addresses", as_tuple(self.addresses))
        object.__setattr__(self, "channel_ids", _pairs(self.channel_ids))


def _pairs(pairs: object) -> tuple[tuple[str, str], ...]:
    """(channel, external id) pairs as a tuple of tuples (callers may hand in lists)."""
    if not isinstance(pairs, list | tuple):
        return pairs  # type: ignore[return-value]  # the service names the field
    return tuple(tuple(pair) if isinstance(pair, list) else pair for pair in pairs)
