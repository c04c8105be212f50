"""Valuation: the costing method per item, each move's value, and the current cost layers (revision 0007)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

# An item's own costing method, overriding the company's (company.costing_method).
item_costing = Table(
    "item_costing",
    metadata,
    Column("item_id", Id, ForeignKey("items.id"), primary_key=True),
    Column("method", String(16), nullable=False),
)

# What each move was worth, in company currency, exact to 10^-6.
move_values = Table(
    "move_values",
    metadata,
    Column("move_id", Id, ForeignKey("moves.id"), primary_key=True),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("role", String(24), nullable=False),
    Column("value", ScaledDecimal, nullable=False),
    # The part of an inbound value that settled stock taken beyond what was there (to COGS).
    Column("variance", ScaledDecimal, nullable=False),
    Column("basis", String(16), nullable=False),
    Index("ix_move_values_item_id", "item_id", "move_id"),
)

# One pool of value: an item at an internal location (and a lot, under specific identification).
# lot_key 0 = the pool of all lots (FIFO, moving average) or an item without lots.
cost_pools = Table(
    "cost_pools",
    metadata,
    Column("item_id", Id, ForeignKey("items.id"), primary_key=True),
    Column("location_id", Id, ForeignKey("locations.id"), primary_key=True),
    Column("lot_key", Id, primary_key=True),
    Column("deficit_quantity", ScaledDecimal, nullable=False),
    Column("deficit_value", ScaledDecimal, nullable=False),
    # Exact (a unit cost may have more than six decimals), as Decimal text.
    Column("last_unit_cost", String(80)),
)

# The layers of each pool as they are now (no history: backdating is not wired yet).
cost_layers = Table(
    "cost_layers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("lot_key", Id, nullable=False),
    Column("position", Integer, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("origin_move_id", Id, nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("value", ScaledDecimal, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    Index("ix_cost_layers_pool", "item_id", "location_id", "lot_key", "position"),
)
