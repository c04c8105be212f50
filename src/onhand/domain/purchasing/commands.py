"""The commands of purchasing: suppliers and their prices, purchase orders, receipts,
landed costs and returns to supplier (see domain/commands.py).

Numbers, dates and moments arrive typed: the edge (API models, CLI options) reads text
with `parse_decimal`, `optional_decimal`, `parse_date` and `read_moment`, naming
the field. What needs the database (an item's unit, a supplier's currency, the
company's time zone for a moment without an offset) is checked by the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from onhand.domain.calendar import parse_date
from onhand.domain.commands import as_tuple
from onhand.domain.quantities import parse_decimal


@dataclass(frozen=True)
class CreateSupplier:
    code: str
    name: str
    currency: str | None = None  # default: the company's
    lead_time_days: int = 0
    email: str | None = None
    phone: str | None = None
    over_receipt_tolerance_pct: Decimal | None = None  # None: the company's tolerance applies


@dataclass(frozen=True)
class UpdateSupplier:
    """What is given replaces what the supplier had; None leaves a field as it is and ""
    clears email, phone and the tolerance override."""

    code: str
    name: str | None = None
    currency: str | None = None
    lead_time_days: int | None = None
    email: str | None = None
    phone: str | None = None
    over_receipt_tolerance_pct: Decimal | str | None = None  # "" clears the override


@dataclass(frozen=True)
class SetSupplierPrice:
    """What `supplier` charges for one unit of `sku`, in the supplier's currency."""

    supplier: str
    sku: str
    unit_cost: Decimal
    supplier_sku: str | None = None
    min_order_quantity: Decimal | None = None
    pack_size: Decimal | None = None


@dataclass(frozen=True)
class NewPurchaseLine:
    sku: str
    quantity: Decimal
    # In the order's currency; None takes the supplier's price (same currency only).
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class CreatePurchaseOrder:
    """A draft purchase order; without an expected date, today plus the supplier's lead time.
    The same supplier and `supplier_reference` again return the order already made."""

    supplier: str
    lines: tuple[NewPurchaseLine, ...]
    destination: str
    reference: str | None = None
    supplier_reference: str | None = None
    currency: str | None = None
    expected_date: date | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class UpdatePurchaseOrder:
    """Lines, destination and currency change only while draft (`lines` replace all);
    None leaves a field as it is."""

    reference: str
    lines: tuple[NewPurchaseLine, ...] | None = None
    destination: str | None = None
    currency: str | None = None
    supplier_reference: str | None = None
    expected_date: date | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.lines is not None:
            object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class PurchaseOrderAction:
    """An action on a whole purchase order (place, close, cancel)."""

    reference: str


@dataclass(frozen=True)
class NewLandedCost:
    kind: str  # freight, duty, insurance, other
    amount: Decimal
    # Default: the receipt's currency (and then its exchange rate).
    currency: str | None = None
    # Company currency per unit of `currency`; needed unless it is the company's or the receipt's.
    exchange_rate: Decimal | None = None
    method: str = "value"  # value, quantity, weight
    reference: str | None = None  # the invoice it came on


@dataclass(frozen=True)
class ReceiptLine:
    """What arrived for one order line: typed (`line_no`) or scanned (`barcode`), or both."""

    line_no: int | None = None
    quantity: Decimal | None = None  # default: the serials, the scanned count, or 1 when scanned
    lot: str | None = None  # lot-tracked items
    expiry_date: date | None = None
    production_date: date | None = None
    serials: tuple[str, ...] = field(default_factory=tuple)  # serial-tracked items, one unit each
    location: str | None = None  # a bin in the order's destination (default: the receipt's location)
    barcode: str | None = None  # GTIN or GS1 element string: item, lot, expiry, serial, count
    # The supplier's invoiced cost of one unit, in the order's currency (default: the order's);
    # where a difference goes: domain/valuation/price_differences.py.
    unit_cost: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "serials", as_tuple(self.serials))


@dataclass(frozen=True)
class ReceivePurchaseOrder:
    """Post what arrived against purchase order `reference`, all lines or none.

    `effective_at` is a moment (naive: read in the company's time zone by the service)
    or a date (its start); None is now."""

    reference: str
    lines: tuple[ReceiptLine, ...]
    location: str | None = None
    exchange_rate: Decimal | None = None
    delivery_reference: str | None = None
    receipt_reference: str | None = None
    landed_costs: tuple[NewLandedCost, ...] = ()
    effective_at: datetime | date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))
        object.__setattr__(self, "landed_costs", as_tuple(self.landed_costs))


@dataclass(frozen=True)
class AddLandedCosts:
    """Landed costs of a receipt already posted (a freight or duty invoice came later)."""

    receipt: str
    costs: tuple[NewLandedCost, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "costs", as_tuple(self.costs))


@dataclass(frozen=True)
class SupplierReturnLine:
    """Units of one order line to send back; from a given lot or place, else wherever it was received."""

    line_no: int
    quantity: Decimal
    lot: str | None = None  # lot or serial code, as received
    location: str | None = None  # the location (or bin) it was received at


@dataclass(frozen=True)
class ReturnToSupplier:
    """Send received units of purchase order `reference` back to its supplier."""

    reference: str
    lines: tuple[SupplierReturnLine, ...]
    authorisation: str | None = None
    note: str | None = None
    return_reference: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


# Reading text at the edge: each error names its field as the service would.


def given_decimal(value: object, field: str) -> Decimal | None:
    """A decimal that may be left out (None); given, it must be a number (blank text is refused)."""
    return None if value is None else parse_decimal(value, field)


def parse_tolerance(value: object, field: str = "over_receipt_tolerance_pct") -> Decimal | str | None:
    """A tolerance override in percent, or "" (blank) to clear it."""
    if isinstance(value, str) and not value.strip():
        return ""
    return given_decimal(value, field)


def parse_purchase_line(field: str, *, sku: str, quantity: object, unit_cost: object = None) -> NewPurchaseLine:
    return NewPurchaseLine(sku=sku, quantity=parse_decimal(quantity, f"{field}.quantity"),
                           unit_cost=given_decimal(unit_cost, f"{field}.unit_cost"))


def parse_receipt_line(
    field: str, *, line_no: int | None = None, quantity: object = None, lot: str | None = None,
    expiry_date: date | str | None = None, production_date: date | str | None = None,
    serials: tuple[str, ...] | list[str] = (), location: str | None = None, barcode: str | None = None,
    unit_cost: object = None,
) -> ReceiptLine:
    return ReceiptLine(
        line_no=line_no, quantity=given_decimal(quantity, f"{field}.quantity"), lot=lot,
        expiry_date=parse_date(expiry_date, f"{field}.expiry_date"),
        production_date=parse_date(production_date, f"{field}.production_date"),
        serials=tuple(serials), location=location, barcode=barcode,
        unit_cost=given_decimal(unit_cost, f"{field}.unit_cost"),
    )


def parse_landed_cost(
    field: str, *, kind: str, amount: object, currency: str | None = None, exchange_rate: object = None,
    method: str = "value", reference: str | None = None,
) -> NewLandedCost:
    return NewLandedCost(
        kind=kind, amount=parse_decimal(amount, f"{field}.amount"), currency=currency,
        exchange_rate=given_decimal(exchange_rate, f"{field}.exchange_rate"), method=method, reference=reference,
    )


def parse_supplier_return_line(
    field: str, *, line_no: int, quantity: object, lot: str | None = None, location: str | None = None
) -> SupplierReturnLine:
    return SupplierReturnLine(line_no=line_no, quantity=parse_decimal(quantity, f"{field}.quantity"), lot=lot,
                              location=location)


@dataclass(frozen=True)
class ShipPurchaseOrder:
    """The supplier shipped goods of purchase order `reference` (an advance shipping
    notice): they are received into transit location `transit` (default: the company's
    only one) and travel there until received at the order's destination. Lines are
    `ReceiptLine`s without a location."""

    reference: str
    lines: tuple[ReceiptLine, ...]
    transit: str | None = None
    container: str | None = None
    vessel: str | None = None
    carrier: str | None = None
    tracking: str | None = None
    eta: date | None = None  # default: the order's expected date
    exchange_rate: Decimal | None = None
    shipment_reference: str | None = None
    landed_costs: tuple[NewLandedCost, ...] = ()
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))
        object.__setattr__(self, "landed_costs", as_tuple(self.landed_costs))


@dataclass(frozen=True)
class ShipmentMoveLine:
    """Part of one shipment line: the order's `line_no`, the lot when several travel, and
    (receiving) a bin inside the order's destination."""

    line_no: int
    quantity: Decimal
    lot: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class ReceiveSupplierShipment:
    """Goods of supplier shipment `reference` arrived at the order's destination (or
    `location`, a bin inside it). Without lines: everything still in transit."""

    reference: str
    lines: tuple[ShipmentMoveLine, ...] = ()
    location: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class WriteOffSupplierShipment:
    """What of supplier shipment `reference` will never arrive leaves transit as a loss.
    Without lines: everything still in transit."""

    reference: str
    lines: tuple[ShipmentMoveLine, ...] = ()
    reason: str | None = None  # default: lost_in_transit
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class UpdateSupplierShipment:
    """The carrier's news: a new ETA, vessel, tracking number or note (None: unchanged)."""

    reference: str
    eta: date | None = None
    container: str | None = None
    vessel: str | None = None
    carrier: str | None = None
    tracking: str | None = None
    note: str | None = None
