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

# The read models re-exported here live in the domain now (domain/<area>/views.py);
# callers elsewhere keep importing them from this module.
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
