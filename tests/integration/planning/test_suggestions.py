"""Textbook replenishment cases on a real database (SQLite, and PostgreSQL when given).

Today is 2026-03-02 (the test clock); the company's time zone is UTC.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.assemblies.commands import ComponentLine, SetBillOfMaterials, SetBundleComponents
from onhand.domain.errors import InvalidInput
from onhand.domain.planning.commands import CreateSuggestedDocuments, SetReorderRule
from onhand.domain.planning.safety_stock import z_score
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.planning.helpers import price, rule, sell
from tests.integration.purchasing_helpers import placed, supplier

TODAY = date(2026, 3, 2)


@pytest.fixture
def sites(onhand):
    add_place(onhand, "NY")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "OCEAN", kind="transit")
    add_item(onhand, "W")
    supplier(onhand, "ACME", lead_time_days=7)
    return onhand


def lines(suggestions):
    return [(group.supplier, line.sku, line.site, line.quantity) for group in suggestions.purchases
            for line in group.lines]


def moves(suggestions):
    return [(t.sku, t.source, t.destination, t.quantity) for t in suggestions.transfers]


def test_min_max_counts_what_is_incoming_and_orders_up_to_the_maximum(sites):
    onhand = sites
    adjust(onhand, "NY-A1", "W", 5)  # in a bin: rolled up into NY
    price(onhand, "ACME", "W", "2.50")
    rule(onhand, "W", "NY", minimum=10, maximum=50)
    placed(onhand, ("W", 3, "2.50"), expected_date=TODAY + timedelta(days=4))

    made = services.suggestions.suggest(onhand)

    assert lines(made) == [("ACME", "W", "NY", Decimal(42))]  # 50 − (5 + 3)
    (group,) = made.purchases
    (line,) = group.lines
    assert group.total_cost == Decimal("105") and line.cost == Decimal("105")
    assert line.expected_date == TODAY + timedelta(days=7)
    assert "below minimum 10 by 5 on 2026-03-02" in line.reason
    assert "3 incoming on 2026-03-06" in line.reason


def test_nothing_is_suggested_when_incoming_stock_lifts_the_position_to_the_minimum(sites):
    onhand = sites
    adjust(onhand, "NY", "W", 5)
    price(onhand, "ACME", "W", "2.50")
    rule(onhand, "W", "NY", minimum=10, maximum=50)
    placed(onhand, ("W", 5, "2.50"))

    assert lines(services.suggestions.suggest(onhand)) == []


def test_reorder_point_is_lead_time_demand_plus_safety_stock(sites, clock):
    onhand = sites
    adjust(onhand, "NY", "W", 100)
    for back in range(1, 11):  # 4 a day over the last ten days
        sell(onhand, clock, "NY", "W", 4, TODAY - timedelta(days=back))
    price(onhand, "ACME", "W", "1")
    # position 60; reorder point 4 × 5 days + 45 safety = 65: order lots of 50 until ≥ 65
    rule(onhand, "W", "NY", reorder_quantity=50, safety_stock=45, lead_time_days=5, demand_window_days=10)

    made = services.suggestions.suggest(onhand)

    assert lines(made) == [("ACME", "W", "NY", Decimal(50))]
    (demand,) = services.forecasts.demand_history(onhand, sku="W", window_days=10)
    assert (demand.total, demand.average_daily, demand.deviation) == (40, 4, 0)
    assert services.forecasts.projected_stock(onhand, sku="W", site_code="NY").minimum == 65


def test_safety_stock_from_a_service_level_is_z_sigma_root_lead_time(sites, clock):
    onhand = sites
    adjust(onhand, "NY", "W", 1000)
    for back, quantity in ((1, 2), (2, 6), (3, 4), (4, 8)):
        sell(onhand, clock, "NY", "W", quantity, TODAY - timedelta(days=back))
    rule(onhand, "W", "NY", service_level="0.95", lead_time_days=9, demand_window_days=4)

    (demand,) = services.forecasts.demand_history(onhand, sku="W", window_days=4)
    # the last four whole days sold 8, 4, 6, 2: mean 5, variance (64 + 16 + 36 + 4) / 4 − 25 = 5
    assert demand.total == 20 and demand.average_daily == 5
    sigma = Decimal(5).sqrt()
    projection = services.forecasts.projected_stock(onhand, sku="W", site_code="NY", days=3)
    expected_safety = (z_score(Decimal("0.95")) * sigma * 3).to_integral_value(rounding="ROUND_CEILING")
    assert projection.minimum == 5 * 9 + expected_safety


def test_minimum_order_quantity_and_multiple_round_a_purchase_up(sites):
    onhand = sites
    adjust(onhand, "NY", "W", 3)
    price(onhand, "ACME", "W", "1", min_order_quantity="20", pack_size="12")
    rule(onhand, "W", "NY", minimum=10)

    assert lines(services.suggestions.suggest(onhand)) == [("ACME", "W", "NY", Decimal(24))]  # 7 → 20 → 24


def test_a_sister_site_with_surplus_is_asked_before_a_supplier(sites):
    onhand = sites
    adjust(onhand, "NY", "W", 100)
    adjust(onhand, "LA", "W", 2)
    price(onhand, "ACME", "W", "1")
    rule(onhand, "W", "NY", minimum=80)
    rule(onhand, "W", "LA", minimum=10, maximum=30)

    made = services.suggestions.suggest(onhand)

    assert moves(made) == [("W", "NY", "LA", Decimal(20))]  # NY keeps its own minimum of 80
    assert lines(made) == []  # LA is back above its minimum
    assert "NY has 20 above its own minimum 80" in made.transfers[0].reason


def test_no_transfer_is_suggested_where_stock_has_no_way_to_travel(sites):
    onhand = sites
    add_place(onhand, "TRUCK", kind="transit")  # two transit places and no route: no way chosen
    adjust(onhand, "NY", "W", 100)
    price(onhand, "ACME", "W", "1")
    rule(onhand, "W", "LA", minimum=10, maximum=30)

    made = services.suggestions.suggest(onhand)

    assert moves(made) == [] and lines(made) == [("ACME", "W", "LA", Decimal(30))]


def test_what_a_sister_site_cannot_give_is_bought(sites):
    onhand = sites
    adjust(onhand, "NY", "W", 85)
    price(onhand, "ACME", "W", "1")
    rule(onhand, "W", "NY", minimum=80)
    rule(onhand, "W", "LA", minimum=10, maximum=30)

    made = services.suggestions.suggest(onhand)

    assert moves(made) == [("W", "NY", "LA", Decimal(5))]
    assert lines(made) == [("ACME", "W", "LA", Decimal(25))]


def test_a_bundles_sales_are_demand_on_its_components(sites, clock):
    onhand = sites
    add_item(onhand, "A")
    add_item(onhand, "KIT", kind="bundle")
    services.bundles.set_components(onhand, SetBundleComponents("KIT", (ComponentLine("W", Decimal(2)),
                                                                        ComponentLine("A", Decimal(1)))))
    adjust(onhand, "NY", "W", 50)
    adjust(onhand, "NY", "A", 50)
    sell(onhand, clock, "NY", "KIT", 3, TODAY - timedelta(days=1))

    demand = {(d.sku, d.site): d.total for d in services.forecasts.demand_history(onhand, window_days=30)}

    assert demand == {("W", "NY"): 6, ("A", "NY"): 3}
    with pytest.raises(InvalidInput, match="bundle"):
        services.reorder_rules.set_reorder_rule(onhand, SetReorderRule(sku="KIT", site="NY", minimum=Decimal(1)))


def test_an_assemblys_sales_are_passed_down_to_its_components(sites, clock):
    onhand = sites
    add_item(onhand, "ASM")
    services.boms.set_bill_of_materials(onhand, SetBillOfMaterials("ASM", (ComponentLine("W", Decimal(3)),)))
    adjust(onhand, "NY", "ASM", 10)
    sell(onhand, clock, "NY", "ASM", 2, TODAY - timedelta(days=2))

    (row,) = services.forecasts.demand_history(onhand, sku="W", window_days=30)

    assert (row.total, row.from_assemblies) == (6, 6)


def test_returns_are_netted_out_of_demand(sites, clock):
    from onhand.domain.orders.commands import ReceiveReturn, ReturnLine

    onhand = sites
    adjust(onhand, "NY", "W", 20)
    reference = sell(onhand, clock, "NY", "W", 5, TODAY - timedelta(days=3))
    clock.advance(days=-2)  # two came back two days ago
    services.returns.receive_return(onhand, ReceiveReturn(reference, "NY", (ReturnLine(1, Decimal(2)),)))
    clock.advance(days=2)

    (row,) = services.forecasts.demand_history(onhand, sku="W", window_days=30)

    assert row.total == 3


def test_suggestions_become_draft_documents_in_one_action_and_are_not_suggested_again(sites):
    onhand = sites
    adjust(onhand, "NY", "W", 85)
    price(onhand, "ACME", "W", "1")
    rule(onhand, "W", "NY", minimum=80)
    rule(onhand, "W", "LA", minimum=10, maximum=30)

    made = services.suggested_documents.create_suggested_documents(onhand, CreateSuggestedDocuments(),
                                                                   idempotency_key="monday")

    assert len(made.purchase_orders) == 1 and len(made.transfers) == 1 and made.skipped == ()
    order = services.purchase_orders.get_purchase_order(onhand, made.purchase_orders[0])
    assert (order.status, order.supplier, order.destination) == ("draft", "ACME", "LA")
    assert [(ln.sku, ln.quantity) for ln in order.lines] == [("W", Decimal(25))]
    transfer = services.transfer_orders.get_transfer(onhand, made.transfers[0])
    assert (transfer.status, transfer.source, transfer.destination) == ("draft", "NY", "LA")
    again = services.suggestions.suggest(onhand)
    assert lines(again) == [] and moves(again) == []
    retried = services.suggested_documents.create_suggested_documents(onhand, CreateSuggestedDocuments(),
                                                                      idempotency_key="monday")
    assert retried.purchase_orders == () and retried.transfers == ()
