"""`verify` reports what it finds, whatever is stored, and never fails on it.

The stored numbers here are written straight into the tables: a REAL that SQLite made
of an overflowing sum (what ten large adjustments left before balances were bounded),
text, integers beyond the range, and moves whose sum passes 64 bits.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, text

from onhand import services
from onhand.adapters.db.tables import moves, postings
from onhand.domain.errors import OutOfRange
from tests.integration.helpers import add_item, add_place, adjust, level


@pytest.fixture
def stocked(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 5)
    return onhand


def _set_on_hand(onhand, location, raw):
    place = services.locations.get_location(onhand, location)
    with onhand.engine.begin() as conn:
        conn.execute(text(f"UPDATE balances SET on_hand = {raw} WHERE location_id = :id"), {"id": place.id})


@pytest.mark.parametrize("raw", ["9.3e18", "'lots'", "-4.5"])
def test_verify_reports_a_value_sqlite_holds_that_is_no_exact_quantity(stocked, raw):
    if stocked.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite stores a REAL or text in an integer column")
    _set_on_hand(stocked, "NY", raw)
    report = services.integrity.verify(stocked)
    assert not report.ok
    (found,) = report.stored_out_of_range
    assert (found.what, found.sku, found.location, found.lot) == ("on hand", "TEA", "NY", None)
    assert found.stored.strip("'") in (raw.strip("'"), "9.3e+18")
    (mismatch,) = report.projection_mismatches
    assert (mismatch.sku, mismatch.location, mismatch.expected) == ("TEA", "NY", 5)


def test_verify_reports_a_balance_stored_beyond_the_range(stocked):
    _set_on_hand(stocked, "NY", 2 * 10**18)  # 2 × 10^12 units: a bigint, but beyond ±10^12
    report = services.integrity.verify(stocked)
    (found,) = report.stored_out_of_range
    assert (found.what, found.location, found.stored) == ("on hand", "NY", str(2 * 10**18))
    (mismatch,) = report.projection_mismatches
    assert mismatch.actual == 2 * 10**12


def test_verify_sums_moves_past_64_bits_exactly(stocked):
    # Twenty moves of 9 × 10^12 units: their sum (1.8 × 10^20 in millionths) passes 64 bits,
    # which stopped SQLite's SUM with "integer overflow".
    tea = services.items.get_item(stocked, "TEA")
    ny = services.locations.get_location(stocked, "NY")
    adjustment = services.locations.get_location(stocked, "ADJUSTMENT")
    now = datetime(2026, 3, 2, tzinfo=UTC)
    with stocked.engine.begin() as conn:
        posting = conn.execute(insert(postings).values(kind="adjustment", created_at=now, effective_at=now))
        conn.execute(insert(moves), [
            {"posting_id": posting.inserted_primary_key[0], "item_id": tea.id, "from_location_id": adjustment.id,
             "to_location_id": ny.id, "quantity": 9 * 10**12}
            for _ in range(20)
        ])
    report = services.integrity.verify(stocked)
    assert report.moves_checked == 21
    assert len(report.stored_out_of_range) == 20  # every move beyond ±10^12
    mismatches = {(m.location, m.expected, m.actual) for m in report.projection_mismatches}
    assert mismatches == {("NY", 5 + 20 * 9 * 10**12, 5), ("ADJUSTMENT", -5 - 20 * 9 * 10**12, -5)}


def test_rebuild_refuses_a_ledger_whose_balances_leave_the_range_and_changes_nothing(stocked):
    test_verify_sums_moves_past_64_bits_exactly(stocked)
    with pytest.raises(OutOfRange) as error:
        services.integrity.rebuild(stocked)
    assert (error.value.sku, error.value.what) == ("TEA", "on hand")
    assert level(stocked, "TEA") == (5, 0, 5)
