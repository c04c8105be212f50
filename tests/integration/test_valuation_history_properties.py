"""Property-based: random histories with backdated postings, checked against a full re-run.

After any history of receipts, found and lost stock (some of them backdated), transfers,
shipments and changes of costing method (the company's, or the lot-tracked item's own):
every stored move value and every stored pool equals what a full re-run
of each item's moves from scratch gives (`domain/valuation.value_history`, the oracle);
the layers' values equal the report's total; and the report at a past moment equals a
re-run of the moves up to that moment.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.errors import Conflict
from onhand.domain.valuation import value_history
from onhand.services import valuing
from onhand.services.method_timelines import timelines
from onhand.services.revaluing import stored_cost_move
from tests.conftest import Clock
from tests.databases import BACKENDS, fresh_database
from tests.integration.test_valuation_properties import PLACES, ZERO, run, setup

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@st.composite
def operation(draw):
    kind = draw(st.sampled_from(["buy", "buy", "ship", "found", "lose", "move"]))
    sku = draw(st.sampled_from(["W", "T"]))
    lot = draw(st.sampled_from(["L1", "L2"])) if sku == "T" else None
    place = draw(st.sampled_from(PLACES))
    quantity = Decimal(draw(st.integers(1, 12)))
    cost = Decimal(draw(st.integers(1, 999))) / 100
    back = draw(st.sampled_from([None, None, 1, 3, 7, 20])) if kind in ("buy", "found", "lose") else None
    return (kind, sku, lot, place, quantity, cost), back


@st.composite
def method_change(draw):
    """A change of the company's method, or of the tea's own (back to the company's: None)."""
    if draw(st.booleans()):
        return ("company", draw(st.sampled_from(["fifo", "moving_average"]))), None
    return ("tea", draw(st.sampled_from(["fifo", "moving_average", "specific_lot", None]))), None


def change_method(onhand, op) -> None:
    target, method = op
    if target == "company":
        services.costing.set_company_costing_method(onhand, method)
    else:
        services.costing.set_item_costing_method(onhand, "T", method)


def run_backdated(onhand, op, effective_at):
    kind, sku, lot, place, quantity, cost = op
    if kind == "buy":
        order = services.purchase_orders.create_purchase_order(
            onhand, supplier="ACME", destination_location=place,
            lines=[services.purchase_orders.NewPurchaseLine(sku, quantity, cost)])
        services.purchase_orders.place_purchase_order(onhand, order.reference)
        return services.receiving.receive_purchase_order(
            onhand, order.reference, lines=[services.receiving.ReceiptLine(1, quantity, lot=lot)],
            effective_at=effective_at)
    signed = quantity if kind == "found" else -quantity
    return services.adjustments.post_adjustment(
        onhand, location=place, lines=[services.postings.StockLine(sku, signed, lot)],
        reason="found" if kind == "found" else "lost", effective_at=effective_at)


def full_rerun(onhand, until=None):
    """Per item: the oracle's values and final pools from the item's whole history (up to `until`)."""
    with onhand.reading() as uow:
        history = timelines(uow, [1, 2])
        found = {}
        for item in (1, 2):
            rows = uow.valuation_history.item_moves_after(item, None)
            moves = [stored_cost_move(r) for r in rows if until is None or r.effective_at <= until]
            changes = history[item].changes if until is None else history[item].until(until)
            found[item] = (rows, value_history(history[item].initial, moves, changes=changes))
        return found


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["fifo", "moving_average"]),
    tea_method=st.sampled_from(["fifo", "moving_average", "specific_lot"]),
    ops=st.lists(st.one_of(operation(), operation(), operation(), method_change()), min_size=1, max_size=14),
    past=st.integers(0, 16),
)
def test_stored_values_and_pools_equal_a_full_rerun_after_backdated_postings(backend, method, tea_method, ops, past):
    clock = Clock(START)
    with (tempfile.TemporaryDirectory() as directory, fresh_database(backend, Path(directory)) as url,
          mock.patch.object(valuing, "CHECKPOINT_EVERY", 3)):
        onhand = open_onhand(url, clock=clock)
        try:
            setup(onhand, method, tea_method)
            for op, back in ops:
                clock.advance(hours=1)
                try:
                    if op[0] in ("company", "tea"):
                        change_method(onhand, op)
                    elif back is None:
                        run(onhand, op)
                    else:
                        run_backdated(onhand, op, clock() - timedelta(hours=back, minutes=30))
                except Conflict:  # not enough stock (now), nothing to ship
                    continue
            with onhand.reading() as uow:
                stored_pools = uow.valuation.pools()
            for item, (rows, oracle) in full_rerun(onhand).items():
                for row in rows:
                    expected = oracle.values[int(row.id)]
                    assert (row.value, row.variance, row.basis) == (
                        expected.value, expected.variance, expected.basis.value), row
                mine = {(loc, lot or None): pool for (it, loc, lot), pool in stored_pools.items() if it == item}
                for key, pool in oracle.final.pools.items():
                    assert mine.get(key) == pool or (pool.quantity == pool.value == 0 and key not in mine), key
            layer_value = sum((pool.value for pool in stored_pools.values()), ZERO)
            assert services.valuation.valuation_report(onhand).total_value == layer_value
            moment = min(START + timedelta(hours=past, minutes=15), clock())
            report = services.valuation.valuation_report(onhand, at=moment, group_by="location")
            expected_total = sum((run.final.value for _rows, run in full_rerun(onhand, moment).values()), ZERO)
            assert report.total_value == expected_total
            by_place = {}
            for _rows, run_ in full_rerun(onhand, moment).values():
                for (loc, _lot), pool in run_.final.pools.items():
                    by_place[loc] = by_place.get(loc, ZERO) + pool.quantity
            assert sum((ln.quantity for ln in report.lines), ZERO) == sum(by_place.values(), ZERO)
        finally:
            onhand.close()
