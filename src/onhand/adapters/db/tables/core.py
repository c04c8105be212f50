"""Catalog, places, the ledger and its projection, and access (revision 0001).

Quantities are `ScaledDecimal` (exact integers of 10^-6). `moves` and `postings` are
append-only: the migrations add triggers that refuse UPDATE and DELETE on them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

company = Table(
    "company",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("min_remaining_shelf_life_days", Integer, nullable=False, server_default="0"),
    # Percent a purchase receipt may exceed the ordered quantity by (revision 0004).
    Column("over_receipt_tolerance_pct", ScaledDecimal, nullable=False, server_default="0"),
    # Raised by every change to locations, so each process may cache them (revision 0003).
    Column("settings_version", Integer, nullable=False, server_default="0"),
    # fifo or moving_average; items may override (item_costing, revision 0007).
    Column("costing_method", String(16), nullable=False, server_default="fifo"),
    # The accounting feed (revision 0008): journal lines per location, and the period lock date.
    Column("track_locations", Boolean, nullable=False, server_default=false()),
    Column("lock_date", Date),
    # Where the journals go, the region, and the Xero CSV's tax rate and date format (revision 0028).
    Column("accounting_target", String(16), nullable=False, server_default="xero"),
    Column("accounting_region", String(8)),
    Column("export_tax_rate", String(60)),
    Column("export_date_format", String(10)),
    # A receipt at another unit cost than its order's: to_stock or variance (revision 0032).
    Column("purchase_price_differences", String(16), nullable=False, server_default="to_stock"),
    # Whether a shipment may pick serial numbers itself, unconfirmed (revision 0034).
    Column("auto_assign_serials", Boolean, nullable=False, server_default=false()),
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
    # For sharing landed costs by weight (revision 0004).
    Column("weight_kg", ScaledDecimal),
    # For account codes per category in the journals (revision 0008).
    Column("category", String(64)),
    # Archived: hidden from lists, refused for new documents (migration 0033).
    Column("archived_at", UtcDateTime),
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
    # Archived: hidden from lists, refused for new documents (migration 0033).
    Column("archived_at", UtcDateTime),
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
    # The supplier's own batch number for it (revision 0017): what their recall names.
    Column("supplier_lot", String(64)),
    UniqueConstraint("item_id", "code", name="uq_lots_item_id_code"),
    # Lots found by code without naming the item, and by the supplier's batch.
    Index("ix_lots_code", "code"),
    Index("ix_lots_supplier_lot", "supplier_lot"),
    Index("ix_lots_expiry_date", "expiry_date"),
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
    # Journals read a business day's postings by effective time (revision 0008).
    Index("ix_postings_effective_at", "effective_at"),
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

# A balance that holds something: what stock reads want. The empty balances of every lot
# that passed through a place grow with history; this index leaves them out.
HOLDING = "on_hand <> 0 OR reserved <> 0"
# A balance holding a reservation: what verify and rebuild compare with the reservations.
# Virtual places hold a nonzero balance per lot ever received or shipped, so HOLDING's index
# is most of the table at a million moves (0.22 s to scan); these are a few.
RESERVING = "reserved <> 0"

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
    Index("ix_balances_holding", "item_id", "location_id",
          sqlite_where=text(HOLDING), postgresql_where=text(HOLDING)),
    Index("ix_balances_reserving", "item_id", "location_id", "lot_key",
          sqlite_where=text(RESERVING), postgresql_where=text(RESERVING)),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    # Whose key it is (an actor's reference: api_key:12, cli:alice, system; revision 0015):
    # another caller's use of the same string is another request.
    Column("scope", String(100), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("action", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("resource_id", Id, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # Records expire (settings: idempotency TTL); a scope's expired ones are purged on its writes.
    Index("ix_idempotency_keys_scope", "scope", "created_at"),
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
    # Revision 0015: an optional end, the last use (written at most once a minute), and
    # rotation: the previous secret's hash works until previous_secret_expires_at.
    Column("expires_at", UtcDateTime),
    Column("last_used_at", UtcDateTime),
    Column("rotated_at", UtcDateTime),
    Column("previous_secret_hash", String(64)),
    Column("previous_secret_expires_at", UtcDateTime),
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
