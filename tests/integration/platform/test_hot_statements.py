"""Hot statements (adapters/db/hot.py) do what `conn.execute` does, on SQLite and PostgreSQL:
the same rows, type for type, the same writes, the same errors, seen by the same listeners."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Date, Integer, String, bindparam, event, func, insert, literal, select, tuple_, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.tables import balances, items, sales_orders
from onhand.adapters.db.tables.audit import audit_log
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime
from onhand.bootstrap import Onhand
from onhand.domain.errors import TransientConflict
from tests.integration.helpers import add_item, add_place, adjust

AT = datetime(2026, 12, 6, 11, 30, 5, 123456, tzinfo=UTC)
_VALUES = Hot(select(
    literal(7, Integer).label("n"), bindparam("sku", type_=String).label("sku"),
    bindparam("quantity", type_=ScaledDecimal).label("quantity"), literal(Decimal("0.000001"), ScaledDecimal),
    literal(None, ScaledDecimal).label("none"), literal(date(2026, 12, 6), Date).label("day"),
    bindparam("at", type_=UtcDateTime).label("at"),
))
_AUDIT = Hot(insert(audit_log))
_AUDIT_ID = Hot(insert(audit_log).returning(audit_log.c.id))
_RESERVE = Hot(
    update(balances)
    .where(balances.c.item_id == bindparam("item"), balances.c.on_hand - balances.c.reserved >= bindparam("q"))
    .values(reserved=balances.c.reserved + bindparam("q"))
)
_STOCK = Hot(select(balances.c.on_hand, balances.c.reserved, (balances.c.on_hand - balances.c.reserved).label("free"),
                    items.c.sku)
             .join(items, items.c.id == balances.c.item_id)
             .where(items.c.sku == bindparam("sku"), balances.c.on_hand > 0))


def _audit_row(action: str) -> dict[str, object]:
    return {"at": AT, "actor_kind": "system", "actor_id": "test", "actor_name": "test", "action": action,
            "object_type": "test", "object_key": action, "before": None, "after": None}


def test_rows_come_back_as_sqlalchemys_rows_give_them_type_for_type(onhand: Onhand) -> None:
    params = {"sku": "SKU-1", "quantity": Decimal("2.5"), "at": AT}
    with onhand.reading() as uow:
        typed = uow.connection.execute(_VALUES.statement, params).one()
        hot = _VALUES.one(uow.connection, params)
    assert tuple(hot) == tuple(typed) == (7, "SKU-1", Decimal("2.5"), Decimal("0.000001"), None,
                                          date(2026, 12, 6), AT)
    assert [type(v) for v in hot] == [type(v) for v in typed]
    assert hot.sku == "SKU-1" and hot.at == AT and hot._mapping["quantity"] == Decimal("2.5")


def test_writes_many_rows_returns_ids_and_counts_changed_rows(onhand: Onhand) -> None:
    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", Decimal(5))
    with onhand.writing() as uow:
        conn = uow.connection
        _AUDIT.many(conn, [_audit_row("a"), _audit_row("b")])
        new_id = _AUDIT_ID.one(conn, _audit_row("c")).id
        assert conn.execute(select(func.count()).select_from(audit_log)
                            .where(audit_log.c.object_type == "test")).scalar_one() == 3
        assert conn.execute(select(audit_log.c.action).where(audit_log.c.id == new_id)).scalar_one() == "c"
        item_id = uow.items.get_by_sku("W").id
        assert _RESERVE.run(conn, {"item": item_id, "q": Decimal("1.5")}) == 1
        assert _RESERVE.run(conn, {"item": item_id, "q": Decimal(4)}) == 0  # 3.5 free: guarded
        stock = [tuple(row) for row in _STOCK.rows(conn, {"sku": "W"})]
        assert stock == [(Decimal(5), Decimal("1.5"), Decimal("3.5"), "W")]
        assert _STOCK.first(conn, {"sku": "nothing"}) is None


def test_a_missing_parameter_and_one_computed_when_it_runs_are_refused(onhand: Onhand) -> None:
    with onhand.reading() as uow:
        with pytest.raises(KeyError, match="sku"):
            _VALUES.rows(uow.connection, {"quantity": Decimal(1), "at": AT})
        computed = Hot(select(items.c.id).where(items.c.sku == bindparam("sku", callable_=lambda: "A")))
        with pytest.raises(ValueError, match="computed when it runs"):
            computed.rows(uow.connection)


def test_in_lists_of_every_length_and_of_tuples_give_sqlalchemys_rows(onhand: Onhand) -> None:
    add_place(onhand, "NY")
    for n in range(20):
        add_item(onhand, f"I-{n:02d}")
        adjust(onhand, "NY", f"I-{n:02d}", Decimal(n + 1))
    by_sku = Hot(select(items.c.sku, balances.c.on_hand).join(balances, balances.c.item_id == items.c.id)
                 .where(items.c.sku.in_(bindparam("skus", expanding=True)), balances.c.on_hand > bindparam("over"))
                 .order_by(items.c.sku))
    by_key = Hot(select(balances.c.on_hand).where(
        tuple_(balances.c.item_id, balances.c.location_id).in_(bindparam("keys", expanding=True))
    ).order_by(balances.c.on_hand))
    with onhand.reading() as uow:
        conn = uow.connection
        for skus in (["I-03"], ["I-01", "I-02", "I-19"], [], [f"I-{n:02d}" for n in range(20)], ["I-01", "I-02"]):
            params = {"skus": skus, "over": Decimal(1)}
            assert [tuple(r) for r in by_sku.rows(conn, params)] == [
                tuple(r) for r in conn.execute(by_sku.statement, params)]
        fixed = Hot(select(items.c.sku).where(items.c.sku.in_(["I-04", "I-05", "nothing"]),
                                              items.c.id.in_(bindparam("ids", expanding=True))).order_by(items.c.sku))
        every = [row.id for row in conn.execute(select(items.c.id).order_by(items.c.sku))]  # I-00 … I-19
        assert [row.sku for row in fixed.rows(conn, {"ids": every[:8]})] == ["I-04", "I-05"]
        assert [row.sku for row in fixed.rows(conn, {"ids": every[5:6]})] == ["I-05"]
        place = conn.execute(select(balances.c.location_id).where(balances.c.on_hand == 7)).scalar_one()
        ids = {sku: conn.execute(select(items.c.id).where(items.c.sku == sku)).scalar_one() for sku in ("I-06", "I-09")}
        keys = [(ids["I-06"], place), (ids["I-09"], place)]
        assert [row.on_hand for row in by_key.rows(conn, {"keys": keys})] == [Decimal(7), Decimal(10)]
        ids["I-12"] = conn.execute(select(items.c.id).where(items.c.sku == "I-12")).scalar_one()
        keys.append((ids["I-12"], place))  # 3 keys run as 4, the last repeated
        assert [row.on_hand for row in by_key.rows(conn, {"keys": keys})] == [Decimal(7), Decimal(10), Decimal(13)]
        # Every length runs as one of 1, 2, 4, 8 or 16, whose forms are all there are; NOT IN
        # with the last value repeated leaves out what it left out.
        outside = Hot(select(items.c.sku).where(items.c.sku.not_in(bindparam("skus", expanding=True)))
                      .order_by(items.c.sku))
        all_skus = [f"I-{n:02d}" for n in range(20)]
        for length in range(1, 17):
            params = {"skus": all_skus[:length], "over": Decimal(0)}
            assert [tuple(r) for r in by_sku.rows(conn, params)] == [
                tuple(r) for r in conn.execute(by_sku.statement, params)]
            assert [r.sku for r in outside.rows(conn, {"skus": all_skus[:length]})] == all_skus[length:]
        assert len({key[-1] for key in by_sku._forms}) == 5 and len(outside._forms) == 5


def test_database_errors_are_sqlalchemys_and_the_unit_of_work_translates_them(onhand: Onhand) -> None:
    duplicate = Hot(insert(sales_orders).returning(sales_orders.c.id))
    row = {"reference": "SO-HOT", "channel": "manual", "status": "draft", "currency": "USD",
           "requested_ship_date": date(2026, 12, 6), "created_at": AT, "updated_at": AT}
    with onhand.writing() as uow:
        duplicate.one(uow.connection, row)
        with pytest.raises(IntegrityError):
            savepoint = uow.connection.begin_nested()
            try:
                duplicate.one(uow.connection, row)
            finally:
                savepoint.rollback()
    # A unique key met by a second insert is a transient conflict for the unit of work (a retry
    # sees the winner's row), as it is for statements run the usual way.
    with pytest.raises(TransientConflict), onhand.writing() as uow:
        duplicate.one(uow.connection, row)
    with pytest.raises(DBAPIError), onhand.reading() as uow:
        Hot(select(literal(1)).where(func.no_such_function() == 1)).rows(uow.connection)


def test_listeners_of_statements_see_hot_ones(onhand: Onhand) -> None:
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        seen.append(statement)

    event.listen(onhand.engine, "before_cursor_execute", count)
    try:
        with onhand.reading() as uow:
            seen.clear()
            _VALUES.rows(uow.connection, {"sku": "x", "quantity": Decimal(1), "at": AT})
    finally:
        event.remove(onhand.engine, "before_cursor_execute", count)
    assert len(seen) == 1 and seen[0].lstrip().upper().startswith("SELECT")


@pytest.mark.parametrize("count", [1, 2, 16, 17, 40, 64, 65, 130])
def test_many_rows_inserted_give_back_their_keys_in_their_order(onhand: Onhand, count: int) -> None:
    """`HotInsert` (hot_inserts.py): each row's key, in the rows' order, whether its rows go
    in statements of 16 (SQLite, up to 64 rows) or SQLAlchemy's way (more; PostgreSQL)."""
    from onhand.adapters.db.hot_inserts import HotInsert

    rows = [_audit_row(f"row-{n}") for n in range(count)]
    entries = HotInsert(audit_log, audit_log.c.id, tuple(rows[0]))
    with onhand.writing() as uow:
        uow.connection.execute(insert(audit_log), [_audit_row("before")])  # keys not from 1
        ids = entries.ids(uow.connection, rows)
        named = dict(uow.connection.execute(select(audit_log.c.id, audit_log.c.object_key)).all())
    assert len(ids) == count == len(set(ids))
    assert [named[key] for key in ids] == [f"row-{n}" for n in range(count)]
