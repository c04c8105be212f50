"""Ports of the ledger area: what the services ask of its repositories."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from onhand.domain.ledger.postings import BalanceKey, Guard, PostingDraft, Refusals
from onhand.domain.ledger.views import BalanceRow, MoveView, PostingView


class LedgerRepository(Protocol):
    """`uow.ledger`: Postings and their moves: append-only."""

    def add_postings(
        self,
        drafts: list[PostingDraft],
        *,
        created_at: datetime,
        effective_at: datetime,
        actor: str | None,
    ) -> list[tuple[int, list[int]]]: ...

    def add_moves(self, posting_id: int, draft: PostingDraft) -> list[int]:
        """More moves of a posting `add_postings` wrote in this transaction (a posting in parts)."""
        ...

    def posting(self, posting_id: int) -> PostingView | None: ...

    def history(
        self,
        *,
        item_id: int | None,
        location_ids: list[int] | None,
        lot_id: int | None,
        limit: int,
        before_id: int | None,
    ) -> list[MoveView]: ...

    def move_count(self) -> int: ...

    def daily_net_in(self, *, item_id: int, location_ids: list[int]) -> list[tuple[date, Decimal]]:
        """Per UTC day (by effective time) with moves: what of the item came into these places
        from outside them, less what left them; every day of history."""
        ...

    def daily_moved(self, *, posting_kind: str, since: datetime) -> list[tuple[date, Decimal]]:
        """Per UTC day since `since`: the quantity moved by postings of this kind."""
        ...


class BalanceRepository(Protocol):
    """`uow.balances`: Balance rows (item, location, lot): on hand with the oversell guard, and reads of them."""

    def apply_deltas(
        self, deltas: dict[BalanceKey, Decimal], guarded_locations: set[int], guard: Guard
    ) -> Refusals: ...

    def on_hand(self, key: BalanceKey) -> Decimal: ...

    def overcommitted(self, keys: list[BalanceKey]) -> list[tuple[BalanceKey, Decimal]]: ...

    def on_hand_for_update(self, key: BalanceKey) -> Decimal: ...

    def internal_on_hand_of_lot(self, item_id: int, lot_id: int) -> Decimal: ...

    def balance_rows(
        self,
        *,
        item_ids: list[int] | None,
        location_ids: list[int],
        lot_id: int | None = None,
    ) -> list[BalanceRow]: ...

    def lock_for_rebuild(self) -> None: ...

    def set_on_hand(self, values: Iterable[tuple[BalanceKey, Decimal]]) -> None: ...


class StockRowReader(Protocol):
    """`uow.stock_rows`: Lean reads of balance rows, SKUs and lots for stock reports."""

    def balances(
        self, *, item_ids: list[int] | None, lot_id: int | None = None, location_ids: Iterable[int] | None = None,
    ) -> list[Any]: ...

    def skus(self, item_ids: Iterable[int]) -> dict[int, str]: ...

    def lots(self, lot_ids: Iterable[int]) -> dict[int, tuple[str, str, date | None]]: ...


class IntegrityRepository(Protocol):
    """`uow.integrity`: The projections and the ledger side by side, for `verify`."""

    def projection_differences(self) -> Iterator[tuple[BalanceKey, Decimal, Decimal]]: ...

    def below_zero(
        self, location_ids: Iterable[int], others: Iterable[int]
    ) -> Iterator[tuple[BalanceKey, Decimal]]: ...

    def balance_count(self) -> int: ...

    def reserved(self) -> dict[BalanceKey, tuple[Decimal, Decimal]]: ...

    def promised(self) -> dict[BalanceKey, Decimal]: ...

    def promising_lines(self) -> Iterator[tuple[str, Any, int, Decimal, Decimal, Decimal]]: ...

    def stored_out_of_range(self) -> list[tuple[str, int, int, int, str]]: ...
