"""The change feed's rows: events appended in writers' transactions, read in the feed's
order; followers' positions; the availability the `availability` follower keeps.

**Commit order.** On SQLite writers are serial, so id order is commit order (`tx` is 0).
On PostgreSQL an id is taken from a sequence before commit, so a transaction that commits
later may hold a smaller id. Each event stores its transaction's id (`pg_current_xact_id()`)
and readers order by (tx, id) and see only events whose transaction is older than their
snapshot's xmin: every such transaction has ended, so no event can appear later at or
below a position a reader has reached. Writers are never serialized; a long transaction
only delays what readers see after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, literal, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables.core import balances
from onhand.adapters.db.tables.feed import availability, events, followers

# (tx, id) of an event: a position in the feed. (0, 0) is before the first event.
Position = tuple[int, int]
START: Position = (0, 0)

_PG_TX = text("pg_current_xact_id()::text::bigint")
_PG_HORIZON = text("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
_COLUMNS = (events.c.id, events.c.tx, events.c.type, events.c.at, events.c.actor, events.c.actor_name, events.c.body)


# Statements are built once per dialect, not per unit of work (building one costs more
# than running it: every write transaction makes these repositories).
@cache
def _append(postgresql: bool) -> Hot:
    return Hot(insert(events).values(tx=_PG_TX if postgresql else literal(0)))


@cache
def _follower_statements(dialect: str) -> tuple[Any, Any, Any]:
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    enrol = make(followers).on_conflict_do_nothing(index_elements=[followers.c.name])
    # PostgreSQL: a follower's row held by another process is skipped, not waited for.
    # (SQLite emits no lock: its writers are serial, BEGIN IMMEDIATE.)
    claim = (
        select(followers.c.position_tx, followers.c.position_id, followers.c.handled)
        .where(followers.c.name == bindparam("follower"))
        .with_for_update(skip_locked=True)
    )
    exists = select(followers.c.name).where(followers.c.name == bindparam("follower"))
    return enrol, claim, exists


@cache
def _availability_put(dialect: str) -> Any:
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = make(availability)
    # A row changes (and takes the new event id and version) only if its value did.
    return statement.on_conflict_do_update(
        index_elements=[availability.c.item_id, availability.c.location_id],
        set_={"available": statement.excluded.available, "event_id": statement.excluded.event_id,
              "version": statement.excluded.version, "updated_at": statement.excluded.updated_at},
        where=availability.c.available != statement.excluded.available,
    )


class FeedRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._postgresql = conn.dialect.name == "postgresql"
        self._append = _append(self._postgresql)
        self._pending: list[dict[str, Any]] = []

    def record(self, row: dict[str, Any]) -> None:
        """An event (type, at, actor, actor_name, body as JSON text) to append when the unit
        of work is about to commit (`flush`): in order, in one statement, ids taken late."""
        self._pending.append(row)

    def flush(self) -> bool:
        """Write the recorded events; whether there were any."""
        if not self._pending:
            return False
        rows, self._pending = self._pending, []
        self._append.many(self._conn, rows)
        return True

    def after(self, position: Position, limit: int, types: Sequence[str] | None = None) -> list[Any]:
        """Up to `limit` events after `position`, in the feed's order, that no transaction
        still running can precede (see the module's docstring)."""
        query = select(*_COLUMNS).where(tuple_(events.c.tx, events.c.id) > tuple_(*position))
        if self._postgresql:
            query = query.where(events.c.tx < _PG_HORIZON)
        if types:
            query = query.where(events.c.type.in_(list(types)))
        return list(self._conn.execute(query.order_by(events.c.tx, events.c.id).limit(limit)))

    def position_of(self, event_id: int) -> Position | None:
        row = self._conn.execute(select(events.c.tx, events.c.id).where(events.c.id == event_id)).first()
        return (int(row.tx), int(row.id)) if row else None

    def newest_tx(self) -> int:
        """The transaction of the newest stored event (0 on SQLite, or with no events)."""
        if not self._postgresql:
            return 0
        return int(self._conn.execute(select(func.coalesce(func.max(events.c.tx), 0))).scalar_one())

    def visible_through(self, tx: int) -> bool:
        """Whether every event of transaction `tx` and older can be read now (see above)."""
        if not self._postgresql:
            return True
        return int(self._conn.execute(select(_PG_HORIZON)).scalar_one()) > tx

    def bodies_since(self, at: datetime, types: Sequence[str]) -> list[tuple[str, Any]]:
        """(type, body) of the events of these types recorded at or after `at`, oldest first."""
        query = (select(events.c.type, events.c.body).where(events.c.at >= at, events.c.type.in_(list(types)))
                 .order_by(events.c.id))
        return [(row.type, json.loads(row.body)) for row in self._conn.execute(query)]

    def count_after(self, position: Position) -> int:
        query = select(func.count()).select_from(events).where(
            tuple_(events.c.tx, events.c.id) > tuple_(*position))
        if self._postgresql:
            query = query.where(events.c.tx < _PG_HORIZON)
        return int(self._conn.execute(query).scalar_one())


class FollowerRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._enrol, self._claim, self._exists = _follower_statements(conn.dialect.name)

    def claim(self, name: str, now: datetime) -> tuple[Position, int] | None:
        """The follower's position and count of events read, its row locked until commit;
        None when another transaction holds it (that one is running the follower)."""
        row = self._conn.execute(self._claim, {"follower": name}).first()
        if row is None:
            if self._conn.execute(self._exists, {"follower": name}).first() is not None:
                return None  # it exists and is held
            # Its first run (a concurrent first run waits for this insert, then skips).
            self._conn.execute(self._enrol, {"name": name, "position_tx": 0, "position_id": 0, "handled": 0,
                                             "updated_at": now})
            row = self._conn.execute(self._claim, {"follower": name}).first()
        return ((int(row.position_tx), int(row.position_id)), int(row.handled)) if row else None

    def advance(self, name: str, position: Position, handled: int, now: datetime) -> None:
        self._conn.execute(
            update(followers).where(followers.c.name == name).values(
                position_tx=position[0], position_id=position[1], handled=handled, updated_at=now)
        )

    def all(self) -> list[Any]:
        return list(self._conn.execute(select(followers).order_by(followers.c.name)))


class AvailabilityRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._put = _availability_put(conn.dialect.name)

    def put(self, rows: Iterable[dict[str, Any]]) -> None:
        """(item_id, location_id, available, event_id, version, updated_at) rows."""
        rows = list(rows)
        if rows:
            self._conn.execute(self._put, rows)

    def changed_since(self, version: int, limit: int, item_ids: Sequence[int] | None = None) -> list[Any]:
        query = select(availability).where(availability.c.version > version)
        if item_ids is not None:
            query = query.where(availability.c.item_id.in_(list(item_ids)))
        query = query.order_by(availability.c.version, availability.c.item_id, availability.c.location_id)
        return list(self._conn.execute(query.limit(limit)))

    def pairs_at(self, location_ids: Sequence[int]) -> list[tuple[int, int]]:
        """(item, location) of every balance at these locations."""
        if not location_ids:
            return []
        query = select(balances.c.item_id, balances.c.location_id).distinct().where(
            balances.c.location_id.in_(sorted(set(location_ids))))
        return [(r[0], r[1]) for r in self._conn.execute(query)]

    def pairs_of_lot(self, lot_id: int) -> list[tuple[int, int]]:
        """(item, location) of every balance of this lot."""
        query = select(balances.c.item_id, balances.c.location_id).distinct().where(balances.c.lot_key == lot_id)
        return [(r[0], r[1]) for r in self._conn.execute(query)]

    def of(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Decimal]:
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        query = select(availability.c.item_id, availability.c.location_id, availability.c.available).where(
            tuple_(availability.c.item_id, availability.c.location_id).in_(wanted))
        return {(r.item_id, r.location_id): r.available for r in self._conn.execute(query)}


