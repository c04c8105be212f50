from decimal import Decimal

import pytest
from sqlalchemy import event, text

from onhand import services
from onhand.adapters.db.repositories import integrity
from tests.integration.helpers import add_item, add_place, adjust, level


def test_verify_passes_on_a_ledger_written_by_services(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W-1", 5)
    report = services.integrity.verify(onhand)
    assert report.ok and report.moves_checked == 1 and report.balances_checked == 2


def test_verify_finds_a_tampered_balance_and_rebuild_restores_it_from_the_ledger(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W-1", 5)
    ny = services.locations.get_location(onhand, "NY")
    with onhand.engine.begin() as conn:
        conn.execute(text("UPDATE balances SET on_hand = on_hand + 7000000 WHERE location_id = :id"),
                     {"id": ny.id})
    report = services.integrity.verify(onhand)
    assert not report.ok
    (mismatch,) = report.projection_mismatches
    assert (mismatch.sku, mismatch.location, mismatch.expected, mismatch.actual) == ("W-1", "NY", 5, 12)
    assert report.conservation_errors == (("W-1", None, 7),)
    assert services.integrity.rebuild(onhand).ok
    assert level(onhand, "W-1") == (5, 0, 5)


def test_rebuild_recreates_deleted_balance_rows(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W-1", 5)
    with onhand.engine.begin() as conn:
        conn.execute(text("DELETE FROM balances"))
    assert not services.integrity.verify(onhand).ok
    assert services.integrity.rebuild(onhand).ok
    assert level(onhand, "W-1") == (5, 0, 5)


def test_verify_adds_fractions_exactly_however_their_parts_carry(onhand):
    # 2 in, 0.5 out, 0.25 out: the millionths and the units carry between each other, so
    # the sums the database compares (in parts) do not cancel one by one; the books still
    # balance, and a balance off by one millionth of its unit is found.
    add_item(onhand, "RICE", unit="kg")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "RICE", "2", reason="found")
    adjust(onhand, "NY", "RICE", "-0.5", reason="lost")
    adjust(onhand, "NY", "RICE", "-0.25", reason="lost")
    report = services.integrity.verify(onhand)
    assert report.ok, report
    ny = services.locations.get_location(onhand, "NY")
    with onhand.engine.begin() as conn:
        conn.execute(text("UPDATE balances SET on_hand = on_hand - 1000 WHERE location_id = :id"), {"id": ny.id})
    report = services.integrity.verify(onhand)
    (mismatch,) = report.projection_mismatches
    assert (mismatch.location, mismatch.expected, mismatch.actual) == ("NY", Decimal("1.25"), Decimal("1.249"))
    assert report.conservation_errors == (("RICE", None, Decimal("-0.001")),)
    assert services.integrity.rebuild(onhand).ok
    assert level(onhand, "RICE") == (Decimal("1.25"), 0, Decimal("1.25"))


def test_verify_lists_negative_balances_at_guarded_places_only(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "NY")
    add_place(onhand, "LA", allow_negative=True)
    adjust(onhand, "NY", "W-1", 5)
    adjust(onhand, "LA", "W-1", 5)
    with onhand.engine.begin() as conn:
        conn.execute(text("UPDATE balances SET on_hand = -3000000 WHERE location_id IN "
                          "(SELECT id FROM locations WHERE code IN ('NY', 'LA'))"))
    report = services.integrity.verify(onhand)
    assert [(n.location, n.actual) for n in report.negative_balances] == [("NY", -3)]
    assert {(m.location, m.expected, m.actual) for m in report.projection_mismatches} == {("NY", 5, -3),
                                                                                         ("LA", 5, -3)}


def test_the_fold_has_more_memory_on_postgresql_for_its_own_transaction_only(onhand):
    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("work_mem is PostgreSQL's")
    add_item(onhand, "W-1")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W-1", 5)
    seen = []

    def after(conn, _cursor, statement, *_args):
        if "sum(" in statement:  # the fold: what it may use, as it runs
            seen.append(conn.exec_driver_sql("SHOW work_mem").scalar())

    with onhand.engine.connect() as conn:
        default = conn.exec_driver_sql("SHOW work_mem").scalar()
    event.listen(onhand.engine, "after_cursor_execute", after)
    try:
        assert services.integrity.verify(onhand).ok
        assert services.integrity.rebuild(onhand).ok
    finally:
        event.remove(onhand.engine, "after_cursor_execute", after)

    assert seen and set(seen) == {integrity.FOLD_WORK_MEM}
    for _ in range(3):  # every pooled connection: as before
        with onhand.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW work_mem").scalar() == default
