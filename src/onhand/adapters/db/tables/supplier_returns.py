"""Returns to supplier: units of a received purchase order line sent back (revision 0010).

A return is one posting of `internal → supplier` moves; each line keeps its order line,
place, lot and quantity, so what is left to return per line is received − returned.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

supplier_returns = Table(
    "supplier_returns",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("order_id", Id, ForeignKey("purchase_orders.id"), nullable=False),
    Column("posting_id", Id, ForeignKey("postings.id"), nullable=False),
    # The supplier's return authorisation (RMA) number, if they gave one.
    Column("authorisation", String(100)),
    Column("note", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_supplier_returns_order_id", "order_id"),
)

supplier_return_lines = Table(
    "supplier_return_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("return_id", Id, ForeignKey("supplier_returns.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("purchase_order_lines.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    Index("ix_supplier_return_lines_return_id", "return_id"),
    Index("ix_supplier_return_lines_order_line_id", "order_line_id"),
    Index("ix_supplier_return_lines_lot_id", "lot_id"),
)
