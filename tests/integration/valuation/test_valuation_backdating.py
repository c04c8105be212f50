"""Backdated postings: valued where they fall in the item's history, and what they affect re-valued."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.errors import InsufficientStock, InvalidInput
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.orders.commands import ShipOrder
from onhand.domain.purchasing.commands import AddLandedCosts
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, allocated, assert_books_balance
from tests.integration.purchasing_helpers import placed, receive, supplier


@pytest.fixture
def stocked(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    supplier(onhand)
    return onhand


def _ship(onhand, quantity):
    view = allocated(onhand, ("W", quantity))
    return services.shipping.ship_order(onhand, ShipOrder(view.reference)).shipments[-1].posting_id


def _value(onhand, posting_id):
    return services.valuation_reports.move_values(onhand, posting_id).total_value


def test_a_backdated_receipt_before_a_shipment_changes_its_fifo_cogs_to_the_textbook_value(stocked, clock):
    start = clock()
    clock.advance(days=2)
    late = placed(stocked, ("W", 10, "5.00"))
    clock.advance(days=1)
    receive(stocked, placed(stocked, ("W", 10, "6.00")).reference, (1, 10))
    clock.advance(days=1)
    shipment = _ship(stocked, 8)
    assert _value(stocked, shipment) == D("48")  # 8 @ 6.00: all there was
    clock.advance(days=1)
    receive(stocked, late.reference, (1, 10), effective_at=start + timedelta(days=2, hours=1))
    assert _value(stocked, shipment) == D("40")  # 8 @ 5.00: the older layer leaves first
    report = services.valuation_reports.valuation_report(stocked)
    assert (report.total_quantity, report.total_value) == (12, D("70"))  # 2 @ 5.00 + 10 @ 6.00
    assert_books_balance(stocked)


def test_a_backdated_loss_can_take_only_what_is_on_hand_now(stocked, clock):
    received_at = clock()
    receive(stocked, placed(stocked, ("W", 10, "5.00")).reference, (1, 10))
    clock.advance(days=1)
    services.adjustments.post_adjustment(stocked, PostAdjustment(
        location="NY", lines=[StockLine("W", -6)], reason="lost"))
    with pytest.raises(InsufficientStock):  # 10 were there at the time, but only 4 are now
        services.adjustments.post_adjustment(
            stocked, PostAdjustment(location="NY", lines=[StockLine("W", -5)], reason="lost",
            effective_at=(received_at + timedelta(hours=1)).isoformat()),
        )
    assert services.valuation_reports.valuation_report(stocked).total_value == D("20")


def test_effective_at_is_refused_in_the_future_or_malformed(stocked, clock):
    for given in ((clock() + timedelta(minutes=1)).isoformat(), "next tuesday"):
        with pytest.raises(InvalidInput) as error:
            services.adjustments.post_adjustment(
                stocked, PostAdjustment(location="NY", lines=[StockLine("W", 1)], reason="found", effective_at=given),
            )
        assert error.value.field == "effective_at"
    assert services.valuation_reports.valuation_report(stocked).total_quantity == 0


def test_a_bare_date_is_the_start_of_that_day_in_the_company_time_zone(stocked, clock):
    view = services.adjustments.post_adjustment(
        stocked, PostAdjustment(location="NY", lines=[StockLine("W", 1)], reason="found", effective_at="2026-03-01"),
    )
    assert view.effective_at.date().isoformat() in ("2026-03-01", "2026-02-28")
    assert view.effective_at < clock()


def _two_line_receipt(onhand, method):
    add_item(onhand, "X")
    order = placed(onhand, ("W", 10, "5.00"), ("X", 10, "15.00"))
    freight = services.landed_costs.NewLandedCost(kind="freight", amount="40.00", method=method)
    return receive(onhand, order.reference, (1, 10), (2, 10), landed_costs=[freight])


def _by_sku(onhand):
    return {ln.sku: ln.value for ln in services.valuation_reports.valuation_report(onhand).lines}


@pytest.mark.parametrize(("method", "w", "x"), [("value", D("60"), D("180")), ("quantity", D("70"), D("170"))])
def test_landed_costs_on_a_receipt_go_into_its_layers_by_value_or_quantity(stocked, method, w, x):
    receipt = _two_line_receipt(stocked, method)
    assert _by_sku(stocked) == {"W": w, "X": x}  # 50 + 150 + 40 of freight, shared by value or by quantity
    values = services.valuation_reports.move_values(stocked, receipt.posting_id)
    assert [(v.sku, v.value) for v in values.moves] == [("W", w), ("X", x)]
    assert values.total_value == D("240")


def test_a_landed_cost_added_later_goes_to_what_is_on_hand_and_to_the_cogs_of_what_left(stocked, clock):
    receipt = receive(stocked, placed(stocked, ("W", 10, "5.00")).reference, (1, 10))
    clock.advance(days=1)
    shipment = _ship(stocked, 4)
    assert _value(stocked, shipment) == D("20")
    clock.advance(days=1)
    services.landed_costs.add_landed_costs(
        stocked, AddLandedCosts(receipt.reference, costs=[services.landed_costs.NewLandedCost(kind="duty",
            amount="10.00")]),
    )
    assert _value(stocked, receipt.posting_id) == D("60")  # 50.00 + 10.00 of duty
    assert _value(stocked, shipment) == D("24")  # 4 units at 6.00 now
    assert _by_sku(stocked) == {"W": D("36")}
    assert_books_balance(stocked)


def test_a_landed_cost_on_a_consumed_component_is_carried_to_the_build_output_and_its_sale(stocked, clock):
    from onhand.services.assemblies.bundles import ComponentLine

    add_item(stocked, "BERRY")
    add_item(stocked, "JAM", kind="assembly")
    services.boms.set_bill_of_materials(stocked, "JAM", components=[ComponentLine("BERRY", 2)], labour_cost="1.00")
    receipt = receive(stocked, placed(stocked, ("BERRY", 20, "0.50")).reference, (1, 20))
    clock.advance(hours=1)
    build = services.builds.create_build_order(stocked, sku="JAM", location="NY", quantity=5)
    run = services.builds.build(stocked, build.reference, quantity=5).runs[-1]
    assert _value(stocked, run.posting_id) == D("5") + D("10")  # 10 berries at 0.50 in, 5 jams at 1.00 each out
    clock.advance(hours=1)
    sold = services.shipping.ship_order(stocked, ShipOrder(allocated(stocked, ("JAM", 2)).reference)).shipments[-1]
    assert _value(stocked, sold.posting_id) == D("4")  # 2 jams at (5.00 + 5.00) / 5
    clock.advance(hours=1)
    services.landed_costs.add_landed_costs(
        stocked, AddLandedCosts(receipt.reference, costs=[services.landed_costs.NewLandedCost(kind="freight",
            amount="4.00")]))
    values = {(v.sku, v.role): v.value for v in services.valuation_reports.move_values(stocked, run.posting_id).moves}
    # Berries now 0.70 each: the build consumed 7.00, so each jam is worth (7.00 + 5.00) / 5 = 2.40.
    assert values == {("BERRY", "build_consumption"): D("7"), ("JAM", "build_output"): D("12")}
    assert _value(stocked, sold.posting_id) == D("4.8")
    report = _by_sku(stocked)
    assert report == {"BERRY": D("7"), "JAM": D("7.2")}  # 10 berries at 0.70; 3 jams at 2.40
