"""Suppliers, supplier prices, purchase orders, receipts and landed costs (revision 0004).

Money is `ScaledDecimal` like quantities (exact integers of 10^-6). A receipt line keeps
its unit cost in the order's currency and the receipt its exchange rate to the company
currency, so valuation can open cost layers from them; landed costs are stored per
receipt line as allocated.
"""

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

suppliers = Table(
    "suppliers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("lead_time_days", Integer, nullable=False),
    Column("email", String(200)),
    Column("phone", String(50)),
    # Percent over the ordered quantity a receipt may bring (None: the company's setting).
    Column("over_receipt_tolerance_pct", ScaledDecimal),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# What a supplier charges for an item, in the supplier's currency.
supplier_prices = Table(
    "supplier_prices",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("supplier_id", Id, ForeignKey("suppliers.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("supplier_sku", String(64)),
    Column("unit_cost", ScaledDecimal, nullable=False),
    Column("min_order_quantity", ScaledDecimal),
    Column("pack_size", ScaledDecimal),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("supplier_id", "item_id", name="uq_supplier_prices_supplier_id_item_id"),
    Index("ix_supplier_prices_item_id", "item_id"),
)

purchase_orders = Table(
    "purchase_orders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("supplier_id", Id, ForeignKey("suppliers.id"), nullable=False),
    # The supplier's own number for the order (their sales order or confirmation).
    Column("supplier_reference", String(100)),
    Column("currency", String(3), nullable=False),
    Column("destination_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("expected_date", Date),
    Column("status", String(20), nullable=False),
    Column("note", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("ordered_at", UtcDateTime),
    Column("closed_at", UtcDateTime),
    Column("cancelled_at", UtcDateTime),
    UniqueConstraint("supplier_id", "supplier_reference", name="uq_purchase_orders_supplier_id_supplier_reference"),
    Index("ix_purchase_orders_status", "status", "id"),
)

purchase_order_lines = Table(
    "purchase_order_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("purchase_orders.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("quantity", ScaledDecimal, nullable=False),
    # In the order's currency.
    Column("unit_cost", ScaledDecimal, nullable=False),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    UniqueConstraint("order_id", "line_no", name="uq_purchase_order_lines_order_id_line_no"),
    Index("ix_purchase_order_lines_item_id", "item_id"),
)

receipts = Table(
    "receipts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("order_id", Id, ForeignKey("purchase_orders.id"), nullable=False),
    Column("posting_id", Id, ForeignKey("postings.id"), nullable=False),
    Column("currency", String(3), nullable=False),
    # Company currency per unit of the order's currency, on the day of the receipt.
    Column("exchange_rate", ScaledDecimal, nullable=False),
    # The supplier's delivery note or packing slip number.
    Column("delivery_reference", String(100)),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_receipts_order_id", "order_id"),
)

receipt_lines = Table(
    "receipt_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("receipt_id", Id, ForeignKey("receipts.id"), nullable=False),
    Column("order_line_id", Id, ForeignKey("purchase_order_lines.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("lot_id", Id, ForeignKey("lots.id")),
    Column("quantity", ScaledDecimal, nullable=False),
    # In the order's currency: the cost its layers take.
    Column("unit_cost", ScaledDecimal, nullable=False),
    # The supplier's invoiced cost when it differs from unit_cost (the order's) and the
    # difference goes to the purchase price variance account (revision 0032).
    Column("invoiced_unit_cost", ScaledDecimal),
    CheckConstraint("quantity > 0", name="positive_quantity"),
    Index("ix_receipt_lines_receipt_id", "receipt_id"),
    Index("ix_receipt_lines_order_line_id", "order_line_id"),
    # Where a lot came from: the backward trace (revision 0017).
    Index("ix_receipt_lines_lot_id", "lot_id"),
)

landed_costs = Table(
    "landed_costs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("receipt_id", Id, ForeignKey("receipts.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount", ScaledDecimal, nullable=False),
    Column("currency", String(3), nullable=False),
    # Company currency per unit of the landed cost's currency.
    Column("exchange_rate", ScaledDecimal, nullable=False),
    Column("method", String(16), nullable=False),
    Column("reference", String(100)),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_landed_costs_receipt_id", "receipt_id"),
)

# One landed cost's share of one receipt line, in the landed cost's currency.
landed_cost_allocations = Table(
    "landed_cost_allocations",
    metadata,
    Column("landed_cost_id", Id, ForeignKey("landed_costs.id"), primary_key=True),
    Column("receipt_line_id", Id, ForeignKey("receipt_lines.id"), primary_key=True),
    Column("amount", ScaledDecimal, nullable=False),
    Index("ix_landed_cost_allocations_receipt_line_id", "receipt_line_id"),
)
