"""What the build repository gives the services: build orders and genealogy edges as typed records."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from onhand.domain.assemblies.builds import BuildStatus
from onhand.domain.assemblies.views import GenealogyLink


@dataclass(frozen=True)
class BuiltSoFar:
    built: Decimal
    planned: Decimal
    status: BuildStatus


@dataclass(frozen=True)
class BuildOrderRecord:
    id: int
    reference: str
    item_id: int
    location_id: int
    quantity: Decimal
    built: Decimal
    status: BuildStatus


@dataclass(frozen=True)
class LinkRecord:
    """A genealogy edge with the ids a walk over the lot graph needs."""

    link: GenealogyLink
    parent_lot_id: int | None
    child_lot_id: int | None
    child_item_id: int
