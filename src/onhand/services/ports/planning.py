"""Ports of the planning area: what the services ask of its repository."""

from __future__ import annotations

import builtins
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from onhand.domain.planning.records import DailyDemand, DemandSums, OpenAlert, OpenDocument, StockAt, SupplierOffer
from onhand.domain.planning.rules import ReorderRule


class PlanningRepository(Protocol):
    """`uow.planning`: reorder rules, the set-based reads planning needs, and open alerts."""

    def rules(
        self, *, item_ids: builtins.list[int] | None = None, ordered: bool = True
    ) -> builtins.list[ReorderRule]: ...

    def save_rule(self, item_id: int, location_id: int, values: dict[str, Any], at: datetime) -> int: ...

    def remove_rule(self, item_id: int, location_id: int) -> bool: ...

    def stock(self, *, item_ids: builtins.list[int] | None) -> builtins.list[StockAt]: ...

    def documents(self, *, item_ids: builtins.list[int] | None) -> builtins.list[OpenDocument]: ...

    def demand(
        self, *, item_ids: builtins.list[int] | None, since: datetime, until: datetime, utc_offset_minutes: int,
        sites: dict[int, int],
    ) -> builtins.list[DemandSums]: ...

    def daily_demand(
        self, *, item_ids: builtins.list[int] | None, since: datetime, until: datetime, utc_offset_minutes: int,
        sites: dict[int, int],
    ) -> builtins.list[DailyDemand]: ...

    def offers(self, *, item_ids: builtins.list[int] | None) -> builtins.list[SupplierOffer]: ...

    def open_alerts(self) -> builtins.list[OpenAlert]: ...

    def raise_alert(
        self, *, key: str, kind: str, item_id: int, location_id: int, lot_id: int | None, quantity: Decimal,
        day: date | None, message: str, at: datetime,
    ) -> None: ...

    def clear_alerts(self, keys: builtins.list[str], at: datetime) -> None: ...
