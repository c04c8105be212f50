"""The tables, as SQLAlchemy Core metadata. Only adapters may import this module.

Quantities are `ScaledDecimal` (exact integers of 10^-6). `moves` and `postings` are
append-only: the migrations add triggers that refuse UPDATE and DELETE on them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Integer primary keys: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")

company = Table(
    "company",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("min_remaining_shelf_life_days", Integer, nullable=False, server_default="0"),
)

units = Table(
    "units",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("decimals", Integer, nullable=False),
)

reason_codes = Table(
    "reason_codes",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("description", String(200), nullable=False),
)

items = Table(
    "items",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sku", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("unit_code", String(16), ForeignKey("units.code"), nullable=False),
    Column("tracking", String(8), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("gtin", String(14), unique=True),
    Column("shelf_life_days", Integer),
    Column("created_at", UtcDateTime, nullable=False),
    # Days of shelf life a lot must still have when shipped (None: the company default).
    Column("min_remaining_shelf_life_days", Integer),
)

locations = Table(
    "locations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("parent_id", Id, ForeignKey("locations.id")),
    # Ids from the root down to this location, "/"-separated, for subtree queries.
    Column("path", String(400), nullable=False),
    Column("sellable", Boolean, nullable=False),
    Column("allow_negative", Boolean, nullable=False),
    Column("address_line1", String(200)),
    Column("address_line2", String(200)),
    Column("city", String(100)),
    Column("region", String(100)),
    Column("postcode", String(20)),
    Column("country", String(2)),
    Column("created_at", UtcDateTime, nullable=False),
    # Routing: lower priority number wins ties; coordinates and zones say what is near.
    Column("priority", Integer, nullable=False, server_default="100"),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("zones", String(400)),
    # Picking: bins are walked in this order (then by code).
    Column("walk_order", Integer),
)

lots = Table(
    "lots",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("expiry_date", Date),
    Column("production_date", Date),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("item_id", "code", name="uq_lots_item_id_code"),
)

postings = Table(
    "postings",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(24), nullable=False),
    Column("reason", String(40), ForeignKey("reason_codes.code")),
    Column("reference", String(200)),
    Column("note", Text),
    Column("created_at", UtcDateTime, nullable=False),
    # When the movement happened in the world (may precede created_at when backdated).
    Column("effective_at", UtcDateTime, nullable=False),
    Column("actor", String(100)),
)

moves = Table(
    "moves",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("posting_id", Id, ForeignKey("postings.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("from_location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("to_location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    CheckConstraint("from_location_id <> to_location_id", name="distinct_locations"),
    Index("ix_moves_posting_id", "posting_id"),
    Index("ix_moves_item_id", "item_id", "id"),
    Index("ix_moves_lot_id", "lot_id"),
    Index("ix_moves_from_location_id", "from_location_id", "id"),
    Index("ix_moves_to_location_id", "to_location_id", "id"),
)

# The projection of the ledger: one row per (item, location, lot); lot_key 0 = no lot.
balances = Table(
    "balances",
    metadata,
    Column("item_id", Id, ForeignKey("items.id"), primary_key=True),
    Column("location_id", Id, ForeignKey("locations.id"), primary_key=True),
    Column("lot_key", Id, primary_key=True),
    Column("on_hand", ScaledDecimal, nullable=False),
    Column("reserved", ScaledDecimal, nullable=False),
    Index("ix_balances_location_id", "location_id"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("action", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("resource_id", Id, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    # SHA-256 of the whole key: keys are 256-bit random, so no slow hash is needed.
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

# One row per CSV import run, keeping its report (replayed for a repeated idempotency key).
import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(24), nullable=False),
    Column("report", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# --- sales orders, reservations, shipments, returns (revision 0002) -----------------

sales_orders = Table(
    "sales_orders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("channel", String(32), nullable=False),
    # The order's id in its channel (Shopify order id, Amazon order id); unique per channel.
    Column("external_id", String(100)),
    Column("customer", String(200)),
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
    Column("requested_ship_date", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("allocated_at", UtcDateTime),
    Column("cancelled_at", UtcDateTime),
    Column("routing_note", String(400)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel", "external_id", name="uq_sales_orders_channel_external_id"),
    Index("ix_sales_orders_status", "status", "id"),
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
    Index("ix_reservations_order_line_id", "order_line_id"),
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
)

returns = Table(
    "returns",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("sales_orders.id"), nullable=False),
    Column("reference", String(64), nullable=False, unique=True),
    Column("posting_id", Id, ForeignKey("postings.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
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
    Index("ix_return_lines_order_line_id", "order_line_id"),
)
