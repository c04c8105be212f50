"""Bundles, bills of materials, build orders, build runs and lot genealogy (revision 0006).

A bundle's components and an assembly's bill of materials share one shape: a
`bills_of_materials` row per parent item and its `bom_lines`. Whether it is a kit or a
recipe follows from the parent item's kind (bundle or not).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

bills_of_materials = Table(
    "bills_of_materials",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False, unique=True),
    # Per unit of output, in the company's currency, kept for valuation.
    Column("labour_cost", ScaledDecimal, nullable=False),
    Column("overhead_cost", ScaledDecimal, nullable=False),
    Column("note", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

bom_lines = Table(
    "bom_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("bom_id", Id, ForeignKey("bills_of_materials.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("component_item_id", Id, ForeignKey("items.id"), nullable=False),
    # Per one unit of the parent, in the component's unit.
    Column("quantity", ScaledDecimal, nullable=False),
    Column("scrap_percent", ScaledDecimal, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    UniqueConstraint("bom_id", "component_item_id", name="uq_bom_lines_bom_id_component_item_id"),
    # "Where used": which parents hold a component.
    Index("ix_bom_lines_component_item_id", "component_item_id"),
)

build_orders = Table(
    "build_orders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("built", ScaledDecimal, nullable=False),
    Column("status", String(20), nullable=False),
    Column("note", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    Index("ix_build_orders_status", "status", "id"),
)

# One build or disassembly: one posting. Disassemblies may stand alone (no build order).
build_runs = Table(
    "build_runs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("build_order_id", Id, ForeignKey("build_orders.id")),
    Column("posting_id", Id, ForeignKey("postings.id"), nullable=False, unique=True),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    # The assembled item's lot made (build) or taken apart (disassembly); null if untracked.
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),
    Column("reference", String(200)),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_build_runs_build_order_id", "build_order_id"),
)

# Which component lots (quantity, in the component's unit) went into or came out of which
# lot of the assembled item, per run. Lot ids are null for untracked items.
lot_genealogy = Table(
    "lot_genealogy",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("run_id", Id, ForeignKey("build_runs.id"), nullable=False),
    Column("parent_item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("parent_lot_id", Id, ForeignKey("lots.id")),
    Column("child_item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("child_lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    Index("ix_lot_genealogy_run_id", "run_id"),
    Index("ix_lot_genealogy_parent_lot_id", "parent_lot_id"),
    Index("ix_lot_genealogy_child_lot_id", "child_lot_id"),
)
