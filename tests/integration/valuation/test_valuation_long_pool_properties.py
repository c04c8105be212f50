"""Property-based: a pool read in part (a long FIFO pool) is valued exactly as a whole one.

A posting reads a pool of more than `WHOLE_POOL` layers in part: its oldest layers, in
batches until they cover what the posting takes, and the totals of the rest kept on the
pool row (`adapters/db/repositories/cost_pool_reads.py`). Here every pool is read so, one
layer a batch, so that random histories reach every path: takes
within and beyond the first batch, layers added after the rest, transfers carrying older
layers (which fall back to whole pools), checkpoints due. After any history: every
stored value and pool equals a full re-run of the item's moves, and each pool row's
layer count and totals equal its layers. The backdating property of
`test_valuation_history_properties.py` is run again with the same setting.
"""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from onhand import services
from onhand.adapters.db.repositories import cost_pool_reads
from onhand.adapters.db.repositories import valuation as valuation_repository
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, CreateLot
from onhand.domain.errors import Conflict
from onhand.domain.ledger.commands import MoveStock, PostAdjustment
from onhand.domain.valuation.commands import SetItemCostingMethod
from onhand.domain.valuation.cost_layers import CostingMethod
from onhand.domain.valuation.value_history import value_history
from onhand.services.ledger.postings import StockLine
from onhand.services.valuation import posting_values as valuing
from onhand.services.valuation.backdating import stored_cost_move
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.valuation import test_valuation_history_properties as history

PLACES = ("A", "B")
ZERO = Decimal(0)


def read_in_part():
    """Every pool read in part, one layer a batch (then 4, 16 …)."""
    return mock.patch.multiple(cost_pool_reads, WHOLE_POOL=0, _FIRST_BATCH=1)


@st.composite
def operation(draw):
    kind = draw(st.sampled_from(["found", "found", "found", "lose", "lose", "move"]))
    sku = draw(st.sampled_from(["W", "T"]))
    lot = draw(st.sampled_from(["L1", "L2"])) if sku == "T" else None
    place = draw(st.sampled_from(PLACES))
    quantity = Decimal(draw(st.integers(1, 9)))
    cost = Decimal(draw(st.integers(1, 999))) / 100
    return (kind, sku, lot, place, quantity, cost)


def run(onhand, op) -> None:
    kind, sku, lot, place, quantity, cost = op
    if kind == "move":
        other = "B" if place == "A" else "A"
        services.relocations.move_stock(
            onhand, MoveStock(source=place, destination=other, lines=[StockLine(sku, quantity, lot)]))
        return
    line = StockLine(sku, quantity, lot, unit_cost=cost) if kind == "found" else StockLine(sku, -quantity, lot)
    services.adjustments.post_adjustment(
        onhand, PostAdjustment(location=place, lines=[line], reason="found" if kind == "found" else "lost"))


def assert_pool_totals_equal_their_layers(onhand) -> None:
    layers = (
        select(cost_layers.c.item_id, cost_layers.c.location_id, cost_layers.c.lot_key, func.count(),
               func.sum(cost_layers.c.quantity), func.sum(cost_layers.c.value))
        .group_by(cost_layers.c.item_id, cost_layers.c.location_id, cost_layers.c.lot_key)
    )
    with onhand.reading() as uow:
        summed = {(r[0], r[1], r[2]): (r[3], r[4], r[5]) for r in uow.connection.execute(layers)}
        pools = uow.connection.execute(select(cost_pools)).all()
    assert len(pools) >= len(summed)
    for pool in pools:
        count, quantity, value = summed.get((pool.item_id, pool.location_id, pool.lot_key), (0, ZERO, ZERO))
        assert (pool.layer_count, pool.layers_quantity, pool.layers_value) == (count, quantity, value), pool


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tea_method=st.sampled_from(["fifo", "lifo", "specific_lot"]),
       ops=st.lists(operation(), min_size=1, max_size=30))
def test_long_pools_read_in_part_are_valued_as_a_full_rerun(backend, tea_method, ops):
    with (fresh_database(backend) as url,
          read_in_part(), mock.patch.object(valuing, "CHECKPOINT_EVERY", 7)):
        onhand = open_onhand(url)
        try:
            services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
            services.items.create_item(onhand, CreateItem(sku="T", name="Tea", tracking="lot"))
            services.costing.set_item_costing_method(onhand, SetItemCostingMethod(sku="T", method=tea_method))
            for code in ("L1", "L2"):
                services.lots.create_lot(onhand, CreateLot(sku="T", code=code))
            for code in PLACES:
                services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind="warehouse"))
            for op in ops:
                try:
                    run(onhand, op)
                except Conflict:  # not enough stock
                    continue
            with onhand.reading() as uow:
                stored = uow.valuation.pools()
                for sku, method in (("W", CostingMethod.FIFO), ("T", CostingMethod(tea_method))):
                    item = uow.items.get_by_sku(sku).id
                    rows = uow.valuation_history.item_moves_after(item, None)
                    oracle = value_history(method, [stored_cost_move(r) for r in rows])
                    for row in rows:
                        expected = oracle.values[int(row.id)]
                        assert (row.value, row.variance, row.basis) == (
                            expected.value, expected.variance, expected.basis.value), row
                    mine = {(loc, lot or None): pool for (it, loc, lot), pool in stored.items() if it == item}
                    for key, pool in oracle.final.pools.items():
                        assert mine.get(key) == pool or (pool.quantity == pool.value == 0 and key not in mine), key
            assert_pool_totals_equal_their_layers(onhand)
        finally:
            onhand.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_backdating_property_holds_with_pools_read_in_part(backend):
    with read_in_part():
        history.test_stored_values_and_pools_equal_a_full_rerun_after_backdated_postings(backend=backend)


def test_a_posting_at_the_end_of_a_long_pool_reads_no_pool_whole(onhand):
    """The point of it all: a take from and a layer into a pool of 40 layers read neither
    every pool of the item nor every layer of the pool."""
    services.locations.create_location(onhand, CreateLocation(code="A", name="A", kind="warehouse"))
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    for n in range(40):
        run(onhand, ("found", "W", None, "A", Decimal(2), Decimal(n + 1)))
    with mock.patch.object(valuation_repository.ValuationRepository, "pools", side_effect=AssertionError("whole")):
        run(onhand, ("lose", "W", None, "A", Decimal(3), None))
        run(onhand, ("found", "W", None, "A", Decimal(1), Decimal("7.5")))
    with onhand.reading() as uow:
        (pool,) = uow.valuation.pools().values()
    assert [layer.quantity for layer in pool.layers][:2] == [Decimal(1), Decimal(2)]
    assert len(pool.layers) == 40 and pool.layers[-1].value == Decimal("7.5")
    assert_pool_totals_equal_their_layers(onhand)


def test_a_receipt_into_a_pool_reads_none_of_its_layers(onhand):
    """A pool only added to, from outside, gets a layer newer than any it holds: its layers
    are not read, however few. A take reads them, and so does a transfer in (it carries its
    layers' dates, which may be older than the destination's newest)."""
    for code in PLACES:
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind="warehouse"))
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    for n in range(6):
        run(onhand, ("found", "W", None, "A", Decimal(2), Decimal(n + 1)))
        run(onhand, ("found", "W", None, "B", Decimal(2), Decimal(n + 1)))

    def layers_read(op) -> int:
        with mock.patch.object(cost_pool_reads, "_positioned", wraps=cost_pool_reads._positioned) as read:
            run(onhand, op)
        return read.call_count

    assert layers_read(("found", "W", None, "A", Decimal(1), Decimal("7.5"))) == 0
    assert layers_read(("lose", "W", None, "A", Decimal(3), None)) == 7
    assert layers_read(("move", "W", None, "B", Decimal(1), None)) == 6 + 6  # both pools, whole
    with onhand.reading() as uow:
        (a, b) = (pool for _key, pool in sorted(uow.valuation.pools().items()))
    # A's first layer went, half its second; B's oldest unit came in before that half.
    assert [(layer.quantity, layer.value) for layer in a.layers] == [
        (1, 1), (1, 2), (2, 6), (2, 8), (2, 10), (2, 12), (1, Decimal("7.5"))]
    assert sum(layer.quantity for layer in b.layers) == Decimal(11)
    assert_pool_totals_equal_their_layers(onhand)
