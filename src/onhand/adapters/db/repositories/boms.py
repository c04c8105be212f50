"""Bundles' components and bills of materials: one header per parent item, its lines."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from onhand.adapters.db.tables import items, units
from onhand.adapters.db.tables.assemblies import bills_of_materials, bom_lines
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.assemblies.bundles import Component
from onhand.domain.assemblies.views import BillOfMaterials, ComponentView
from onhand.domain.catalog.items import ItemKind

_PARENT = items.alias("parent")
_HEADER = (
    select(bills_of_materials, _PARENT.c.sku, _PARENT.c.name, _PARENT.c.kind)
    .join_from(bills_of_materials, _PARENT, bills_of_materials.c.item_id == _PARENT.c.id)
    .where(bills_of_materials.c.item_id == bindparam("item_id"))
)
_LINES = (
    select(
        bom_lines.c.component_item_id, bom_lines.c.quantity, bom_lines.c.scrap_percent,
        items.c.sku, items.c.name, items.c.kind, units.c.code.label("unit_code"),
    )
    .join_from(bom_lines, items, bom_lines.c.component_item_id == items.c.id)
    .join(units, items.c.unit_code == units.c.code)
    .where(bom_lines.c.bom_id == bindparam("bom_id"))
    .order_by(bom_lines.c.line_no)
)
# The whole graph of one family: kits (parents that are bundles) or recipes (the others).
_GRAPH = (
    select(
        bills_of_materials.c.item_id, bom_lines.c.component_item_id,
        bom_lines.c.quantity, bom_lines.c.scrap_percent,
    )
    .join_from(bom_lines, bills_of_materials, bom_lines.c.bom_id == bills_of_materials.c.id)
    .join(_PARENT, bills_of_materials.c.item_id == _PARENT.c.id)
    .order_by(bills_of_materials.c.item_id, bom_lines.c.line_no)
)
_KIT_GRAPH = _GRAPH.where(_PARENT.c.kind == ItemKind.BUNDLE.value)
_RECIPE_GRAPH = _GRAPH.where(_PARENT.c.kind != ItemKind.BUNDLE.value)
_BUNDLES = (
    select(_PARENT.c.id, _PARENT.c.sku)
    .join_from(bills_of_materials, _PARENT, bills_of_materials.c.item_id == _PARENT.c.id)
    .where(_PARENT.c.kind == ItemKind.BUNDLE.value)
    .order_by(_PARENT.c.sku)
)
_ADD_HEADER = insert(bills_of_materials)
_UPDATE_HEADER = (
    update(bills_of_materials)
    .where(bills_of_materials.c.id == bindparam("b_id"))
    .values(
        labour_cost=bindparam("b_labour", type_=ScaledDecimal()),
        overhead_cost=bindparam("b_overhead", type_=ScaledDecimal()),
        note=bindparam("b_note"),
        updated_at=bindparam("b_now"),
    )
)
_ADD_LINE = insert(bom_lines)
_DELETE_LINES = delete(bom_lines).where(bom_lines.c.bom_id == bindparam("b_id"))
_DELETE_HEADER = delete(bills_of_materials).where(bills_of_materials.c.id == bindparam("b_id"))


class BomRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _header(self, item_id: int) -> Any:
        return self._conn.execute(_HEADER, {"item_id": item_id}).first()

    def save(
        self,
        item_id: int,
        components: list[Component],
        *,
        labour_cost: Decimal,
        overhead_cost: Decimal,
        note: str | None,
        now: datetime,
    ) -> None:
        """Replace the parent's components (and costs), creating its header if new."""
        header = self._header(item_id)
        if header is None:
            result = self._conn.execute(
                _ADD_HEADER,
                {
                    "item_id": item_id, "labour_cost": labour_cost, "overhead_cost": overhead_cost,
                    "note": note, "created_at": now, "updated_at": now,
                },
            )
            bom_id = int(result.inserted_primary_key[0])
        else:
            bom_id = header.id
            self._conn.execute(
                _UPDATE_HEADER,
                {"b_id": bom_id, "b_labour": labour_cost, "b_overhead": overhead_cost, "b_note": note, "b_now": now},
            )
            self._conn.execute(_DELETE_LINES, {"b_id": bom_id})
        self._conn.execute(
            _ADD_LINE,
            [
                {
                    "bom_id": bom_id, "line_no": index + 1, "component_item_id": c.item_id,
                    "quantity": c.quantity, "scrap_percent": c.scrap_percent,
                }
                for index, c in enumerate(components)
            ],
        )

    def remove(self, item_id: int) -> bool:
        header = self._header(item_id)
        if header is None:
            return False
        self._conn.execute(_DELETE_LINES, {"b_id": header.id})
        self._conn.execute(_DELETE_HEADER, {"b_id": header.id})
        return True

    def components(self, item_id: int) -> list[Component] | None:
        """The parent's direct components, or None when it has no bill of materials."""
        header = self._header(item_id)
        if header is None:
            return None
        return [
            Component(r.component_item_id, r.quantity, r.scrap_percent)
            for r in self._conn.execute(_LINES, {"bom_id": header.id})
        ]

    def view(self, item_id: int) -> BillOfMaterials | None:
        header = self._header(item_id)
        if header is None:
            return None
        lines = tuple(
            ComponentView(
                sku=r.sku, name=r.name, unit=r.unit_code, quantity=r.quantity,
                scrap_percent=r.scrap_percent, kind=r.kind,
            )
            for r in self._conn.execute(_LINES, {"bom_id": header.id})
        )
        return BillOfMaterials(
            sku=header.sku, name=header.name,
            kind="bundle" if header.kind == ItemKind.BUNDLE.value else "build",
            components=lines, labour_cost=header.labour_cost, overhead_cost=header.overhead_cost,
            note=header.note, updated_at=header.updated_at,
        )

    def kit_graph(self) -> dict[int, list[Component]]:
        """Every bundle's direct components, by bundle item id."""
        return self._graph(_KIT_GRAPH)

    def recipe_graph(self) -> dict[int, list[Component]]:
        """Every bill of materials of a stocked item, by item id."""
        return self._graph(_RECIPE_GRAPH)

    def _graph(self, query: Any) -> dict[int, list[Component]]:
        graph: dict[int, list[Component]] = defaultdict(list)
        for r in self._conn.execute(query):
            graph[r.item_id].append(Component(r.component_item_id, r.quantity, r.scrap_percent))
        return dict(graph)

    def bundles(self) -> list[tuple[int, str]]:
        """(item id, SKU) of every bundle that has components."""
        return [(r.id, r.sku) for r in self._conn.execute(_BUNDLES)]
