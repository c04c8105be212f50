"""Read models of bundles, bills of materials, build orders and lot genealogy."""

from __future__ import annotations

from onhand.domain.assemblies.views import (
    BillOfMaterials,
    BuildOrderView,
    BuildRunView,
    ComponentStock,
    ComponentView,
    GenealogyLine,
    GenealogyLink,
    KitAvailability,
    LocationQuantity,
    LotGenealogy,
)

# Re-exported: these read models live in the domain now (callers elsewhere keep working).
__all__ = [
    "BillOfMaterials",
    "BuildOrderView",
    "BuildRunView",
    "ComponentStock",
    "ComponentView",
    "GenealogyLine",
    "GenealogyLink",
    "KitAvailability",
    "LocationQuantity",
    "LotGenealogy",
]
