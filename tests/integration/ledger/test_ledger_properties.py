"""Property-based: any sequence of postings keeps the ledger's laws.

Given random adjustments, relocations and counts (some of which must be refused),
the balances always equal an independent model, never go below zero at a guarded
location, sum to zero per item and lot, and equal the fold of the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, CreateLot
from onhand.domain.errors import InsufficientStock
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, PostStockCount
from onhand.services.ledger.postings import StockLine
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples

GUARDED = ["A", "A1", "B", "X"]
PLACES = [*GUARDED, "N"]  # N may go negative
ITEMS = {"W": None, "T": ["L1", "L2"]}  # W plain (each), T lot-tracked (kg)

item_and_lot = st.sampled_from([("W", None), ("T", "L1"), ("T", "L2")])


def amount(sku: str):
    if sku == "W":
        return st.integers(1, 20).map(Decimal)
    return st.integers(1, 20_000).map(lambda n: Decimal(n) / 1000)


@st.composite
def operation(draw):
    kind = draw(st.sampled_from(["adjust", "relocate", "count"]))
    sku, lot = draw(item_and_lot)
    qty = draw(amount(sku))
    if kind == "adjust":
        sign = draw(st.sampled_from([1, -1]))
        return ("adjust", draw(st.sampled_from(PLACES)), sku, lot, sign * qty)
    if kind == "relocate":
        source, destination = draw(st.permutations(PLACES).map(lambda p: p[:2]))
        return ("relocate", source, destination, sku, lot, qty)
    counted = draw(st.one_of(st.just(Decimal(0)), amount(sku)))
    return ("count", draw(st.sampled_from(GUARDED)), sku, lot, counted)


def setup(onhand):
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.items.create_item(onhand, CreateItem(sku="T", name="Tea", unit="kg", tracking="lot"))
    for sku_lot in ITEMS["T"]:
        services.lots.create_lot(onhand, CreateLot(sku="T", code=sku_lot))
    def make(onhand, **fields):
        return services.locations.create_location(onhand, CreateLocation(**fields))
    make(onhand, code="A", name="A", kind="warehouse")
    make(onhand, code="A1", name="A1", kind="bin", parent="A")
    make(onhand, code="B", name="B", kind="store")
    make(onhand, code="N", name="N", kind="store", allow_negative=True)
    make(onhand, code="X", name="X", kind="transit")


def apply(onhand, model, op):
    """Post `op` and mirror it in `model`; a refused posting must leave both unchanged."""
    changes: dict[tuple, Decimal] = defaultdict(Decimal)
    if op[0] == "adjust":
        _, place, sku, lot, qty = op
        changes[(sku, place, lot)] += qty
        call = lambda: services.adjustments.post_adjustment(  # noqa: E731
            onhand, PostAdjustment(location=place, lines=[StockLine(sku, qty, lot)], reason="correction")
        )
    elif op[0] == "relocate":
        _, source, destination, sku, lot, qty = op
        changes[(sku, source, lot)] -= qty
        changes[(sku, destination, lot)] += qty
        call = lambda: services.relocations.move_stock(  # noqa: E731
            onhand, MoveStock(source=source, destination=destination, lines=[StockLine(sku, qty, lot)])
        )
    else:
        _, place, sku, lot, counted = op
        changes[(sku, place, lot)] += counted - model[(sku, place, lot)]
        call = lambda: services.counts.post_stock_count(  # noqa: E731
            onhand, PostStockCount(location=place, lines=[StockLine(sku, counted, lot)])
        )
    refused = any(
        model[key] + delta < 0 for key, delta in changes.items() if key[1] in GUARDED and delta < 0
    )
    if refused:
        with pytest.raises(InsufficientStock):
            call()
        return
    call()
    for key, delta in changes.items():
        model[key] += delta


def balances(onhand):
    report = services.stock.stock_levels(onhand, group_by="balance")
    return {(lv.sku, lv.location, lv.lot): lv.on_hand for lv in report.levels if lv.on_hand}


@pytest.mark.parametrize("backend", BACKENDS)
@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(operation(), min_size=1, max_size=25))
def test_random_postings_keep_the_ledger_laws(backend, ops):
    with fresh_database(backend) as url:
        onhand = open_onhand(url)
        try:
            setup(onhand)
            model: dict[tuple, Decimal] = defaultdict(Decimal)
            for op in ops:
                apply(onhand, model, op)
            assert balances(onhand) == {k: v for k, v in model.items() if v}
            assert all(v >= 0 for k, v in model.items() if k[1] in GUARDED)
            report = services.integrity.verify(onhand)
            assert report.ok, report
        finally:
            onhand.close()
