"""Opening valuation: cost given to stock that was on hand before valuation existed (revision 0010).

One `opening_valuations` row per request (when, its reference and note) and one
`opening_values` row per pool it valued: how many units, at what unit cost (company
currency). The pool's opening layer is written to `cost_layers` like any other.
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, false

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

opening_valuations = Table(
    "opening_valuations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(200)),
    Column("note", Text),
    Column("valued_at", UtcDateTime, nullable=False),
)

opening_values = Table(
    "opening_values",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("valuation_id", Id, ForeignKey("opening_valuations.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    # The pool: a lot id under specific identification, else 0 (all lots of the item there).
    Column("lot_key", Id, nullable=False),
    # The lot the line named, when it valued one lot of a pool of all lots.
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("unit_cost", ScaledDecimal, nullable=False),
    Column("value", ScaledDecimal, nullable=False),
    # The part that settled units taken out before they were valued (to COGS, like any variance).
    Column("variance", ScaledDecimal, nullable=False),
    # Given to the opening stock's own moves, which came in at no cost (revision 0028): the
    # moves' values carry it into the layers and the journal, so nothing here is booked again.
    Column("via_moves", Boolean, nullable=False, server_default=false()),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    Index("ix_opening_values_pool", "item_id", "location_id", "lot_key"),
    Index("ix_opening_values_valuation_id", "valuation_id"),
)
