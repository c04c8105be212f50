"""Wave fulfilment (`services.waves.fulfil_orders`): many orders allocated and shipped at once.

The wave must leave exactly what allocating and shipping each order in turn leaves
(oldest first): the same shipments (lines, places, lots), statuses, routing notes,
reservations, balances and values — proven over random stock and orders — and never
ship what is not free, also when waves and single allocations race on PostgreSQL.
"""

from __future__ import annotations

import tempfile
from dataclasses import astuple
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, CreateLot
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipOrder
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.services.orders.sales_orders import NewOrderLine
from onhand.services.orders.views import ShipTo
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine
from tests.conftest import Clock
from tests.databases import POSTGRES_URL, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, level, order
from tests.integration.orders.test_order_concurrency import race

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# (sku, lot): W untracked; T in lots, L0 already expired, L2 expiring before L1.
STOCK = [("W", None), ("T", "L1"), ("T", "L2"), ("T", "L0")]
PLACES = ["A", "A1", "B", "Q"]  # A1 a bin of A; Q not sellable
REGIONS = {"NY": ShipTo(country="US", region="NY"), "CA": ShipTo(country="US", region="CA")}


def setup(onhand):
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.items.create_item(onhand, CreateItem(sku="T", name="Tea", tracking="lot"))
    for code, expiry in (("L0", "2026-03-01"), ("L1", "2027-06-01"), ("L2", "2026-09-01")):
        services.lots.create_lot(onhand, CreateLot(sku="T", code=code, expiry_date=expiry))
    def make(onhand, **fields):
        return services.locations.create_location(onhand, CreateLocation(**fields))
    make(onhand, code="A", name="A", kind="warehouse", address={"country": "US", "region": "NY"})
    make(onhand, code="A1", name="A1", kind="bin", parent="A")
    make(onhand, code="B", name="B", kind="store", address={"country": "US", "region": "CA"})
    make(onhand, code="Q", name="Q", kind="warehouse", sellable=False)
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))


def receive(onhand, place, sku, lot, quantity, cost):
    bought = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier="ACME", destination="A" if place == "A1" else place,
        lines=[NewPurchaseLine(sku, quantity, cost)]))
    services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(bought.reference))
    services.receiving.receive_purchase_order(
        onhand, ReceivePurchaseOrder(bought.reference, lines=[ReceiptLine(1, quantity, lot=lot, location=place)]))


def one_by_one(onhand, references, *, ship=True):
    """The reference behaviour: each order allocated, then (`ship`) shipped if all of it is reserved."""
    for reference in references:
        view = services.sales_orders.get_order(onhand, reference)
        if view.status not in {"open", "backordered", "allocated", "partially_shipped"}:
            continue
        view = services.sales_orders.allocate_order(onhand, OrderAction(reference))
        if ship and all(line.reserved == line.quantity - line.shipped for line in view.lines):
            services.shipping.ship_order(onhand, ShipOrder(reference))


def outcome(onhand, references):
    """Everything the two paths must agree on, without ids."""
    orders = []
    for reference in references:
        view = services.sales_orders.get_order(onhand, reference)
        orders.append((
            view.status, view.routing_note,
            [(ln.reserved, ln.shipped, ln.backordered, sorted(astuple(r) for r in ln.reservations))
             for ln in view.lines],
            [[astuple(line) for line in shipment.lines] for shipment in view.shipments],
            [[(m.sku, m.lot, m.source, m.quantity, m.role, m.value)
              for m in services.valuation_reports.move_values(onhand, shipment.posting_id).moves]
             for shipment in view.shipments],
        ))
    stock = [astuple(lv) for lv in services.stock.stock_levels(onhand, group_by="lot").levels]
    report = services.valuation_reports.valuation_report(onhand, group_by="lot")
    values = [astuple(line) for line in report.lines]
    return orders, stock, values


line_strategy = st.tuples(
    st.sampled_from(["W", "T"]), st.integers(1, 4),
    st.sampled_from([None, None, None, None, "L1", "L2", "L0"]),  # a pinned lot (T only)
    st.sampled_from([None, None, None, None, None, "A", "B"]),  # a chosen location
)


@st.composite
def scenario(draw):
    stock = draw(st.lists(
        st.tuples(st.sampled_from(PLACES), st.sampled_from(STOCK), st.integers(3, 12),
                  st.sampled_from(["4.00", "5.50", "6.25"])),
        min_size=3, max_size=10))
    orders = draw(st.lists(
        st.tuples(st.lists(line_strategy, min_size=1, max_size=2), st.sampled_from(sorted(REGIONS)),
                  st.sampled_from(["new", "new", "new", "new", "allocated", "cancelled"])),
        min_size=3, max_size=8))
    return stock, orders


def build(onhand, stock, orders):
    setup(onhand)
    for place, (sku, lot), quantity, cost in stock:
        receive(onhand, place, sku, lot, quantity, cost)
    references = []
    for lines, region, state in orders:
        made = [NewOrderLine(sku, quantity, lot=pin if sku == "T" else None, location=chosen)
                for sku, quantity, pin, chosen in lines]
        view = services.sales_orders.create_order(onhand, CreateOrder(lines=made, ship_to=REGIONS[region]))
        if state == "allocated":
            services.sales_orders.allocate_order(onhand, OrderAction(view.reference))
        elif state == "cancelled":
            services.sales_orders.cancel_order(onhand, OrderAction(view.reference))
        references.append(view.reference)
    return references


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=scenario(), ship=st.booleans())
def test_a_wave_leaves_exactly_what_allocating_and_shipping_each_order_in_turn_leaves(case, ship):
    """With `ship` false: a batch allocation (`allocate_orders`) against `allocate_order` on each."""
    stock, orders = case
    results = []
    with tempfile.TemporaryDirectory() as directory:
        for path in ("one", "wave"):
            Path(directory, path).mkdir()
            with fresh_database("sqlite") as url:
                onhand = open_onhand(url, clock=Clock(NOW))
                try:
                    references = build(onhand, stock, orders)
                    if path == "one":
                        one_by_one(onhand, references, ship=ship)
                    else:
                        run = services.waves.fulfil_orders if ship else services.waves.allocate_orders
                        wave = run(onhand, list(reversed(references)))
                        assert [o.reference for o in wave.orders] == references  # oldest first
                        for shipped in wave.shipped:
                            assert ship and services.sales_orders.get_order(onhand, shipped).shipments
                    assert_books_balance(onhand)
                    results.append(outcome(onhand, references))
                finally:
                    onhand.close()
    assert results[0] == results[1]


# --- behaviour, on SQLite and PostgreSQL ---------------------------------------------


@pytest.fixture
def shop(onhand):
    add_item(onhand, "W")
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY", address={"country": "US", "region": "NY"})
    add_place(onhand, "LA", kind="store", address={"country": "US", "region": "CA"})
    return onhand


def test_a_wave_ships_what_is_covered_backorders_the_rest_and_skips_what_is_closed(shop):
    adjust(shop, "NY", "W", 5)
    adjust(shop, "NY", "TEA", 4, lot="OLD", expiry_date="2026-01-31")  # expired: never shipped
    adjust(shop, "NY", "TEA", 3, lot="JUN", expiry_date="2026-06-30")
    adjust(shop, "LA", "TEA", 6, lot="DEC", expiry_date="2026-12-31")
    big = order(shop, ("W", 8))  # oldest: takes the 5 there are, waits for 3
    small = order(shop, ("W", 2))  # nothing left for it
    tea = order(shop, ("TEA", 4), ship_to=ShipTo(country="US", region="NY"))
    gone = order(shop, ("W", 1))
    services.sales_orders.cancel_order(shop, OrderAction(gone.reference))

    wave = services.waves.fulfil_orders(shop, [tea.reference, small.reference, big.reference, gone.reference])

    assert [(o.reference, o.status, o.shipped) for o in wave.orders] == [
        (big.reference, "backordered", False), (small.reference, "backordered", False),
        (tea.reference, "shipped", True), (gone.reference, "cancelled", False)]
    assert wave.shipped == (tea.reference,) and wave.skipped == (gone.reference,)
    assert wave.waiting == (big.reference, small.reference)
    assert level(shop, "W") == (5, 5, 0)
    shipped = services.sales_orders.get_order(shop, tea.reference).shipments[0].lines
    # NY holds only 3 usable units (OLD has expired): LA can ship it whole.
    assert [(ln.location, ln.lot, ln.quantity) for ln in shipped] == [("LA", "DEC", 4)]
    assert level(shop, "TEA", lot="OLD") == (4, 0, 0)  # expired: on hand, not available
    assert_books_balance(shop)


def test_a_wave_again_changes_nothing_for_orders_already_shipped(shop):
    adjust(shop, "NY", "W", 10)
    refs = [order(shop, ("W", 2)).reference for _ in range(3)]
    services.waves.fulfil_orders(shop, refs)
    moves = services.integrity.verify(shop).moves_checked

    again = services.waves.fulfil_orders(shop, refs)

    assert again.shipped == () and again.skipped == tuple(refs)
    assert {o.note for o in again.orders} == {"order is shipped"}
    assert services.integrity.verify(shop).moves_checked == moves
    assert level(shop, "W") == (4, 0, 4)


def test_a_wave_with_an_unknown_order_is_refused_whole_naming_it(shop):
    adjust(shop, "NY", "W", 10)
    known = order(shop, ("W", 2)).reference
    with pytest.raises(NotFound) as caught:
        services.waves.fulfil_orders(shop, [known, "SO-NOPE"])
    assert caught.value.field == "references[1]"
    assert services.sales_orders.get_order(shop, known).status == "open"
    assert level(shop, "W") == (10, 0, 10)


@pytest.mark.parametrize("given", [[], "SO-1", [""], ["SO-1"] * 1001])
def test_a_wave_needs_a_list_of_references(shop, given):
    with pytest.raises(InvalidInput) as caught:
        services.waves.fulfil_orders(shop, given)
    assert caught.value.field.startswith("references")


def test_a_wave_values_each_shipment_like_a_single_shipment(shop):
    services.suppliers.create_supplier(shop, CreateSupplier(code="ACME", name="Acme"))
    for cost in ("5.00", "6.00"):
        bought = services.purchase_orders.create_purchase_order(
            shop, CreatePurchaseOrder(supplier="ACME", destination="NY", lines=[NewPurchaseLine("W", 10, cost)]))
        services.purchase_orders.place_purchase_order(shop, PurchaseOrderAction(bought.reference))
        services.receiving.receive_purchase_order(shop, ReceivePurchaseOrder(bought.reference, lines=[ReceiptLine(1,
            10)]))
    refs = [order(shop, ("W", 5)).reference, order(shop, ("W", 10)).reference]

    services.waves.fulfil_orders(shop, refs)

    cogs = [
        sum(v.value for v in services.valuation_reports.move_values(
            shop, services.sales_orders.get_order(shop, ref).shipments[0].posting_id).moves)
        for ref in refs
    ]
    assert cogs == [Decimal("25.00"), Decimal("55.00")]  # FIFO: 5 @ 5.00; 5 @ 5.00 + 5 @ 6.00
    report = services.valuation_reports.valuation_report(shop, group_by="item")
    assert report.total_value == Decimal("30.00")


def test_a_batch_allocation_reserves_oldest_first_and_ships_nothing(shop):
    adjust(shop, "NY", "W", 5)
    first, second, third = (order(shop, ("W", quantity)).reference for quantity in (2, 4, 1))

    batch = services.waves.allocate_orders(shop, [third, second, first])

    assert [(o.reference, o.status, o.shipped) for o in batch.orders] == [
        (first, "allocated", False), (second, "backordered", False), (third, "backordered", False)]
    assert [services.sales_orders.get_order(shop, ref).lines[0].reserved for ref in (first, second, third)] == [2, 3, 0]
    assert level(shop, "W") == (5, 5, 0)
    assert_books_balance(shop)


# --- racing, on PostgreSQL -------------------------------------------------------------


@pytest.mark.skipif(POSTGRES_URL is None, reason="needs ONHAND_TEST_DATABASE_URL")
def test_racing_waves_and_allocations_never_ship_or_promise_more_than_there_is(tmp_path):
    with fresh_database("postgresql") as url:
        onhand = open_onhand(url, clock=Clock(NOW))
        try:
            add_item(onhand, "W")
            add_place(onhand, "NY")
            adjust(onhand, "NY", "W", 40)
            # 8 waves (4 shipping, 4 allocating) of 5 orders and 8 single allocations, 2
            # units each: 96 asked for 40.
            waves = [[order(onhand, ("W", 2)).reference for _ in range(5)] for _ in range(8)]
            singles = [order(onhand, ("W", 2)).reference for _ in range(8)]

            def worker(n):
                if n % 4 == 0:
                    return services.waves.fulfil_orders(onhand, waves[n // 2])
                if n % 4 == 2:
                    return services.waves.allocate_orders(onhand, waves[n // 2])
                return services.sales_orders.allocate_order(onhand, OrderAction(singles[n // 2]))

            race(worker, threads=16)

            views = [services.sales_orders.get_order(onhand, ref) for wave in waves for ref in wave] + [
                services.sales_orders.get_order(onhand, ref) for ref in singles]
            shipped = sum(v.lines[0].shipped for v in views)
            reserved = sum(v.lines[0].reserved for v in views)
            assert shipped + reserved == 40  # every unit went to someone, none twice
            assert level(onhand, "W") == (40 - shipped, reserved, 0)
            assert_books_balance(onhand)
        finally:
            onhand.close()
