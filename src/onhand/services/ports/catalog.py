"""Ports of the catalog area: what the services ask of its repositories."""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Protocol

from onhand.domain.catalog.items import Item
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.catalog.lots import Lot, LotStatus
from onhand.domain.catalog.views import Company
from onhand.domain.quantities import UnitOfMeasure


class CompanyRepository(Protocol):
    """`uow.company`: The one company row: name, time zone, currency, policies and lock date."""

    def get(self) -> Company: ...

    def lock_date(self) -> date | None: ...

    def save(self, value: Company) -> None: ...


class UnitRepository(Protocol):
    """`uow.units`: Units of measure."""

    def get(self, code: str) -> UnitOfMeasure | None: ...

    def list(self) -> builtins.list[UnitOfMeasure]: ...

    def add(self, unit: UnitOfMeasure) -> None: ...


class ReasonCodeRepository(Protocol):
    """`uow.reasons`: Reason codes of adjustments."""

    def exists(self, code: str) -> bool: ...

    def list(self) -> builtins.list[tuple[str, str]]: ...


class ItemRepository(Protocol):
    """`uow.items`: Items (SKUs)."""

    def add(self, item: Item, created_at: datetime) -> int: ...

    def update(self, item: Item) -> None: ...

    def set_archived(self, item: Item, at: datetime | None) -> None: ...

    def get(self, item_id: int) -> Item | None: ...

    def get_by_sku(self, sku: str) -> Item | None: ...

    def read_skus(self, skus: Iterable[str]) -> None: ...

    def get_by_gtin(self, gtin: str) -> Item | None: ...

    def by_skus(self, skus: builtins.list[str]) -> dict[str, Item]: ...

    def by_ids(self, ids: builtins.list[int]) -> dict[int, Item]: ...

    def list(
        self, *, search: str | None = None, limit: int = 100, offset: int = 0, ids: Sequence[int] | None = None,
        archived: bool | None = False,
    ) -> builtins.list[Item]: ...


class LocationRepository(Protocol):
    """`uow.locations`: Locations, internal and virtual (cached per database)."""

    def add(self, location: Location, created_at: datetime) -> Location: ...

    def update(self, location: Location) -> None: ...

    def set_archived(self, location: Location, at: datetime | None) -> None: ...

    def get_by_code(self, code: str) -> Location | None: ...

    def virtual(self, kind: LocationKind) -> Location: ...

    def by_id(self) -> dict[int, Location]: ...

    def all(self) -> tuple[Location, ...]: ...


class LotRepository(Protocol):
    """`uow.lots`: Lots of tracked items and their status."""

    def add(
        self,
        item_id: int,
        code: str,
        *,
        expiry_date: date | None,
        production_date: date | None,
        created_at: datetime,
    ) -> Lot: ...

    def get(self, item_id: int, code: str) -> Lot | None: ...

    def by_ids(self, ids: list[int]) -> dict[int, Lot]: ...

    def by_codes(self, keys: Collection[tuple[int, str]]) -> dict[tuple[int, str], Lot]:
        """The lots of these (item id, code) that exist, in one read."""
        ...

    def for_item(self, item_id: int) -> list[Lot]: ...

    def set_status(self, lot_id: int, status: LotStatus) -> None: ...
