"""Ports of cycle counts: what their services ask of the repository (`uow.cycle_counts`)."""

from __future__ import annotations

import builtins
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from onhand.domain.planning.cycle_counts import SessionStatus
from onhand.domain.planning.records import SessionLine, SessionRecord


class CycleCountRepository(Protocol):
    def value_shipped(self, *, since: datetime, until: datetime) -> dict[int, Decimal]: ...

    def stocked_items(self) -> builtins.list[tuple[int, str]]: ...

    def stock(self, location_ids: builtins.list[int]) -> builtins.list[tuple[int, int, Decimal]]: ...

    def last_counted(self, location_ids: builtins.list[int]) -> dict[tuple[int, int], datetime]: ...

    def book(self, location_id: int, item_ids: builtins.list[int] | None
             ) -> builtins.list[tuple[int, int, Decimal]]: ...

    def on_hand(self, location_id: int, keys: builtins.list[tuple[int, int]]) -> dict[tuple[int, int], Decimal]: ...

    def open_session(self, location_id: int, at: datetime, by: str,
                     lines: builtins.list[tuple[int, int, Decimal]]) -> int: ...

    def session(self, session_id: int, *, for_update: bool = False) -> SessionRecord | None: ...

    def sessions(self, status: SessionStatus | None, limit: int) -> builtins.list[SessionRecord]: ...

    def lines(self, session_id: int) -> builtins.list[SessionLine]: ...

    def set_count(self, session_id: int, item_id: int, lot_key: int, counted: Decimal, at: datetime,
                  *, frozen_if_new: Decimal) -> None: ...

    def close(self, session_id: int, status: SessionStatus, at: datetime, posting_id: int | None) -> bool: ...
