"""The commands of traceability: recall (or quarantine) lots, and release a recall
(see domain/commands.py). Lots are named by SKU and code; the service finds them and
checks the status and the quarantine place, naming the field as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from onhand.domain.commands import as_tuple


@dataclass(frozen=True)
class LotRef:
    """A lot named by its item's SKU and its code."""

    sku: str
    lot: str


@dataclass(frozen=True)
class RecallLots:
    """Stop these lots (and those by `supplier_lot`) and every lot built from them with
    `status` (recalled or quarantined); with `quarantine_location` their stock on hand
    moves there. Without a reference the recall is numbered (RC-000123)."""

    lots: tuple[LotRef, ...] = ()
    supplier_lot: str | None = None
    status: str = "recalled"
    quarantine_location: str | None = None
    reference: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lots", as_tuple(self.lots))


@dataclass(frozen=True)
class ReleaseRecall:
    reference: str
