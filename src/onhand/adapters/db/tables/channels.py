"""Sales channels (revision 0019): the channels, their location and SKU mappings, the
inbox of deliveries they sent, the orders imported from them, the exceptions a user must
resolve, and the outboxes of what Onhand sends them (quantities, fulfilments).

The schema is generic: what is particular to Shopify or Amazon lives in
`adapters/channels/<kind>/`. Ids given by a channel are text (Shopify's exceed 2^53).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

channels = Table(
    "channels",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(32), nullable=False, unique=True),  # also sales_orders.channel
    Column("kind", String(16), nullable=False),  # shopify, amazon, generic
    Column("endpoint", String(300)),  # the shop's base URL (https://x.myshopify.com)
    Column("api_version", String(16)),
    # Where the secrets are: "env" (ONHAND_CHANNEL_<NAME>_…) or "file:<path>" (0600 JSON);
    # never the secrets themselves.
    Column("credentials", String(300), nullable=False),
    Column("availability_version", BigInteger, nullable=False),  # last availability version pushed
    Column("last_sync_at", UtcDateTime),
    Column("last_error", String(500)),
    Column("last_error_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

channel_locations = Table(
    "channel_locations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id, ForeignKey("channels.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("external_location_id", String(100), nullable=False),
    UniqueConstraint("channel_id", "location_id", name="uq_channel_locations_channel_location"),
    Index("ix_channel_locations_external", "channel_id", "external_location_id"),
)

channel_skus = Table(
    "channel_skus",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id, ForeignKey("channels.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("external_sku", String(100)),  # the SKU in the channel when it differs
    Column("external_variant_id", String(100)),  # Shopify variant id, Amazon ASIN
    Column("external_item_id", String(100)),  # Shopify inventory item id, Amazon SellerSKU
    UniqueConstraint("channel_id", "item_id", name="uq_channel_skus_channel_item"),
    UniqueConstraint("channel_id", "external_variant_id", name="uq_channel_skus_channel_variant"),
    UniqueConstraint("channel_id", "external_sku", name="uq_channel_skus_channel_sku"),
)

channel_deliveries = Table(
    "channel_deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id, ForeignKey("channels.id"), nullable=False),
    Column("topic", String(64), nullable=False),
    Column("external_event_id", String(100), nullable=False),
    Column("body", LargeBinary, nullable=False),  # the raw bytes, as signed
    Column("received_at", UtcDateTime, nullable=False),
    Column("processed_at", UtcDateTime),
    Column("attempts", Integer, nullable=False),
    Column("error", String(500)),
    UniqueConstraint("channel_id", "external_event_id", name="uq_channel_deliveries_channel_event"),
    Index("ix_channel_deliveries_pending", "processed_at", "id"),
)

channel_orders = Table(
    "channel_orders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id, ForeignKey("channels.id"), nullable=False),
    Column("external_order_id", String(100), nullable=False),
    Column("order_id", Id, ForeignKey("sales_orders.id"), nullable=False),
    Column("external_updated_at", String(40)),  # the channel's updated_at last applied
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel_id", "external_order_id", name="uq_channel_orders_channel_order"),
    Index("ix_channel_orders_order", "order_id"),
)

channel_order_lines = Table(
    "channel_order_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel_order_id", Id, ForeignKey("channel_orders.id"), nullable=False),
    Column("external_line_id", String(100), nullable=False),
    Column("sku", String(100)),
    Column("external_variant_id", String(100)),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("unit_price", ScaledDecimal, nullable=False),
    Column("item_id", Id, ForeignKey("items.id")),  # None: not mapped (an exception is open)
    Column("line_no", Integer),  # the sales order's line it became (None: not mapped)
    UniqueConstraint("channel_order_id", "external_line_id", name="uq_channel_order_lines_order_line"),
)

channel_exceptions = Table(
    "channel_exceptions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id, ForeignKey("channels.id"), nullable=False),
    Column("kind", String(32), nullable=False),  # unknown_sku, edit_after_shipping, ...
    Column("external_order_id", String(100)),
    Column("external_line_id", String(100)),
    Column("sku", String(100)),
    Column("detail", String(500), nullable=False),
    Column("delivery_id", Id, ForeignKey("channel_deliveries.id")),
    Column("created_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("resolved_by", String(100)),
    Index("ix_channel_exceptions_open", "channel_id", "resolved_at", "id"),
)

channel_pushes = Table(
    "channel_pushes",
    metadata,
    # One row per (channel, item, channel location): the quantity to be there, coalesced;
    # sent after commit, idempotently (the key is per row and version).
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id, ForeignKey("channels.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("external_location_id", String(100), nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),  # wanted
    Column("version", BigInteger, nullable=False),  # grows with every new wanted quantity
    Column("sent_quantity", ScaledDecimal),  # last quantity the channel accepted
    Column("sent_version", BigInteger, nullable=False),  # version last accepted (== version: done)
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime),
    Column("last_error", String(500)),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel_id", "item_id", "external_location_id", name="uq_channel_pushes_target"),
    Index("ix_channel_pushes_due", "channel_id", "sent_version", "version"),
)

channel_fulfilments = Table(
    "channel_fulfilments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id, ForeignKey("channels.id"), nullable=False),
    Column("order_id", Id, ForeignKey("sales_orders.id"), nullable=False),
    Column("shipment_key", String(100), nullable=False),  # what in Onhand shipped (unique per order)
    Column("external_order_id", String(100), nullable=False),
    Column("body", Text, nullable=False),  # JSON: lines (sku, quantity), carrier, tracking
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime),
    Column("last_error", String(500)),
    Column("external_id", String(100)),  # the fulfilment's id there, once created
    Column("sent_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel_id", "shipment_key", name="uq_channel_fulfilments_shipment"),
    Index("ix_channel_fulfilments_due", "sent_at", "id"),
)
