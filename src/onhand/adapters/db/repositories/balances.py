"""Balances: the projection of the ledger per (item, location, lot) — on hand and reserved.

Changed only in a posting's transaction (`services/postings.post`). Decreases at guarded
locations are conditional updates (`... WHERE on_hand + :delta >= 0`), so two concurrent
takers can never both win the last unit; every other change is an upsert guarded the same
way against leaving ±MAX_TOTAL_QUANTITY (`... DO UPDATE ... WHERE on_hand + :delta
BETWEEN -:max AND :max`), so two concurrent adders can never together push a balance out
of the range it is stored in. Rows are touched in one order for every posting (guarded
rows first, then the others, each by key) so concurrent postings cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, literal, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables import balances, items, locations, lots
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.catalog.locations import INTERNAL_KINDS
from onhand.domain.ledger.postings import BalanceKey, Guard, Refusals
from onhand.domain.ledger.views import BalanceRow
from onhand.domain.quantities import MAX_TOTAL_QUANTITY

ZERO = Decimal(0)

# Parameter names must differ from column names in UPDATE statements.
_KEY = (
    balances.c.item_id == bindparam("b_item"),
    balances.c.location_id == bindparam("b_location"),
    balances.c.lot_key == bindparam("b_lot"),
)
_DELTA = bindparam("delta", type_=ScaledDecimal())
_LIMIT_LOW = literal(-MAX_TOTAL_QUANTITY, ScaledDecimal())
_LIMIT_HIGH = literal(MAX_TOTAL_QUANTITY, ScaledDecimal())
_KEYS_IN = tuple_(balances.c.item_id, balances.c.location_id, balances.c.lot_key).in_(bindparam("keys", expanding=True))
_HELD = Hot(select(balances.c.item_id, balances.c.location_id, balances.c.lot_key, balances.c.on_hand,
                   balances.c.reserved).where(_KEYS_IN))
# Rows locked in the one order of every posting (guarded places first, then each by key),
# before they are changed in two statements in another (PostgreSQL).
_LOCK_IN_ORDER = Hot(
    select(balances.c.item_id).where(_KEYS_IN)
    .order_by(case((balances.c.location_id.in_(bindparam("guarded", expanding=True)), 0), else_=1),
              balances.c.item_id, balances.c.location_id, balances.c.lot_key)
    .with_for_update(key_share=True)
)
# A guarded decrease: it happens only if what may be taken covers it (see Guard).
_TAKE = {
    Guard.ON_HAND: Hot(
        update(balances).where(*_KEY, balances.c.on_hand + _DELTA >= 0).values(on_hand=balances.c.on_hand + _DELTA)
    ),
    Guard.FREE: Hot(
        update(balances)
        .where(*_KEY, balances.c.on_hand - balances.c.reserved + _DELTA >= 0)
        .values(on_hand=balances.c.on_hand + _DELTA)
    ),
}
_ADD_BY_DIALECT: dict[str, Hot] = {}
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


def _add_to_balance(dialect: str) -> Hot:
    """INSERT … ON CONFLICT DO UPDATE adding `delta` to on hand, built once per dialect; the
    update happens only if the sum stays within ±MAX_TOTAL_QUANTITY (else no row changes).
    A new row's delta is within it already (checked before: `services/postings`)."""
    if dialect not in _ADD_BY_DIALECT:
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = make(balances).values(
            item_id=bindparam("b_item"), location_id=bindparam("b_location"),
            lot_key=bindparam("b_lot"), on_hand=_DELTA, reserved=ZERO,
        )
        total = balances.c.on_hand + statement.excluded.on_hand
        _ADD_BY_DIALECT[dialect] = Hot(statement.on_conflict_do_update(
            index_elements=[balances.c.item_id, balances.c.location_id, balances.c.lot_key],
            set_={"on_hand": total},
            where=total.between(_LIMIT_LOW, _LIMIT_HIGH),
        ).execution_options(preserve_rowcount=True))  # SQLAlchemy keeps an INSERT's only if asked
    return _ADD_BY_DIALECT[dialect]



class BalanceRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        dialect = conn.dialect.name
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self._add = _add_to_balance(dialect)
        # SQLite runs one writer at a time and locks no rows: any order of rows is safe.
        self._any_order = dialect == "sqlite"

    def apply_deltas(
        self, deltas: dict[BalanceKey, Decimal], guarded_locations: set[int], guard: Guard
    ) -> Refusals:
        """Apply on-hand changes (each within ±MAX_TOTAL_QUANTITY); return what could not be
        done (nothing: all of it was).

        With `Guard.FREE` a decrease may take only unreserved stock. Many rows are
        changed in two statements (guarded decreases, then additions); should one fall
        short or leave the range, they are undone and applied row by row to say which.
        """
        # One order for every posting: guarded rows first, then the others, each by key,
        # so two postings never lock the same rows in opposite orders.
        keys = sorted(deltas, key=lambda key: (key[1] not in guarded_locations, key))
        takes = [key for key in keys if deltas[key] < 0 and key[1] in guarded_locations]
        adds = [key for key in keys if not (deltas[key] < 0 and key[1] in guarded_locations)]
        # In two statements, whose order differs from that one when a guarded place gains
        # (an adjustment's found stock beside another's lost): on PostgreSQL, the rows that
        # exist are locked in that order first (SQLite locks no rows: any order is safe).
        if len(keys) <= 2:
            return self._apply_each(keys, deltas, guarded_locations, guard)
        if not self._any_order and any(key[1] in guarded_locations for key in adds):
            _LOCK_IN_ORDER.rows(self._conn, {"keys": keys, "guarded": sorted(guarded_locations)})

        def params(key: BalanceKey) -> dict[str, Any]:
            return {"b_item": key[0], "b_location": key[1], "b_lot": key[2], "delta": deltas[key]}

        attempt = self._conn.begin_nested()
        for hot, rows in ((_TAKE[guard], takes), (self._add, adds)):
            if rows and hot.many(self._conn, [params(key) for key in rows]) != len(rows):
                attempt.rollback()
                return self._apply_each(keys, deltas, guarded_locations, guard)
        attempt.commit()
        return Refusals()

    def _apply_each(
        self, keys: list[BalanceKey], deltas: dict[BalanceKey, Decimal], guarded_locations: set[int], guard: Guard
    ) -> Refusals:
        outcome = Refusals()
        for key in keys:
            delta = deltas[key]
            params = {"b_item": key[0], "b_location": key[1], "b_lot": key[2], "delta": delta}
            if delta < 0 and key[1] in guarded_locations:
                if _TAKE[guard].run(self._conn, params) != 1:
                    basis = balances.c.on_hand - balances.c.reserved if guard is Guard.FREE else balances.c.on_hand
                    outcome.short.append((key, self._current(key, basis)))
            elif self._add.run(self._conn, params) != 1:
                outcome.over.append((key, self._current(key, balances.c.on_hand)))
        return outcome

    def on_hand(self, key: BalanceKey) -> Decimal:
        return self._current(key, balances.c.on_hand)

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
        """(key, reserved − on hand) for each balance promising more than it holds, by key."""
        found = []
        for row in _HELD.rows(self._conn, {"keys": sorted(set(keys))}) if keys else ():
            if row.reserved > max(row.on_hand, ZERO):
                found.append(((int(row.item_id), int(row.location_id), int(row.lot_key)),
                              row.reserved - max(row.on_hand, ZERO)))
        return sorted(found)

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

    # --- integrity -----------------------------------------------------------------

    def lock_for_rebuild(self) -> None:
        """Keep writers out while balances are rewritten (SQLite's writer lock suffices)."""
        if self._conn.dialect.name == "postgresql":
            self._conn.exec_driver_sql("LOCK TABLE moves, balances IN EXCLUSIVE MODE")

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
