"""Property-based: bundle availability is the formula; builds keep the ledger's laws.

(1) Given random component stock over sellable and non-sellable places, lots that are
    usable or expired, and reservations made by allocating sales orders, a nested
    bundle's availability (in total and per site) equals the formula computed here,
    independently, from the balances.
(2) Given random builds, partial builds and disassemblies mixed with adjustments (some
    of which must be refused), every total equals a model, nothing guarded goes
    negative, and `verify` proves projection == ledger and conservation.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.assemblies.commands import (
    BuildRun,
    ComponentLine,
    CreateBuildOrder,
    Disassemble,
    SetBillOfMaterials,
    SetBundleComponents,
)
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.errors import InsufficientStock, InvalidInput, NotFound
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.orders.commands import CreateOrder, OrderAction
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.sales_orders import NewOrderLine
from tests.conftest import Clock
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples

SETTINGS = settings(
    max_examples=examples(10), deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# (place, sellable site it rolls up into or None); CAGE is a non-sellable bin of LA.
PLACES = {"NY": "NY", "NY-1": "NY", "LA": "LA", "CAGE": None}
STOCK = [("A", None), ("B", None), ("C", "FRESH"), ("C", "OLD")]  # C lot OLD has expired


def _open(backend: str, directory: str):
    clock = Clock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    return fresh_database(backend), clock


def _places(onhand) -> None:
    def make(onhand, **fields):
        return services.locations.create_location(onhand, CreateLocation(**fields))
    make(onhand, code="NY", name="NY", kind="warehouse")
    make(onhand, code="NY-1", name="NY-1", kind="bin", parent="NY")
    make(onhand, code="LA", name="LA", kind="warehouse")
    make(onhand, code="CAGE", name="Cage", kind="bin", parent="LA", sellable=False)


@pytest.mark.parametrize("backend", BACKENDS)
@SETTINGS
@given(
    stock=st.lists(st.tuples(st.sampled_from(list(PLACES)), st.sampled_from(STOCK), st.integers(1, 30)), max_size=10),
    orders=st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(1, 12)), max_size=4),
    per=st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 2), st.integers(1, 3)),
)
def test_bundle_availability_is_the_formula_per_site_summed_over_the_sites(backend, stock, orders, per):
    a, b, k, c = per
    with tempfile.TemporaryDirectory() as directory:
        database, clock = _open(backend, directory)
        with database as url:
            onhand = open_onhand(url, clock=clock)
            try:
                _places(onhand)
                for sku, tracking in (("A", "none"), ("B", "none"), ("C", "lot")):
                    services.items.create_item(onhand, CreateItem(sku=sku, name=sku, tracking=tracking))
                for sku in ("K1", "K2"):
                    services.items.create_item(onhand, CreateItem(sku=sku, name=sku, kind="bundle"))
                for bundle, parts in (("K1", [("A", a), ("B", b)]), ("K2", [("K1", k), ("C", c)])):
                    services.bundles.set_components(onhand, SetBundleComponents(
                        bundle, components=[ComponentLine(*p) for p in parts]
                    ))
                for place, (sku, lot), qty in stock:
                    expiry = {"FRESH": "2027-01-01", "OLD": "2026-03-01"}.get(lot or "")
                    services.adjustments.post_adjustment(
                        onhand, PostAdjustment(
                            location=place, reason="found", lines=[StockLine(sku, qty, lot, expiry_date=expiry)])
                    )
                for sku, qty in orders:
                    made = services.sales_orders.create_order(
                        onhand, CreateOrder(lines=[NewOrderLine(sku, qty)]),
                    )
                    services.sales_orders.allocate_order(onhand, OrderAction(made.reference))

                free = _free_by_site(onhand)
                needs = {"K1": {"A": a, "B": b}, "K2": {"A": k * a, "B": k * b, "C": c}}
                for bundle, need in needs.items():
                    figure = services.bundles.bundle_availability(onhand, bundle)
                    # A bundle ships whole from one site: the total is the sum of the sites' kits.
                    assert figure.available == sum((_formula(need, free[site]) for site in free), Decimal(0))
                    for place in figure.locations:
                        assert place.quantity == _formula(need, free[place.location])
                assert services.integrity.verify(onhand).ok
            finally:
                onhand.close()


def _free_by_site(onhand) -> dict[str, dict[str, Decimal]]:
    """Independently of the services' rule: on hand − reserved, floored at zero, at
    sellable places, in lots not expired (none is quarantined here)."""
    free: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for lv in services.stock.stock_levels(onhand, group_by="balance").levels:
        site = PLACES[lv.location]
        if site is None or lv.lot == "OLD":
            continue
        free[site][lv.sku] += max(lv.on_hand - lv.reserved, Decimal(0))
    return free


def _formula(need: dict[str, int], have: dict[str, Decimal]) -> Decimal:
    return min((Decimal(have.get(sku, 0)) / qty).to_integral_value(rounding=ROUND_FLOOR) for sku, qty in need.items())


# --- (2) builds, partial builds, disassemblies and adjustments --------------------------------

operation = st.one_of(
    st.tuples(st.just("adjust"), st.sampled_from([("P", None), ("Q", "Q1"), ("Q", "Q2")]), st.integers(-8, 15)),
    st.tuples(st.just("build"), st.integers(1, 6), st.integers(1, 6)),
    st.tuples(st.just("disassemble"), st.sampled_from(["Z1", "Z2", "Z3"]), st.integers(1, 4)),
)


@pytest.mark.parametrize("backend", BACKENDS)
@SETTINGS
@given(ops=st.lists(operation, min_size=1, max_size=15))
def test_builds_and_disassemblies_keep_the_ledger_laws(backend, ops):
    with tempfile.TemporaryDirectory() as directory:
        database, clock = _open(backend, directory)
        with database as url:
            onhand = open_onhand(url, clock=clock)
            try:
                _places(onhand)
                services.items.create_item(onhand, CreateItem(sku="P", name="P"))
                services.items.create_item(onhand, CreateItem(sku="Q", name="Q", tracking="lot"))
                services.items.create_item(onhand, CreateItem(sku="Z", name="Z", tracking="lot", kind="assembly"))
                services.boms.set_bill_of_materials(
                    onhand, SetBillOfMaterials(
                        "Z", components=[ComponentLine("P", 2, scrap_percent=25), ComponentLine("Q", 1)]
                    )
                )
                model: dict[str, Decimal] = defaultdict(Decimal)
                lots_built = 0
                for op in ops:
                    lots_built = _apply(onhand, model, op, lots_built)
                    totals = {lv.sku: lv.on_hand for lv in services.stock.stock_levels(onhand).levels if lv.on_hand}
                    assert totals == {sku: v for sku, v in model.items() if v}
                report = services.integrity.verify(onhand)
                assert report.ok, report
                assert all(lv.on_hand >= 0 for lv in services.stock.stock_levels(onhand, group_by="balance").levels)
            finally:
                onhand.close()


def _apply(onhand, model, op, lots_built: int) -> int:
    if op[0] == "adjust":
        _, (sku, lot), delta = op
        if delta == 0:
            return lots_built
        try:
            services.adjustments.post_adjustment(
                onhand, PostAdjustment(
                    location="NY", reason="correction", lines=[StockLine(sku, delta, lot, expiry_date="2027-01-01")])
            )
        except (InsufficientStock, InvalidInput, NotFound):
            return lots_built  # more lost than there is, or an unknown lot lost
        model[sku] += delta
        return lots_built
    if op[0] == "build":
        _, planned, now = op
        order = services.builds.create_build_order(onhand, CreateBuildOrder(sku="Z", location="NY", quantity=planned))
        amount = min(now, planned)
        try:
            services.builds.build(onhand, BuildRun(
                order.reference, quantity=amount, output_lot=f"Z{lots_built % 3 + 1}"
            ))
        except InsufficientStock:
            return lots_built
        model["P"] -= (Decimal(amount) * Decimal("2.5")).to_integral_value(rounding="ROUND_CEILING")
        model["Q"] -= amount
        model["Z"] += amount
        return lots_built + 1
    _, lot, amount = op
    try:
        services.disassembly.disassemble(onhand, Disassemble(sku="Z", location="NY", quantity=amount, lot=lot))
    except (InsufficientStock, InvalidInput, NotFound):
        return lots_built  # not that many (or no such lot) to take apart
    model["Z"] -= amount
    model["P"] += 2 * amount
    model["Q"] += amount
    return lots_built
