"""Demo data: a small product business to explore Onhand with (`onhand demo`).

Acme Goods sells mugs, shirts, food and cosmetics from a New York warehouse (with bins
and a quarantine bin), a Los Angeles store and a Reno 3PL, with a container on the
ocean. It shows the article's example: MUG-12OZ has 100 on hand (20 in New York, 30 in
Los Angeles, 50 on the ocean) but only 50 available to ship now.

Everything is written through the other service functions, as a user would; dates are
relative to today, so one lot is always expired and others are always near expiry.
The 50 on the ocean are a supplier shipment: the pottery shipped a purchase order for the
LA store in container MSCU-4471 (an advance shipping notice, received into the transit
location OCEAN-1 with its freight), due in three weeks. A truck carries 12 totes from the
Reno 3PL to the LA store (a transfer order through TRUCK-1, shipped); 48 jars of honey are
on order from a supplier (a placed purchase order to receive by scanning in the web app).
Loading is skipped when the database already has items.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from onhand.domain.access.commands import AddUser, ResetPassword
from onhand.domain.actors import SYSTEM
from onhand.domain.calendar import business_day, time_zone
from onhand.domain.catalog.commands import CreateItem, CreateLocation, SetLotStatus, UpdateCompany
from onhand.domain.catalog.gtin import check_digit
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, PostStockCount, StockLine
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    NewLandedCost,
    NewPurchaseLine,
    PurchaseOrderAction,
    ReceiptLine,
    ShipPurchaseOrder,
)
from onhand.domain.purchasing.views import SupplierShipmentView
from onhand.domain.transfers.commands import CreateTransfer, SetTransferRoute, ShipTransfer
from onhand.services.access import users
from onhand.services.catalog import company, items, locations, lots
from onhand.services.context import ServiceContext
from onhand.services.ledger import adjustments, counts, postings, relocations
from onhand.services.purchasing import purchase_orders, supplier_shipments, suppliers
from onhand.services.tools import imports
from onhand.services.transfers import routes as transfer_routes
from onhand.services.transfers import transfer_orders as transfers
from onhand.services.transfers import transit
from onhand.services.views import PostingView, UserView

DEMO_EMAIL = "demo@example.com"

# The article's SKU: 20 in New York, 30 in Los Angeles, 50 in transit.
EXAMPLE_SKU = "MUG-12OZ"
# GS1's example company prefix, so demo barcodes are valid but belong to nobody real.
GS1_PREFIX = "0614141"
DEMO_REFERENCE = "DEMO"
# The mugs' container: from the pottery to the LA store, three weeks on the ocean.
CONTAINER = {"transit": "OCEAN-1", "container": "MSCU-4471", "vessel": "Maersk Essen", "carrier": "Maersk"}
SEA_DAYS = 21
# Reno to Los Angeles goes by road: two days on a truck.
ROAD_ROUTE = ("RENO-3PL", "LA", "TRUCK-1", 2)


@dataclass(frozen=True)
class DemoSummary:
    """What `load_demo_data` did; `loaded` is False when the database already had items."""

    loaded: bool
    company: str
    locations: int = 0
    items: int = 0
    postings: int = 0
    example_sku: str = EXAMPLE_SKU


def gtin13(item_reference: int) -> str:
    body = f"{GS1_PREFIX}{item_reference:05d}"
    return f"{body}{check_digit(body)}"


def _us(line1: str, city: str, region: str, postcode: str) -> dict[str, str | None]:
    return {"line1": line1, "city": city, "region": region, "postcode": postcode, "country": "US"}


# (code, name, kind, parent, sellable, address)
LOCATIONS: tuple[tuple[str, str, str, str | None, bool, dict[str, str | None]], ...] = (
    ("NY", "New York warehouse", "warehouse", None, True,
     _us("120 Hudson St", "New York", "NY", "10013")),
    ("NY-A-01", "Aisle A, shelf 1", "bin", "NY", True, {}),
    ("NY-A-02", "Aisle A, shelf 2", "bin", "NY", True, {}),
    ("NY-B-01", "Aisle B, shelf 1", "bin", "NY", True, {}),
    ("QUARANTINE", "Quarantine cage", "bin", "NY", False, {}),
    ("LA", "Los Angeles store", "store", None, True,
     _us("800 S Broadway", "Los Angeles", "CA", "90014")),
    ("RENO-3PL", "Reno fulfilment (3PL)", "3pl", None, True,
     _us("4950 Joule St", "Reno", "NV", "89502")),
    ("OCEAN-1", "Container on the ocean", "transit", None, False, {}),
    ("TRUCK-1", "Truck on the road", "transit", None, False, {}),
)

# (sku, name, unit, tracking, shelf life in days)
ITEMS: tuple[tuple[str, str, str, str, int | None], ...] = (
    (EXAMPLE_SKU, "Ceramic mug, 12 oz", "each", "none", None),
    ("TEE-BLK-M", "T-shirt, black, M", "each", "none", None),
    ("TEE-BLK-L", "T-shirt, black, L", "each", "none", None),
    ("TOTE-CANVAS", "Canvas tote bag", "each", "none", None),
    ("GRANOLA-500G", "Granola, 500 g", "each", "lot", 180),
    ("HONEY-350G", "Wildflower honey, 350 g", "each", "lot", 730),
    ("SERUM-30ML", "Face serum, 30 ml", "each", "lot", 365),
    ("LIPBALM-MINT", "Lip balm, mint", "each", "lot", 540),
    ("COFFEE-BEANS", "Coffee beans, bulk", "kg", "lot", 270),
    ("GRINDER-PRO", "Coffee grinder Pro", "each", "serial", None),
)


# What one unit cost, in USD: the opening stock comes in at these (valuation, journals).
UNIT_COSTS = {
    EXAMPLE_SKU: "2.40", "TEE-BLK-M": "4.10", "TEE-BLK-L": "4.10", "TOTE-CANVAS": "3.75",
    "GRANOLA-500G": "1.90", "HONEY-350G": "3.10", "SERUM-30ML": "6.50", "LIPBALM-MINT": "0.80",
    "COFFEE-BEANS": "12.00", "GRINDER-PRO": "85.00",
}


def opening_stock(today: date) -> list[tuple[str, str, str, str, str]]:
    """(location, sku, quantity, lot, expiry) rows of the opening balance."""

    def days(n: int) -> str:
        return (today + timedelta(days=n)).isoformat()

    return [
        ("NY-A-01", EXAMPLE_SKU, "20", "", ""),
        ("LA", EXAMPLE_SKU, "30", "", ""),
        ("NY-A-02", "TEE-BLK-M", "40", "", ""),
        ("LA", "TEE-BLK-M", "15", "", ""),
        ("NY-A-02", "TEE-BLK-L", "35", "", ""),
        ("LA", "TEE-BLK-L", "10", "", ""),
        ("RENO-3PL", "TOTE-CANVAS", "120", "", ""),
        ("LA", "TOTE-CANVAS", "25", "", ""),
        ("NY-B-01", "GRANOLA-500G", "12", "GR-2401", days(-5)),  # expired five days ago
        ("NY-B-01", "GRANOLA-500G", "40", "GR-2402", days(20)),
        ("RENO-3PL", "GRANOLA-500G", "60", "GR-2403", days(150)),
        ("NY-B-01", "HONEY-350G", "30", "HN-101", days(400)),
        ("NY-B-01", "HONEY-350G", "18", "HN-102", days(500)),  # quarantined below
        ("LA", "SERUM-30ML", "25", "SR-2401", days(45)),
        ("RENO-3PL", "SERUM-30ML", "40", "SR-2402", days(300)),
        ("RENO-3PL", "LIPBALM-MINT", "100", "LB-77", days(200)),
        ("NY-B-01", "COFFEE-BEANS", "12.5", "CB-0301", days(90)),
        ("LA", "COFFEE-BEANS", "8.25", "CB-0302", days(180)),
        ("NY-A-02", "GRINDER-PRO", "1", "GP-0001", ""),
        ("NY-A-02", "GRINDER-PRO", "1", "GP-0002", ""),
        ("LA", "GRINDER-PRO", "1", "GP-0003", ""),
    ]


def _csv(rows: list[tuple[str, str, str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("location", "sku", "quantity", "lot", "expiry_date", "unit_cost"))
    writer.writerows((*row, UNIT_COSTS[row[1]]) for row in rows)
    return buffer.getvalue()


def has_items(ctx: ServiceContext) -> bool:
    return bool(items.list_items(ctx, limit=1))


def load_demo_data(ctx: ServiceContext) -> DemoSummary:
    """Load Acme Goods into an empty catalog; do nothing if items exist already. Whoever
    asks, the demo company is made by the system (so its audit log says)."""
    ctx = ctx.acting_as(SYSTEM)
    if has_items(ctx):
        return DemoSummary(loaded=False, company=company.get_company(ctx).name)
    settings = company.update_company(
        ctx, UpdateCompany(name="Acme Goods", timezone="America/New_York", currency="USD")
    )
    for code, name, kind, parent, sellable, address in LOCATIONS:
        locations.create_location(
            ctx, CreateLocation(code=code, name=name, kind=kind, parent=parent, sellable=sellable, address=address)
        )
    for number, (sku, name, unit, tracking, shelf_life) in enumerate(ITEMS, start=1):
        items.create_item(
            ctx, CreateItem(sku=sku, name=name, unit=unit, tracking=tracking, gtin=gtin13(number),
                            shelf_life_days=shelf_life),
        )
    today = business_day(ctx.now(), time_zone(settings.timezone))
    report = imports.import_opening_stock(ctx, _csv(opening_stock(today)))
    if report.errors:  # the demo's own data is wrong: a bug, say where
        first = report.errors[0]
        raise InvalidInput(f"demo opening stock line {first.line}.{first.field}", first.reason)
    later = _day_one(ctx)
    lots.set_lot_status(ctx, SetLotStatus(sku="HONEY-350G", code="HN-102", status="quarantined"))
    _honey_on_order(ctx)
    return DemoSummary(
        loaded=True, company=settings.name, locations=len(LOCATIONS), items=len(ITEMS),
        postings=1 + len(later),
    )


def _day_one(ctx: ServiceContext) -> list[PostingView | SupplierShipmentView]:
    """What happened after the opening balance (one posting each): a container on the
    ocean, a truck on the road, quarantine, a count, a write-off."""
    return [
        # 50 mugs from the pottery are on the ocean to the LA store: ours and on hand in
        # OCEAN-1, but not available to ship now; LA sees them incoming with their ETA.
        _container_on_the_ocean(ctx),
        # 12 totes on a truck from Reno to the LA store.
        _totes_on_the_road(ctx),
        # Damaged shirts and a suspect honey lot go to the non-sellable quarantine bin.
        relocations.move_stock(
            ctx, MoveStock(source="NY-A-02", destination="QUARANTINE",
                           lines=[StockLine("TEE-BLK-M", Decimal(3))], note="Damaged in receiving"),
        ),
        relocations.move_stock(
            ctx, MoveStock(source="NY-B-01", destination="QUARANTINE",
                           lines=[StockLine("HONEY-350G", Decimal(18), lot="HN-102")], note="Lab test pending"),
        ),
        # The LA store counts its totes: two short.
        counts.post_stock_count(
            ctx, PostStockCount(location="LA", lines=[StockLine("TOTE-CANVAS", Decimal(23))],
                                reference=f"{DEMO_REFERENCE}-COUNT-1"),
        ),
        # A torn shirt written off in New York.
        adjustments.post_adjustment(
            ctx, PostAdjustment(location="NY-A-02", lines=[StockLine("TEE-BLK-L", Decimal(-1))], reason="damaged",
                                reference=f"{DEMO_REFERENCE}-ADJ-1"),
        ),
    ]


def _container_on_the_ocean(ctx: ServiceContext) -> SupplierShipmentView:
    """A purchase order of 50 mugs for LA, shipped by the supplier in a container: an
    advance shipping notice, received into OCEAN-1 with its ocean freight."""
    suppliers.create_supplier(ctx, CreateSupplier(code="KILNWORKS", name="Kilnworks Pottery",
                                                  lead_time_days=SEA_DAYS + 14))
    settings = company.get_company(ctx)
    eta = business_day(ctx.now(), time_zone(settings.timezone)) + timedelta(days=SEA_DAYS)
    order = purchase_orders.create_purchase_order(ctx, CreatePurchaseOrder(
        supplier="KILNWORKS", destination="LA", reference=f"PO-{DEMO_REFERENCE}-2", expected_date=eta,
        lines=(NewPurchaseLine(EXAMPLE_SKU, Decimal(50), Decimal("2.10")),),
    ))
    purchase_orders.place_purchase_order(ctx, PurchaseOrderAction(order.reference))
    return supplier_shipments.ship_purchase_order(ctx, ShipPurchaseOrder(
        order.reference, lines=(ReceiptLine(line_no=1, quantity=Decimal(50)),), eta=eta,
        landed_costs=(NewLandedCost(kind="freight", amount=Decimal(15), reference="MAERSK-INV-88"),),
        note="Container MSCU-4471", **CONTAINER,
    ))


def _totes_on_the_road(ctx: ServiceContext) -> PostingView:
    """A transfer order Reno → LA through TRUCK-1, shipped: the posting of its shipment."""
    source, destination, via, days = ROAD_ROUTE
    transfer_routes.set_transfer_route(
        ctx, SetTransferRoute(source=source, destination=destination, transit=via, lead_time_days=days)
    )
    order = transfers.create_transfer(
        ctx, CreateTransfer(source=source, destination=destination, lines=[transfers.NewTransferLine("TOTE-CANVAS",
            "12")],
        carrier="UPS Freight", tracking_number="1Z-DEMO-0012", note="Pallet of totes"),
    )
    shipped = transit.ship_transfer(ctx, ShipTransfer(order.reference))
    return postings.get_posting(ctx, shipped.events[-1].posting_id)


def _honey_on_order(ctx: ServiceContext) -> None:
    """A placed purchase order for 48 jars of honey into New York (incoming until received)."""
    suppliers.create_supplier(ctx, CreateSupplier(code="BEEHIVE", name="Beehive Farms", lead_time_days=5))
    order = purchase_orders.create_purchase_order(ctx, CreatePurchaseOrder(
        supplier="BEEHIVE", destination="NY", reference=f"PO-{DEMO_REFERENCE}-1",
        lines=(NewPurchaseLine("HONEY-350G", Decimal("48"), Decimal("3.20")),),
    ))
    purchase_orders.place_purchase_order(ctx, PurchaseOrderAction(order.reference))


@dataclass(frozen=True)
class DemoSignIn:
    """The demo admin's email and a password made for this run (shown once)."""

    user: UserView
    password: str


def demo_sign_in(ctx: ServiceContext) -> DemoSignIn:
    """An admin to sign in to the web app with: added the first time, given a new random
    password on every later run (the old one is only stored as a hash)."""
    ctx = ctx.acting_as(SYSTEM)
    password = secrets.token_urlsafe(12)
    if any(user.email == DEMO_EMAIL for user in users.list_users(ctx)):
        return DemoSignIn(users.reset_password(ctx, ResetPassword(DEMO_EMAIL), password=password), password)
    admin = AddUser(email=DEMO_EMAIL, name="Demo admin", role="admin")
    return DemoSignIn(users.add_user(ctx, admin, password=password), password)
