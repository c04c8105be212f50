"""Valuation: the costing method per item, each move's value, the current cost layers (revision 0007),
and the history a backdated posting re-values from: what each inbound move was given, the layers each
transfer carried, per-item checkpoints of the pools and the item's newest valued move (revision 0009);
each pool's layer count and totals (revision 0027)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text

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
    # What an inbound move was given, so a re-valuation can value it again (revision 0009):
    # the unit cost in company currency (exact, as Decimal text) and/or the total value
    # (a build output's consumed value, a receipt's price plus its landed costs).
    Column("unit_cost", String(80)),
    Column("given_value", ScaledDecimal),
    Index("ix_move_values_item_id", "item_id", "move_id"),
)

# The layers a transfer took from its source, as they left: the destination is
# re-valued from them without replaying the source (domain/valuation/revaluation.py).
move_carried_layers = Table(
    "move_carried_layers",
    metadata,
    Column("move_id", Id, ForeignKey("moves.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("origin_move_id", Id, nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("value", ScaledDecimal, nullable=False),
)

# An item's pools just after the move at (effective_at, move_id): where a backdated
# posting, or the report at a past moment, starts replaying. `state` is JSON.
cost_checkpoints = Table(
    "cost_checkpoints",
    metadata,
    Column("item_id", Id, ForeignKey("items.id"), primary_key=True),
    Column("effective_at", UtcDateTime, primary_key=True),
    Column("move_id", Id, primary_key=True),
    Column("state", Text, nullable=False),
)

# Per item: the newest valued move's position (a posting before it is backdated for this
# item) and how many moves were valued since the last checkpoint.
valuation_heads = Table(
    "valuation_heads",
    metadata,
    Column("item_id", Id, ForeignKey("items.id"), primary_key=True),
    Column("effective_at", UtcDateTime, nullable=False),
    Column("move_id", Id, nullable=False),
    Column("since_checkpoint", Integer, nullable=False),
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
    # Its layers' count and totals (revision 0027): a posting reads only the oldest layers
    # it takes and the newest one, and knows the rest from these.
    Column("layer_count", Integer, nullable=False, server_default="0"),
    Column("layers_quantity", ScaledDecimal, nullable=False, server_default="0"),
    Column("layers_value", ScaledDecimal, nullable=False, server_default="0"),
)

# The layers of each pool as they are now (the history is in cost_checkpoints and the moves).
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
