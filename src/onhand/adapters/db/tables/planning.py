"""Planning (revision 0023): reorder rules per item and site, and the alerts now open.

An alert row is open while `cleared_at` is null; one open alert per `key`
(kind:item:site[:lot]) so that a scan raises each condition once, not every morning.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, UniqueConstraint, text

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

OPEN = "cleared_at IS NULL"

reorder_rules = Table(
    "reorder_rules",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),  # a site: bins roll up
    Column("minimum", ScaledDecimal),  # null: lead-time demand + safety stock
    Column("maximum", ScaledDecimal),
    Column("reorder_quantity", ScaledDecimal),
    Column("safety_stock", ScaledDecimal),
    Column("service_level", ScaledDecimal),
    Column("supplier_id", Id, ForeignKey("suppliers.id")),
    Column("lead_time_days", Integer),
    Column("min_order_quantity", ScaledDecimal),
    Column("order_multiple", ScaledDecimal),
    Column("demand_window_days", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("item_id", "location_id"),
)

planning_alerts = Table(
    "planning_alerts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(120), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("day", Date),
    Column("message", String(400), nullable=False),
    Column("raised_at", UtcDateTime, nullable=False),
    Column("cleared_at", UtcDateTime),
    # One open alert per key: of two scans racing to raise it, the second loses on this
    # index, is retried, and finds it open.
    Index("ix_planning_alerts_open", "key", unique=True, sqlite_where=text(OPEN), postgresql_where=text(OPEN)),
)
