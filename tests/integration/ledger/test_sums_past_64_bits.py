"""Sums over many rows that no stored total bounds are exact past 64 bits.

Each item's pool holds at most 10^12 of value, but a day's journal, the valuation
total and the moves into a place over all of history add up many of them. SQLite's
SUM stopped with "integer overflow" (a 500); now they are exact on both engines, and
what cannot be stored (a posted day beyond ±9.22 × 10^12) is refused, naming the day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert

from onhand import services
from onhand.adapters.db.tables import moves, postings
from onhand.domain.accounting.commands import PostJournal
from onhand.domain.errors import OutOfRange
from onhand.domain.money import MAX_MONEY, MAX_STORED
from onhand.domain.quantities import MAX_QUANTITY
from tests.integration.helpers import add_item, add_place, adjust

ITEMS = 10  # each worth the most a pool holds: 10^13 in all


@pytest.fixture
def rich_day(onhand, clock):
    add_place(onhand, "NY")
    for n in range(ITEMS):
        add_item(onhand, f"GOLD-{n}")
        adjust(onhand, "NY", f"GOLD-{n}", MAX_QUANTITY, unit_cost="1000")
    clock.advance(days=1)
    return onhand


def test_a_day_moving_more_value_than_an_amount_holds_reads_exactly(rich_day):
    view = services.journals.get_journal(rich_day, "2026-03-02")
    inventory = [line.amount for line in view.journal.lines if line.role.value == "inventory"]
    assert sum(inventory) == ITEMS * MAX_MONEY
    assert services.valuation_reports.valuation_report(rich_day).total_value == ITEMS * MAX_MONEY
    (day,) = services.reconciliation.reconcile(rich_day, start="2026-03-02", end="2026-03-02").days
    assert day.valuation_total == ITEMS * MAX_MONEY


def test_posting_a_day_whose_amounts_cannot_be_stored_is_refused_naming_it(rich_day):
    with pytest.raises(OutOfRange) as error:
        services.journals.post_journal(rich_day, PostJournal(day="2026-03-02"))
    assert error.value.field == "day" and "2026-03-02" in error.value.what
    assert error.value.limit == MAX_STORED
    assert services.journals.get_journal(rich_day, "2026-03-02").status == "open"


def test_the_lots_at_a_past_moment_sum_moves_past_64_bits(onhand):
    # Twenty moves of 9 × 10^12 units into one lot at NY (written straight into the ledger:
    # the bounds keep services from it) sum past 64 bits.
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 1, lot="L1")
    tea = services.items.get_item(onhand, "TEA")
    (lot,) = services.lots.list_lots(onhand, sku="TEA")
    ny = services.locations.get_location(onhand, "NY")
    adjustment = services.locations.get_location(onhand, "ADJUSTMENT")
    at = datetime(2026, 3, 2, tzinfo=UTC)
    with onhand.engine.begin() as conn:
        posting = conn.execute(insert(postings).values(kind="adjustment", created_at=at, effective_at=at))
        conn.execute(insert(moves), [
            {"posting_id": posting.inserted_primary_key[0], "item_id": tea.id, "lot_id": lot.id,
             "from_location_id": adjustment.id, "to_location_id": ny.id, "quantity": 9 * 10**12}
            for _ in range(20)
        ])
    with onhand.reading() as uow:
        held = uow.valuation_history.lot_quantities_until(datetime.combine(date(2026, 3, 3), datetime.min.time(), UTC))
    assert held[(tea.id, ny.id)][lot.id] == 1 + 20 * 9 * 10**12
