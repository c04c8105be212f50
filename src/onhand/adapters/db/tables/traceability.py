"""Customers as records, and recalls (revision 0017).

A sales order references its customer (`sales_orders.customer_id`); its `customer` text
stays as the name the order was made for. A recall remembers the lots it stopped (with
the status each had) and the posting that moved their stock to quarantine, so releasing
it can put both back.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import UtcDateTime

customers = Table(
    "customers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    # Lower-cased name, for lookups by name that ignore case.
    Column("name_key", String(200), nullable=False),
    # Stored lower-cased: an address's case carries no meaning in practice.
    Column("email", String(200)),
    Column("phone", String(50)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_customers_name_key", "name_key"),
    Index("ix_customers_email", "email"),
)

customer_addresses = Table(
    "customer_addresses",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=False),
    Column("label", String(40), nullable=False),
    Column("name", String(200)),
    Column("line1", String(200)),
    Column("line2", String(200)),
    Column("city", String(100)),
    Column("region", String(100)),
    Column("postcode", String(20)),
    Column("country", String(2)),
    UniqueConstraint("customer_id", "label", name="uq_customer_addresses_customer_id_label"),
)

# The customer's id in a sales channel (a Shopify customer id): one customer per (channel, id).
customer_channel_ids = Table(
    "customer_channel_ids",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("external_id", String(100), primary_key=True),
    Column("customer_id", Id, ForeignKey("customers.id"), nullable=False),
    Index("ix_customer_channel_ids_customer_id", "customer_id"),
)

recalls = Table(
    "recalls",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False, unique=True),
    # recalled or quarantined: the status the lots were given.
    Column("status", String(16), nullable=False),
    Column("note", Text),
    Column("quarantine_location_id", Id, ForeignKey("locations.id")),
    # The posting that moved the stock to quarantine, and the one that moved it back.
    Column("posting_id", Id, ForeignKey("postings.id")),
    Column("release_posting_id", Id, ForeignKey("postings.id")),
    Column("actor", String(100)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("released_at", UtcDateTime),
)

recall_lots = Table(
    "recall_lots",
    metadata,
    Column("recall_id", Id, ForeignKey("recalls.id"), primary_key=True),
    Column("lot_id", Id, ForeignKey("lots.id"), primary_key=True),
    # The status the lot had before the recall (what a release gives back), and how it
    # was reached: 0 named by the user, n built from a named lot n levels down.
    Column("previous_status", String(16), nullable=False),
    Column("depth", Id, nullable=False),
    Index("ix_recall_lots_lot_id", "lot_id"),
)
