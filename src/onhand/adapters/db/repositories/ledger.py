"""The ledger: postings and moves (append-only) and the balance projection beside them.

`post` writes a posting, its moves and every balance change in the caller's
transaction. Decreases at guarded locations are conditional updates
(`... WHERE on_hand + :delta >= 0`), so two concurrent takers can never both win the
last unit; rows are touched in one order for every posting (guarded rows first, then the
others, each by key) so concurrent postings cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, type_coerce, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from onhand.adapters.db.tables import balances, items, locations, lots, moves, postings
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.ledger import BalanceKey, Guard, PostingDraft
from onhand.domain.locations import INTERNAL_KINDS
from onhand.services.views import BalanceRow, MoveView, PostingView

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
_ADD_POSTING = insert(postings)
_ADD_MOVE = insert(moves)
_ADD_POSTINGS = insert(postings).returning(postings.c.id, sort_by_parameter_order=True)
_ADD_MOVES = insert(moves).returning(moves.c.id, sort_by_parameter_order=True)
# Parameter names must differ from column names in UPDATE statements.
_KEY = (
    balances.c.item_id == bindparam("b_item"),
    balances.c.location_id == bindparam("b_location"),
    balances.c.lot_key == bindparam("b_lot"),
)
_DELTA = bindparam("delta", type_=ScaledDecimal())
_HELD = select(balances.c.on_hand, balances.c.reserved).where(*_KEY)
# A guarded decrease: it happens only if what may be taken covers it (see Guard).
_TAKE = {
    Guard.ON_HAND: update(balances)
    .where(*_KEY, balances.c.on_hand + _DELTA >= 0)
    .values(on_hand=balances.c.on_hand + _DELTA),
    Guard.FREE: update(balances)
    .where(*_KEY, balances.c.on_hand - balances.c.reserved + _DELTA >= 0)
    .values(on_hand=balances.c.on_hand + _DELTA),
}
_ADD_BY_DIALECT: dict[str, Any] = {}
_BALANCES = (
    select(
        balances.c.item_id,
        items.c.sku,
        balances.c.location_id,
        balances.c.lot_key,
        lots.c.code.label("lot_code"),
        lots.c.status.label("lot_status"),
        lots.c.expiry_date,
        balances.c.on_hand,
        balances.c.reserved,
    )
    .join_from(balances, items, balances.c.item_id == items.c.id)
    .outerjoin(lots, balances.c.lot_key == lots.c.id)
    .where(balances.c.location_id.in_(bindparam("location_ids", expanding=True)))
    .where((balances.c.on_hand != 0) | (balances.c.reserved != 0))
    .order_by(items.c.sku, balances.c.location_id, lots.c.expiry_date, balances.c.lot_key)
)
_BALANCE_QUERIES = {
    (by_item, by_lot): _BALANCES.where(
        *([balances.c.item_id.in_(bindparam("item_ids", expanding=True))] if by_item else []),
        *([balances.c.lot_key == bindparam("lot_id")] if by_lot else []),
    )
    for by_item in (False, True)
    for by_lot in (False, True)
}


def _balance_query(by_item: bool, by_lot: bool) -> Any:
    """The balance listing, filtered by items and/or a lot: four statements built once."""
    return _BALANCE_QUERIES[(by_item, by_lot)]


def _add_to_balance(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO UPDATE adding `delta` to on hand, built once per dialect."""
    if dialect not in _ADD_BY_DIALECT:
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = make(balances).values(
            item_id=bindparam("b_item"), location_id=bindparam("b_location"),
            lot_key=bindparam("b_lot"), on_hand=_DELTA, reserved=ZERO,
        )
        _ADD_BY_DIALECT[dialect] = statement.on_conflict_do_update(
            index_elements=[balances.c.item_id, balances.c.location_id, balances.c.lot_key],
            set_={"on_hand": balances.c.on_hand + statement.excluded.on_hand},
        )
    return _ADD_BY_DIALECT[dialect]


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
        dialect = conn.dialect.name
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self._add = _add_to_balance(dialect)

    # --- writing -------------------------------------------------------------------

    def add_posting(
        self,
        draft: PostingDraft,
        *,
        created_at: datetime,
        effective_at: datetime,
        actor: str | None,
    ) -> int:
        result = self._conn.execute(
            _ADD_POSTING,
            {
                "kind": draft.kind.value,
                "reason": draft.reason,
                "reference": draft.reference,
                "note": draft.note,
                "created_at": created_at,
                "effective_at": effective_at,
                "actor": actor,
            },
        )
        posting_id = int(result.inserted_primary_key[0])
        if draft.moves:
            self._conn.execute(_ADD_MOVE, _move_rows(posting_id, draft))
        return posting_id

    def add_postings(
        self,
        drafts: list[PostingDraft],
        *,
        created_at: datetime,
        effective_at: datetime,
        actor: str | None,
    ) -> list[tuple[int, list[int]]]:
        """Append several postings in two statements; returns each one's id and move ids (in order)."""
        heads = self._conn.execute(
            _ADD_POSTINGS,
            [
                {"kind": d.kind.value, "reason": d.reason, "reference": d.reference, "note": d.note,
                 "created_at": created_at, "effective_at": effective_at, "actor": actor}
                for d in drafts
            ],
        )
        posting_ids = [int(row[0]) for row in heads]
        rows = [row for posting_id, d in zip(posting_ids, drafts, strict=True) for row in _move_rows(posting_id, d)]
        move_ids = [int(row[0]) for row in self._conn.execute(_ADD_MOVES, rows)] if rows else []
        found, start = [], 0
        for posting_id, draft in zip(posting_ids, drafts, strict=True):
            found.append((posting_id, move_ids[start:start + len(draft.moves)]))
            start += len(draft.moves)
        return found

    def apply_deltas(
        self, deltas: dict[BalanceKey, Decimal], guarded_locations: set[int], guard: Guard
    ) -> list[tuple[BalanceKey, Decimal]]:
        """Apply on-hand changes; return (key, what there was) for each guarded row that fell short.

        With `Guard.FREE` a decrease may take only unreserved stock. Many rows are
        changed in two statements (guarded decreases, then additions); should a guarded
        decrease fall short, they are undone and applied row by row to say which.
        """
        # One order for every posting: guarded rows first, then the others, each by key,
        # so two postings never lock the same rows in opposite orders.
        keys = sorted(deltas, key=lambda key: (key[1] not in guarded_locations, key))
        takes = [key for key in keys if deltas[key] < 0 and key[1] in guarded_locations]
        adds = [key for key in keys if not (deltas[key] < 0 and key[1] in guarded_locations)]
        # In two statements only when that is the same order: every addition at an
        # unguarded place (a wave of shipments: stock → customer).
        if len(keys) <= 2 or any(key[1] in guarded_locations for key in adds):
            return self._apply_each(keys, deltas, guarded_locations, guard)

        def params(key: BalanceKey) -> dict[str, Any]:
            return {"b_item": key[0], "b_location": key[1], "b_lot": key[2], "delta": deltas[key]}

        if takes:
            attempt = self._conn.begin_nested()
            if self._conn.execute(_TAKE[guard], [params(key) for key in takes]).rowcount != len(takes):
                attempt.rollback()
                return self._apply_each(keys, deltas, guarded_locations, guard)
            attempt.commit()
        if adds:
            self._conn.execute(self._add, [params(key) for key in adds])
        return []

    def _apply_each(
        self, keys: list[BalanceKey], deltas: dict[BalanceKey, Decimal], guarded_locations: set[int], guard: Guard
    ) -> list[tuple[BalanceKey, Decimal]]:
        shortages: list[tuple[BalanceKey, Decimal]] = []
        for key in keys:
            delta = deltas[key]
            params = {"b_item": key[0], "b_location": key[1], "b_lot": key[2], "delta": delta}
            if delta < 0 and key[1] in guarded_locations:
                taken = self._conn.execute(_TAKE[guard], params)
                if taken.rowcount != 1:
                    basis = balances.c.on_hand - balances.c.reserved if guard is Guard.FREE else balances.c.on_hand
                    shortages.append((key, self._current(key, basis)))
            else:
                self._conn.execute(self._add, params)
        return shortages

    @staticmethod
    def _key_filter(key: BalanceKey) -> tuple[Any, ...]:
        item_id, location_id, lot_key = key
        return (
            balances.c.item_id == item_id,
            balances.c.location_id == location_id,
            balances.c.lot_key == lot_key,
        )

    # --- reading -------------------------------------------------------------------

    def _current(self, key: BalanceKey, basis: Any) -> Decimal:
        value = self._conn.execute(select(basis).where(*self._key_filter(key))).scalar()
        return value if value is not None else ZERO

    def overcommitted(self, keys: list[BalanceKey]) -> list[tuple[BalanceKey, Decimal]]:
        """(key, reserved − on hand) for each balance promising more than it holds."""
        found = []
        for key in sorted(keys):
            row = self._conn.execute(_HELD, {"b_item": key[0], "b_location": key[1], "b_lot": key[2]}).first()
            if row is not None and row.reserved > max(row.on_hand, ZERO):
                found.append((key, row.reserved - max(row.on_hand, ZERO)))
        return found

    def on_hand(self, key: BalanceKey) -> Decimal:
        value = self._conn.execute(select(balances.c.on_hand).where(*self._key_filter(key))).scalar()
        return value if value is not None else ZERO

    def on_hand_for_update(self, key: BalanceKey) -> Decimal:
        """On hand, with the row locked until commit (PostgreSQL; SQLite writers are serial)."""
        query = select(balances.c.on_hand).where(*self._key_filter(key)).with_for_update()
        value = self._conn.execute(query).scalar()
        return value if value is not None else ZERO

    def internal_on_hand_of_lot(self, item_id: int, lot_id: int) -> Decimal:
        query = (
            select(func.sum(balances.c.on_hand))
            .join_from(balances, locations, balances.c.location_id == locations.c.id)
            .where(
                balances.c.item_id == item_id,
                balances.c.lot_key == lot_id,
                locations.c.kind.in_([kind.value for kind in INTERNAL_KINDS]),
            )
        )
        return self._conn.execute(query).scalar() or ZERO

    def balance_rows(
        self,
        *,
        item_ids: list[int] | None,
        location_ids: list[int],
        lot_id: int | None = None,
    ) -> list[BalanceRow]:
        query = _balance_query(item_ids is not None, lot_id is not None)
        params = {"location_ids": location_ids, "item_ids": item_ids or [], "lot_id": lot_id}
        return [
            BalanceRow(
                item_id=r.item_id,
                sku=r.sku,
                location_id=r.location_id,
                lot_id=r.lot_key or None,
                lot_code=r.lot_code,
                lot_status=r.lot_status,
                lot_expiry=r.expiry_date,
                on_hand=r.on_hand,
                reserved=r.reserved,
            )
            for r in self._conn.execute(query, params)
        ]

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

    # --- integrity -----------------------------------------------------------------

    def ledger_fold(self) -> dict[BalanceKey, Decimal]:
        """On hand per (item, location, lot) computed from the moves alone, in SQL."""
        lot_key = func.coalesce(moves.c.lot_id, 0)
        inbound = select(
            moves.c.item_id, moves.c.to_location_id.label("location_id"),
            lot_key.label("lot_key"), moves.c.quantity.label("quantity"),
        )
        outbound = select(
            moves.c.item_id, moves.c.from_location_id.label("location_id"),
            lot_key.label("lot_key"), type_coerce(-moves.c.quantity, ScaledDecimal).label("quantity"),
        )
        sides = union_all(inbound, outbound).subquery()
        total = type_coerce(func.sum(sides.c.quantity), ScaledDecimal)
        query = select(sides.c.item_id, sides.c.location_id, sides.c.lot_key, total).group_by(
            sides.c.item_id, sides.c.location_id, sides.c.lot_key
        )
        return {(r[0], r[1], r[2]): r[3] for r in self._conn.execute(query)}

    def projection(self) -> dict[BalanceKey, Decimal]:
        query = select(balances.c.item_id, balances.c.location_id, balances.c.lot_key, balances.c.on_hand)
        return {(r[0], r[1], r[2]): r[3] for r in self._conn.execute(query)}

    def lock_for_rebuild(self) -> None:
        """Keep writers out while balances are rewritten (SQLite's writer lock suffices)."""
        if self._conn.dialect.name == "postgresql":
            self._conn.exec_driver_sql("LOCK TABLE moves, balances IN EXCLUSIVE MODE")

    def move_count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(moves)).scalar_one())

    def set_on_hand(self, values: Iterable[tuple[BalanceKey, Decimal]]) -> None:
        for key, value in values:
            item_id, location_id, lot_key = key
            statement = self._insert(balances).values(
                item_id=item_id, location_id=location_id, lot_key=lot_key,
                on_hand=value, reserved=ZERO,
            )
            statement = statement.on_conflict_do_update(
                index_elements=[balances.c.item_id, balances.c.location_id, balances.c.lot_key],
                set_={"on_hand": statement.excluded.on_hand},
            )
            self._conn.execute(statement)
