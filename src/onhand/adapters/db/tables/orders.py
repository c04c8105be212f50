"""Sales orders, reservations, packages, shipments and returns (revision 0002)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

sales_orders = Table(
    "sales_orders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("channel", String(32), nullable=False),
    # The order's id in its channel (Shopify order id, Amazon order id); unique per channel.
    Column("external_id", String(100)),
    Column("customer", String(200)),
    # The customer's record (revision 0017); `customer` keeps the name the order was made for.
    Column("customer_id", Id, ForeignKey("customers.id")),
    Column("ship_to_name", String(200)),
    Column("ship_to_line1", String(200)),
    Column("ship_to_line2", String(200)),
    Column("ship_to_city", String(100)),
    Column("ship_to_region", String(100)),
    Column("ship_to_postcode", String(20)),
    Column("ship_to_country", String(2)),
    Column("ship_to_latitude", Float),
    Column("ship_to_longitude", Float),
    Column("currency", String(3), nullable=False),
    # Company currency per unit of `currency` (revision 0011); NULL only on an order in
    # another currency made before it (its rate was never given: no revenue is journaled).
    Column("exchange_rate", ScaledDecimal),
    Column("requested_ship_date", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("allocated_at", UtcDateTime),
    Column("cancelled_at", UtcDateTime),
    Column("routing_note", String(400)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel", "external_id", name="uq_sales_orders_channel_external_id"),
    Index("ix_sales_orders_status", "status", "id"),
    Index("ix_sales_orders_customer_id", "customer_id", "id"),
)

sales_order_lines = Table(
    "sales_order_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("sales_orders.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("unit_price", ScaledDecimal, nullable=False),
    # A lot the customer or channel asked for, and a location the user chose.
    Column("pinned_lot_id", Id, ForeignKey("lots.id")),
    Column("location_id", Id, ForeignKey("locations.id")),
    # A component of a bundle sold on this order: the bundle's line and how much of this
    # item one bundle holds (revision 0003). The bundle's own line holds no stock.
    Column("kit_line_no", Integer),
    Column("per_kit", ScaledDecimal),
    UniqueConstraint("order_id", "line_no", name="uq_sales_order_lines_order_id_line_no"),
    Index("ix_sales_order_lines_item_id", "item_id"),
)

# What is promised to an order line from one balance; `balances.reserved` is their sum.
reservations = Table(
    "reservations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_line_id", Id, ForeignKey("sales_order_lines.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("lot_key", Id, nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("picked", ScaledDecimal, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # Zero only for the moment between shrinking a reservation and deleting it.
    CheckConstraint("quantity >= 0", name="non_negative_quantity"),
    CheckConstraint("picked >= 0 AND picked <= quantity", name="picked_within_reserved"),
    # One row per line and balance, so a reservation grows by an upsert.
    Index("uq_reservations_line_balance", "order_line_id", "item_id", "location_id", "lot_key", unique=True),
    Index("ix_reservations_balance", "item_id", "location_id", "lot_key"),
)

packages = Table(
    "packages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("sales_orders.id"), nullable=False),
    Column("shipment_id", Id, ForeignKey("shipments.id")),
    Column("carrier", String(64)),
    Column("tracking_number", String(100)),
    Column("weight_kg", ScaledDecimal),
    Column("length_cm", ScaledDecimal),
    Column("width_cm", ScaledDecimal),
    Column("height_cm", ScaledDecimal),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_packages_order_id", "order_id"),
)

package_contents = Table(
    "package_contents",
    metadata,
    Column("package_id", Id, ForeignKey("packages.id"), primary_key=True),
    Column("order_line_id", Id, ForeignKey("sales_order_lines.id"), primary_key=True),
    Column("quantity", ScaledDecimal, nullable=False),
)

shipments = Table(
    "shipments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("sales_orders.id"), nullable=False),
    Column("posting_id", Id, ForeignKey("postings.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_shipments_order_id", "order_id"),
)

# What left with each shipment, per order line, location and lot (the ledger holds the moves).
shipment_lines = Table(
    "shipment_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shipment_id", Id, ForeignKey("shipments.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("sales_order_lines.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    Index("ix_shipment_lines_order_line_id", "order_line_id"),
    Index("ix_shipment_lines_shipment_id", "shipment_id"),
    # Who received a lot: the forward trace (revision 0017).
    Index("ix_shipment_lines_lot_id", "lot_id"),
)

returns = Table(
    "returns",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("sales_orders.id"), nullable=False),
    Column("reference", String(64), nullable=False, unique=True),
    Column("posting_id", Id, ForeignKey("postings.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_returns_order_id", "order_id"),
    # A return found by its posting: how a re-valuation links a return to its shipments (0012).
    Index("ix_returns_posting_id", "posting_id"),
)

return_lines = Table(
    "return_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("return_id", Id, ForeignKey("returns.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("sales_order_lines.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("reason", String(40), ForeignKey("reason_codes.code"), nullable=False),
    Column("condition", String(20), nullable=False),
    # Refunded per unit, in the order's currency (revision 0011); NULL: the default (the
    # line's price, or for a bundle's component its share of the bundle's price, by cost).
    Column("refund_unit_price", ScaledDecimal),
    Index("ix_return_lines_order_line_id", "order_line_id"),
    Index("ix_return_lines_return_id", "return_id"),
    Index("ix_return_lines_lot_id", "lot_id"),
)
