"""Ports of the assemblies area: what the services ask of its repositories."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from onhand.domain.assemblies.builds import BuildStatus
from onhand.domain.assemblies.bundles import Component
from onhand.domain.assemblies.records import BuildOrderRecord, BuiltSoFar, LinkRecord
from onhand.domain.assemblies.views import BillOfMaterials, BuildOrderView, BuildRunView


class BomRepository(Protocol):
    """`uow.boms`: Bills of materials and bundle recipes, and the graphs of both."""

    def save(
        self,
        item_id: int,
        components: list[Component],
        *,
        labour_cost: Decimal,
        overhead_cost: Decimal,
        note: str | None,
        now: datetime,
    ) -> None: ...

    def components(self, item_id: int) -> list[Component] | None: ...

    def view(self, item_id: int) -> BillOfMaterials | None: ...

    def kit_graph(self) -> dict[int, list[Component]]: ...

    def recipe_graph(self) -> dict[int, list[Component]]: ...

    def bundles(self) -> list[tuple[int, str]]: ...


class BuildRepository(Protocol):
    """`uow.builds`: Build orders, build and disassembly runs, and the lot genealogy they record."""

    def add_order(
        self, *, reference: str | None, item_id: int, location_id: int, quantity: Decimal,
        note: str | None, now: datetime,
    ) -> int: ...

    def set_reference(self, order_id: int, reference: str) -> None: ...

    def by_reference(self, reference: str) -> BuildOrderRecord | None: ...

    def record_built(self, order_id: int, quantity: Decimal, now: datetime) -> BuiltSoFar | None: ...

    def set_status(self, order_id: int, *, current: BuildStatus, new: BuildStatus, now: datetime) -> bool: ...

    def view(self, order_id: int) -> BuildOrderView | None: ...

    def view_after_run(self, run_id: int) -> BuildOrderView | None: ...

    def list(self, *, status: BuildStatus | None, limit: int, offset: int) -> builtins.list[BuildOrderView]: ...

    def add_run(
        self, *, kind: str, order_id: int | None, posting_id: int, item_id: int, lot_id: int | None,
        location_id: int, quantity: Decimal, reference: str | None, now: datetime,
    ) -> int: ...

    def add_links(
        self, run_id: int, parent: tuple[int, int | None], children: Iterable[tuple[int, int | None, Decimal]]
    ) -> None: ...

    def run(self, run_id: int) -> BuildRunView | None: ...

    def links_into(self, lot_ids: builtins.list[int]) -> builtins.list[LinkRecord]: ...

    def links_from(self, lot_ids: builtins.list[int]) -> builtins.list[LinkRecord]: ...
