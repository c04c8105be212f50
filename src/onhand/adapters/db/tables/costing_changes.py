"""Changes of costing method with history (revision 0013): the company's, or one item's own.

A change is placed in the items' histories like a move: at (effective_at, the newest
move id when it was made); valuation crosses it there (domain/valuation/method_changes.py).
`company.costing_method` and `item_costing` keep the method in force now.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import UtcDateTime

costing_method_changes = Table(
    "costing_method_changes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("item_id", Id, ForeignKey("items.id")),  # None: the company's method
    # The method from then on; for an item None means "follows the company's method again".
    Column("method", String(16)),
    Column("previous", String(16)),  # the setting before (None: the item followed the company's)
    Column("effective_at", UtcDateTime, nullable=False),
    Column("after_move_id", Id, nullable=False),  # the newest move then (0: none): the change comes after it
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_costing_method_changes_item_id", "item_id", "effective_at"),
)
