"""Read models of bills of materials, kits, builds and lot genealogy: plain and immutable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class ComponentView:
    sku: str
    name: str
    unit: str
    quantity: Decimal  # per one unit of the parent, in the component's unit
    scrap_percent: Decimal = Decimal(0)
    kind: str = "stocked"  # a component that is itself a bundle says so


@dataclass(frozen=True)
class BillOfMaterials:
    """A bundle's components (kind "bundle") or an item's recipe (kind "build")."""

    sku: str
    name: str
    kind: str
    components: tuple[ComponentView, ...]
    labour_cost: Decimal = Decimal(0)
    overhead_cost: Decimal = Decimal(0)
    note: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class LocationQuantity:
    location: str
    quantity: Decimal


@dataclass(frozen=True)
class ComponentStock:
    """One flattened component: what one parent needs, and what is available of it."""

    sku: str
    per_unit: Decimal
    available: Decimal


@dataclass(frozen=True)
class KitAvailability:
    """A bundle's availability (or an assembly's "can build"), in total and per location."""

    sku: str
    available: Decimal
    locations: tuple[LocationQuantity, ...]
    components: tuple[ComponentStock, ...]


@dataclass(frozen=True)
class GenealogyLine:
    """`quantity` of `sku` lot `lot` consumed by (or recovered from) a build run."""

    sku: str
    lot: str | None
    quantity: Decimal
    expiry_date: date | None = None


@dataclass(frozen=True)
class BuildRunView:
    id: int
    kind: str  # build or disassembly
    build_order: str | None
    posting_id: int
    sku: str
    lot: str | None  # the assembled item's lot made (build) or taken apart (disassembly)
    location: str
    quantity: Decimal
    reference: str | None
    created_at: datetime
    components: tuple[GenealogyLine, ...]


@dataclass(frozen=True)
class BuildOrderView:
    id: int
    reference: str
    sku: str
    location: str
    quantity: Decimal
    built: Decimal
    status: str
    note: str | None
    created_at: datetime
    updated_at: datetime
    runs: tuple[BuildRunView, ...] = ()

    @property
    def remaining(self) -> Decimal:
        return max(self.quantity - self.built, Decimal(0)) if self.status not in ("done", "cancelled") else Decimal(0)


@dataclass(frozen=True)
class GenealogyLink:
    """One edge of the lot graph: `child` went into `parent` (build) or came out of it (disassembly)."""

    run_id: int
    kind: str
    build_order: str | None
    posting_id: int
    location: str
    created_at: datetime
    parent_sku: str
    parent_lot: str | None
    child_sku: str
    child_lot: str | None
    quantity: Decimal
    depth: int = 1


@dataclass(frozen=True)
class LotGenealogy:
    """What went into a lot (`made_from`), and which lots it went into (`used_in`), to `levels` deep."""

    sku: str
    lot: str
    made_from: tuple[GenealogyLink, ...]
    used_in: tuple[GenealogyLink, ...]
