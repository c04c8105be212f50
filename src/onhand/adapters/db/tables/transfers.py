"""Transfer orders through transit, their shipments, receipts and write-offs, and the
default transit location and lead time of each route (revision 0005)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

transfers = Table(
    "transfers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("source_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("destination_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("transit_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("expected_date", Date),
    Column("carrier", String(64)),
    Column("tracking_number", String(100)),
    Column("note", Text),
    Column("closed_at", UtcDateTime),
    Column("cancelled_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_transfers_status", "status", "id"),
    Index("ix_transfers_destination_id", "destination_id", "status"),
)

transfer_lines = Table(
    "transfer_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("transfer_id", Id, ForeignKey("transfers.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    # A lot the user asked to send; otherwise shipping chooses lots (FEFO).
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    UniqueConstraint("transfer_id", "line_no", name="uq_transfer_lines_transfer_id_line_no"),
)

# One shipment, receipt or write-off of a transfer, written with its posting.
transfer_events = Table(
    "transfer_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("transfer_id", Id, ForeignKey("transfers.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("posting_id", Id, ForeignKey("postings.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_transfer_events_transfer_id", "transfer_id"),
)

# What each event moved, per transfer line, lot and location (the source bin it left,
# the bin it arrived in, or the transit location it was written off from).
transfer_event_lines = Table(
    "transfer_event_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", Id, ForeignKey("transfer_events.id"), nullable=False),
    Column("transfer_line_id", Id, ForeignKey("transfer_lines.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    Index("ix_transfer_event_lines_event_id", "event_id"),
    Index("ix_transfer_event_lines_transfer_line_id", "transfer_line_id"),
)

# The transit location (and lead time) a transfer from source to destination uses by default.
transfer_routes = Table(
    "transfer_routes",
    metadata,
    Column("source_id", Id, ForeignKey("locations.id"), primary_key=True),
    Column("destination_id", Id, ForeignKey("locations.id"), primary_key=True),
    Column("transit_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("lead_time_days", Integer),
)
