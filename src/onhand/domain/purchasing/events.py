"""What this area tells others, in the same transaction: a document's status changed
(the change feed records it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PurchaseOrderStatusChanged:
    order_id: int
    status: str
    previous: str | None  # None: just created
