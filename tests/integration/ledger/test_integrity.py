from sqlalchemy import text

from onhand import services
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
