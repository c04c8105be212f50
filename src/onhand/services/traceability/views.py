"""Read models of traces, recall reports and recalls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class LotRef:
    sku: str
    lot: str


@dataclass(frozen=True)
class Holding:
    """How much of a traced (named) lot a quantity of another lot holds."""

    sku: str
    lot: str
    quantity: Decimal


@dataclass(frozen=True)
class TracedLot:
    sku: str
    item_name: str
    unit: str
    lot: str
    status: str
    expiry_date: date | None
    supplier_lot: str | None
    # 0: a lot the trace started from; n: built from one n build levels away.
    depth: int
    # Of each lot the trace started from, what one unit of this lot holds.
    holds: tuple[Holding, ...]


@dataclass(frozen=True)
class BuildLink:
    """`quantity` of `component_sku`/`component_lot` went into `sku`/`lot` (lot None: untracked)."""

    sku: str
    lot: str
    component_sku: str
    component_lot: str | None
    quantity: Decimal


@dataclass(frozen=True)
class Address:
    name: str | None
    line1: str | None
    line2: str | None
    city: str | None
    region: str | None
    postcode: str | None
    country: str | None


@dataclass(frozen=True)
class Delivery:
    """A shipment of a traced lot to a customer (kind `shipment`), or a customer's return
    of it (kind `return`)."""

    kind: str
    at: datetime
    document: str  # the shipment's id, or the return's reference
    order: str
    line_no: int
    channel: str
    customer_code: str | None
    customer: str | None
    email: str | None
    ship_to: Address
    sku: str
    lot: str
    location: str
    quantity: Decimal
    holds: tuple[Holding, ...]


@dataclass(frozen=True)
class Receipt:
    at: datetime
    receipt: str
    delivery_reference: str | None
    purchase_order: str
    supplier_reference: str | None
    supplier_code: str
    supplier: str
    sku: str
    lot: str
    supplier_lot: str | None
    location: str
    quantity: Decimal


@dataclass(frozen=True)
class SupplierReturn:
    at: datetime
    reference: str
    purchase_order: str
    supplier_code: str
    supplier: str
    sku: str
    lot: str
    location: str
    quantity: Decimal


@dataclass(frozen=True)
class Movement:
    posting_id: int
    kind: str
    reference: str | None
    at: datetime
    sku: str
    lot: str
    source: str
    destination: str
    quantity: Decimal


@dataclass(frozen=True)
class StockHeld:
    """Stock of a traced lot at an internal location (a transit place: on the road)."""

    sku: str
    lot: str
    depth: int
    location: str
    location_kind: str
    in_transit: bool
    on_hand: Decimal
    reserved: Decimal
    holds: tuple[Holding, ...]


@dataclass(frozen=True)
class LotAccount:
    """Where every unit of one traced lot went: `received` (from suppliers) and `found`
    (adjustments, opening stock) equal `with_customers` + `on_hand` + `in_transit` +
    `consumed` (into builds) + `scrapped` + `lost` + `returned_to_supplier`. `consumed` is
    then followed into the products: `inside_products_*` is how much of this lot the
    products hold with customers, on hand or in transit, scrapped or lost."""

    sku: str
    lot: str
    received: Decimal
    found: Decimal
    with_customers: Decimal
    on_hand: Decimal
    in_transit: Decimal
    consumed: Decimal
    scrapped: Decimal
    lost: Decimal
    returned_to_supplier: Decimal
    inside_products_with_customers: Decimal
    inside_products_on_hand: Decimal
    inside_products_in_transit: Decimal
    inside_products_scrapped: Decimal


@dataclass(frozen=True)
class ForwardTrace:
    """Everything that happened to the traced lots and to every lot built from them."""

    origins: tuple[LotRef, ...]
    lots: tuple[TracedLot, ...]
    builds: tuple[BuildLink, ...]
    movements: tuple[Movement, ...]
    deliveries: tuple[Delivery, ...]
    supplier_returns: tuple[SupplierReturn, ...]
    stock: tuple[StockHeld, ...]
    accounts: tuple[LotAccount, ...]


@dataclass(frozen=True)
class BackwardTrace:
    """Where the traced lots came from: the lots they were built from, every level down,
    and the receipts (purchase orders, suppliers, the supplier's batch) of all of them."""

    start: str  # what was traced: "lot TEA/B123", "order SO-000012", …
    lots: tuple[TracedLot, ...]
    builds: tuple[BuildLink, ...]
    receipts: tuple[Receipt, ...]


@dataclass(frozen=True)
class CustomerExposure:
    """How much of a recalled lot one customer holds (shipped less returned), directly
    or inside products built from it."""

    customer_code: str | None
    customer: str | None
    email: str | None
    orders: tuple[str, ...]
    sku: str
    lot: str
    direct: Decimal
    inside_products: Decimal
    total: Decimal
    first_shipped: datetime
    last_shipped: datetime


@dataclass(frozen=True)
class RecallReport:
    origins: tuple[LotRef, ...]
    customers: tuple[CustomerExposure, ...]
    trace: ForwardTrace


@dataclass(frozen=True)
class RecalledLot:
    sku: str
    lot: str
    depth: int
    previous_status: str
    status: str


@dataclass(frozen=True)
class ShortLine:
    order: str
    line_no: int
    sku: str
    backordered: Decimal


@dataclass(frozen=True)
class RecallView:
    reference: str
    status: str  # recalled or quarantined
    note: str | None
    created_at: datetime
    released_at: datetime | None
    quarantine_location: str | None
    quarantine_posting_id: int | None
    release_posting_id: int | None
    lots: tuple[RecalledLot, ...]
    # Lines of the orders that had stock of these lots promised and are now short of it.
    short: tuple[ShortLine, ...] = ()
