"""Supplier shipments (advance shipping notices) of purchase orders (revision 0026).

Shipping is a receipt of the order into a transit location (its lines keep the cost
layers and take landed costs); each shipment line says, per order line and lot, how
much was shipped, received at the destination and written off, so what is still in
transit is shipped − received − written off.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

supplier_shipments = Table(
    "supplier_shipments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("order_id", Id, ForeignKey("purchase_orders.id"), nullable=False),
    # The receipt into transit: its posting, cost layers and landed costs.
    Column("receipt_id", Id, ForeignKey("receipts.id"), nullable=False),
    Column("transit_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("container", String(100)),
    Column("vessel", String(100)),
    Column("carrier", String(100)),
    Column("tracking", String(100)),
    Column("eta", Date),
    Column("status", String(20), nullable=False),
    Column("note", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_supplier_shipments_order_id", "order_id"),
    Index("ix_supplier_shipments_status", "status"),
)

supplier_shipment_lines = Table(
    "supplier_shipment_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shipment_id", Id, ForeignKey("supplier_shipments.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("purchase_order_lines.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("received", ScaledDecimal, nullable=False),
    Column("written_off", ScaledDecimal, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    CheckConstraint("received >= 0 AND written_off >= 0 AND received + written_off <= quantity",
                    name="within_shipped"),
    Index("ix_supplier_shipment_lines_shipment_id", "shipment_id"),
    Index("ix_supplier_shipment_lines_order_line_id", "order_line_id"),
)

# Each receipt at the destination or write-off of a shipment: one posting.
supplier_shipment_events = Table(
    "supplier_shipment_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("shipment_id", Id, ForeignKey("supplier_shipments.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("posting_id", Id, ForeignKey("postings.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_supplier_shipment_events_shipment_id", "shipment_id"),
)

# Where each part of a shipment line went: the destination or a bin (receipts), or the
# transit location (write-offs). Returns to supplier take received units from here.
supplier_shipment_event_lines = Table(
    "supplier_shipment_event_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", Id, ForeignKey("supplier_shipment_events.id"), nullable=False),
    Column("shipment_line_id", Id, ForeignKey("supplier_shipment_lines.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    Index("ix_supplier_shipment_event_lines_event_id", "event_id"),
    Index("ix_supplier_shipment_event_lines_shipment_line_id", "shipment_line_id"),
)
