"""The ledger: postings and their moves, append-only (the balances beside them: `balances.py`).

Postings are appended in the caller's transaction (`services/postings.post`), many at
once with RETURNING so their moves can be valued by id.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from onhand.adapters.db.hot_inserts import HotInsert
from onhand.adapters.db.sums import exact_sum
from onhand.adapters.db.tables import items, locations, lots, moves, postings
from onhand.domain.ledger.postings import PostingDraft
from onhand.domain.ledger.views import MoveView, PostingView
from onhand.domain.quantities import plain

ZERO = Decimal(0)


_SOURCE = locations.alias("source")
_DESTINATION = locations.alias("destination")
# Built once: moves with everything a reader wants to see beside them.
_MOVES = (
    select(
        moves.c.id,
        moves.c.posting_id,
        items.c.sku,
        lots.c.code.label("lot_code"),
        _SOURCE.c.code.label("source"),
        _DESTINATION.c.code.label("destination"),
        moves.c.quantity,
        postings.c.kind,
        postings.c.reason,
        postings.c.reference,
        postings.c.created_at,
        postings.c.effective_at,
    )
    .join_from(moves, postings, moves.c.posting_id == postings.c.id)
    .join(items, moves.c.item_id == items.c.id)
    .outerjoin(lots, moves.c.lot_id == lots.c.id)
    .join(_SOURCE, moves.c.from_location_id == _SOURCE.c.id)
    .join(_DESTINATION, moves.c.to_location_id == _DESTINATION.c.id)
)
_MOVES_OF_POSTING = _MOVES.where(moves.c.posting_id == bindparam("posting_id")).order_by(moves.c.id)
_POSTING = select(postings).where(postings.c.id == bindparam("posting_id"))
_ADD_POSTINGS = HotInsert(postings, postings.c.id,
                          ("kind", "reason", "reference", "note", "created_at", "effective_at", "actor"))
_ADD_MOVES = HotInsert(moves, moves.c.id,
                       ("posting_id", "item_id", "lot_id", "from_location_id", "to_location_id", "quantity"))
def _move_rows(posting_id: int, draft: PostingDraft) -> list[dict[str, Any]]:
    return [
        {
            "posting_id": posting_id,
            "item_id": m.item.id,
            "lot_id": m.lot.id if m.lot else None,
            "from_location_id": m.source.id,
            "to_location_id": m.destination.id,
            "quantity": m.quantity,
        }
        for m in draft.moves
    ]


class LedgerRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        # The postings of the last `add_postings` of this transaction: a write's response
        # (`posting`) is built from them instead of read back. Postings never change.
        self._written: dict[int, tuple[list[int], PostingDraft, datetime, datetime, str | None]] = {}

    # --- writing -------------------------------------------------------------------

    def add_postings(
        self,
        drafts: list[PostingDraft],
        *,
        created_at: datetime,
        effective_at: datetime,
        actor: str | None,
    ) -> list[tuple[int, list[int]]]:
        """Append several postings in two statements; returns each one's id and move ids (in order)."""
        heads = [
            {"kind": d.kind.value, "reason": d.reason, "reference": d.reference, "note": d.note,
             "created_at": created_at, "effective_at": effective_at, "actor": actor}
            for d in drafts
        ]
        posting_ids = _ADD_POSTINGS.ids(self._conn, heads)
        rows = [row for posting_id, d in zip(posting_ids, drafts, strict=True) for row in _move_rows(posting_id, d)]
        move_ids = _ADD_MOVES.ids(self._conn, rows)
        found, start = [], 0
        for posting_id, draft in zip(posting_ids, drafts, strict=True):
            found.append((posting_id, move_ids[start:start + len(draft.moves)]))
            start += len(draft.moves)
        self._written = {posting_id: (ids, draft, created_at, effective_at, actor)
                         for (posting_id, ids), draft in zip(found, drafts, strict=True)}
        return found

    def add_moves(self, posting_id: int, draft: PostingDraft) -> list[int]:
        """Append `draft`'s moves to the posting `posting_id` (written by `add_postings` in this
        transaction); returns their ids, in order."""
        self._written.pop(posting_id, None)  # no longer all its moves: read back if asked for
        rows = _move_rows(posting_id, draft)
        return _ADD_MOVES.ids(self._conn, rows)

    def _written_view(self, posting_id: int) -> PostingView:
        """A posting this transaction just wrote, as `posting` would read it back (times in
        UTC and quantities in their shortest form, as the column types give them)."""
        ids, draft, created_at, effective_at, actor = self._written[posting_id]
        created, effective = created_at.astimezone(UTC), effective_at.astimezone(UTC)
        kind = draft.kind.value
        return PostingView(
            id=posting_id, kind=kind, reason=draft.reason, reference=draft.reference, note=draft.note,
            created_at=created, effective_at=effective, actor=actor,
            moves=tuple(
                MoveView(id=move_id, posting_id=posting_id, sku=m.item.sku, lot=m.lot.code if m.lot else None,
                         from_location=m.source.code, to_location=m.destination.code, quantity=plain(m.quantity),
                         posting_kind=kind, reason=draft.reason, reference=draft.reference, created_at=created,
                         effective_at=effective)
                for move_id, m in zip(ids, draft.moves, strict=True)
            ),
        )

    @staticmethod
    def _move_view(r: Any) -> MoveView:
        return MoveView(
            id=r.id,
            posting_id=r.posting_id,
            sku=r.sku,
            lot=r.lot_code,
            from_location=r.source,
            to_location=r.destination,
            quantity=r.quantity,
            posting_kind=r.kind,
            reason=r.reason,
            reference=r.reference,
            created_at=r.created_at,
            effective_at=r.effective_at,
        )

    def posting(self, posting_id: int) -> PostingView | None:
        if posting_id in self._written:
            return self._written_view(posting_id)
        row = self._conn.execute(_POSTING, {"posting_id": posting_id}).first()
        if row is None:
            return None
        return PostingView(
            id=row.id,
            kind=row.kind,
            reason=row.reason,
            reference=row.reference,
            note=row.note,
            created_at=row.created_at,
            effective_at=row.effective_at,
            actor=row.actor,
            moves=tuple(self._move_view(r) for r in self._conn.execute(_MOVES_OF_POSTING, {"posting_id": posting_id})),
        )

    def history(
        self,
        *,
        item_id: int | None,
        location_ids: list[int] | None,
        lot_id: int | None,
        limit: int,
        before_id: int | None,
    ) -> list[MoveView]:
        query = _MOVES.order_by(moves.c.id.desc()).limit(limit)
        if item_id is not None:
            query = query.where(moves.c.item_id == item_id)
        if lot_id is not None:
            query = query.where(moves.c.lot_id == lot_id)
        if location_ids is not None:
            query = query.where(
                moves.c.from_location_id.in_(location_ids) | moves.c.to_location_id.in_(location_ids)
            )
        if before_id is not None:
            query = query.where(moves.c.id < before_id)
        return [self._move_view(r) for r in self._conn.execute(query)]

    # --- over time (charts) ---------------------------------------------------------

    def daily_net_in(self, *, item_id: int, location_ids: list[int]) -> list[tuple[date, Decimal]]:
        # One pass over the item's moves (its index), summed per day and pair of places.
        day = func.date(postings.c.effective_at)
        query = (select(day, moves.c.from_location_id, moves.c.to_location_id, exact_sum(moves.c.quantity))
                 .select_from(moves.join(postings, postings.c.id == moves.c.posting_id))
                 .where(moves.c.item_id == item_id)
                 .group_by(day, moves.c.from_location_id, moves.c.to_location_id))
        inside = set(location_ids)
        totals: dict[date, Decimal] = defaultdict(Decimal)
        for found_day, source, destination, quantity in self._conn.execute(query):
            sign = (destination in inside) - (source in inside)  # a move between two of them: 0
            if sign:
                totals[_as_date(found_day)] += sign * quantity
        return sorted(totals.items())

    def daily_moved(self, *, posting_kind: str, since: datetime) -> list[tuple[date, Decimal]]:
        day = func.date(postings.c.effective_at)
        query = (select(day, exact_sum(moves.c.quantity))
                 .select_from(moves.join(postings, postings.c.id == moves.c.posting_id))
                 .where(postings.c.kind == posting_kind, postings.c.effective_at >= since).group_by(day))
        return sorted((_as_date(found_day), quantity) for found_day, quantity in self._conn.execute(query))

    # --- integrity -----------------------------------------------------------------

    def move_count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(moves)).scalar_one())


def _as_date(value: date | str) -> date:
    """SQL's date(): a date from PostgreSQL, its ISO text from SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
