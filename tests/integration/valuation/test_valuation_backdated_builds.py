"""Backdated builds and disassemblies: they consume their components at what those were
worth then, their outputs enter the made item's history then, and the later moves of
both are re-valued — exactly what valuing the whole history from scratch in that order gives."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.accounting.commands import UpdateAccountingSettings
from onhand.domain.errors import InsufficientStock, InvalidInput
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.orders.commands import ShipOrder
from onhand.domain.valuation.cost_layers import CostingMethod
from onhand.domain.valuation.value_history import value_history
from onhand.services.assemblies.bundles import ComponentLine
from onhand.services.ledger.postings import StockLine
from onhand.services.valuation.backdating import methods_for, stored_cost_move
from tests.integration.helpers import add_item, add_place, allocated, assert_books_balance
from tests.integration.purchasing_helpers import placed, receive, supplier


@pytest.fixture
def kitchen(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "BERRY")
    add_item(onhand, "JAM", kind="assembly")
    services.boms.set_bill_of_materials(onhand, "JAM", components=[ComponentLine("BERRY", 1)], labour_cost="1.00")
    supplier(onhand)
    return onhand


def _ship(onhand, sku, quantity):
    view = allocated(onhand, (sku, quantity))
    return services.shipping.ship_order(onhand, ShipOrder(view.reference)).shipments[-1].posting_id


def _values(onhand, posting_id):
    return {(v.sku, v.role): v.value for v in services.valuation_reports.move_values(onhand, posting_id).moves}


def _by_sku(onhand):
    return {line.sku: (line.quantity, line.value) for line in services.valuation_reports.valuation_report(onhand).lines}


def _assert_equal_to_a_rerun_from_scratch(onhand):
    with onhand.reading() as uow:
        item_ids = [uow.items.get_by_sku(sku).id for sku in ("BERRY", "JAM")]
        methods = methods_for(uow, item_ids)
        for item_id in item_ids:
            rows = uow.valuation_history.item_moves_after(item_id, None)
            oracle = value_history(CostingMethod(methods[item_id]), [stored_cost_move(r) for r in rows])
            assert [(r.value, r.variance) for r in rows] == [
                (oracle.values[r.id].value, oracle.values[r.id].variance) for r in rows]


def test_a_build_backdated_before_a_receipt_takes_the_older_layer_and_its_output_enters_then(kitchen, clock):
    start = clock()
    clock.advance(days=1)
    receive(kitchen, placed(kitchen, ("BERRY", 10, "5.00")).reference, (1, 10))
    clock.advance(days=2)
    receive(kitchen, placed(kitchen, ("BERRY", 10, "6.00")).reference, (1, 10))
    services.adjustments.post_adjustment(kitchen, PostAdjustment(
        location="NY", lines=[StockLine("JAM", 2, unit_cost="8.00")],
                                         reason="found"))
    clock.advance(days=1)
    berries, jams = _ship(kitchen, "BERRY", 12), _ship(kitchen, "JAM", 2)
    assert (_values(kitchen, berries), _values(kitchen, jams)) == (
        {("BERRY", "shipment"): D("62")}, {("JAM", "shipment"): D("16")})  # 10 @ 5 + 2 @ 6; 2 @ 8
    clock.advance(days=1)
    order = services.builds.create_build_order(kitchen, sku="JAM", location="NY", quantity=5)
    run = services.builds.build(kitchen, order.reference, effective_at=start + timedelta(days=2)).runs[-1]
    # From scratch, in effective order: the build took 5 @ 5.00 before the 6.00 layer came in,
    # its 5 jams came in at 25.00 + 5 × 1.00 of labour, before the jams found at 8.00.
    assert _values(kitchen, run.posting_id) == {("BERRY", "build_consumption"): D("25"),
                                                ("JAM", "build_output"): D("30")}
    assert _values(kitchen, berries) == {("BERRY", "shipment"): D("67")}  # 5 @ 5 + 7 @ 6
    assert _values(kitchen, jams) == {("JAM", "shipment"): D("12")}  # the older jams now: 2 @ 6
    assert _by_sku(kitchen) == {"BERRY": (3, D("18")), "JAM": (5, D("34"))}  # 3 @ 6; 3 @ 6 + 2 @ 8
    with kitchen.reading() as uow:
        (posting,) = [p for p in [uow.ledger.posting(run.posting_id)] if p]
    assert posting.effective_at == start + timedelta(days=2)
    _assert_equal_to_a_rerun_from_scratch(kitchen)
    assert_books_balance(kitchen)


def test_a_backdated_build_reaches_a_later_build_that_consumed_its_assembly(kitchen, clock):
    add_item(kitchen, "GIFT", kind="assembly")
    services.boms.set_bill_of_materials(kitchen, "GIFT", components=[ComponentLine("JAM", 1)])
    start = clock()
    receive(kitchen, placed(kitchen, ("BERRY", 10, "5.00")).reference, (1, 10))
    clock.advance(days=3)
    services.adjustments.post_adjustment(kitchen, PostAdjustment(
        location="NY", lines=[StockLine("JAM", 2, unit_cost="8.00")],
                                         reason="found"))
    clock.advance(hours=1)
    gifts = services.builds.create_build_order(kitchen, sku="GIFT", location="NY", quantity=2)
    wrapped = services.builds.build(kitchen, gifts.reference).runs[-1]
    assert _values(kitchen, wrapped.posting_id) == {("JAM", "build_consumption"): D("16"),
                                                    ("GIFT", "build_output"): D("16")}
    clock.advance(days=1)
    jams = services.builds.create_build_order(kitchen, sku="JAM", location="NY", quantity=5)
    services.builds.build(kitchen, jams.reference, effective_at=start + timedelta(days=1))
    # The jams built then (5 @ 6.00: 5.00 of berry and 1.00 of labour) are older than the ones
    # found: the gift boxes consumed two of them, and are worth that now.
    assert _values(kitchen, wrapped.posting_id) == {("JAM", "build_consumption"): D("12"),
                                                    ("GIFT", "build_output"): D("12")}
    assert _by_sku(kitchen) == {"BERRY": (5, D("25")), "GIFT": (2, D("12")), "JAM": (5, D("34"))}
    assert_books_balance(kitchen)


def test_a_backdated_build_takes_only_free_stock_now(kitchen, clock):
    start = clock()
    receive(kitchen, placed(kitchen, ("BERRY", 10, "5.00")).reference, (1, 10))
    clock.advance(days=1)
    _ship(kitchen, "BERRY", 8)
    order = services.builds.create_build_order(kitchen, sku="JAM", location="NY", quantity=5)
    with pytest.raises(InsufficientStock):  # 10 were there at the time, only 2 are now
        services.builds.build(kitchen, order.reference, effective_at=start + timedelta(hours=1))
    assert services.builds.get_build_order(kitchen, order.reference).built == 0


def test_a_build_cannot_be_dated_in_the_future_nor_on_a_locked_day(kitchen, clock):
    receive(kitchen, placed(kitchen, ("BERRY", 10, "5.00")).reference, (1, 10))
    order = services.builds.create_build_order(kitchen, sku="JAM", location="NY", quantity=2)
    with pytest.raises(InvalidInput) as error:
        services.builds.build(kitchen, order.reference, effective_at=clock() + timedelta(hours=1))
    assert error.value.field == "effective_at"
    clock.advance(days=3)
    services.accounting_settings.update_accounting_settings(kitchen, UpdateAccountingSettings(
        lock_date=(clock() - timedelta(days=2)).date()))
    with pytest.raises(InvalidInput) as error:
        services.builds.build(kitchen, order.reference, effective_at=(clock() - timedelta(days=2)).date())
    assert error.value.field == "effective_at"
    with pytest.raises(InvalidInput) as error:
        services.disassembly.disassemble(kitchen, sku="JAM", location="NY", quantity=1, effective_at="soon")
    assert error.value.field == "effective_at"


def test_a_backdated_disassembly_gives_back_components_at_what_the_assembly_was_worth_then(kitchen, clock):
    start = clock()
    services.adjustments.post_adjustment(kitchen, PostAdjustment(
        location="NY", lines=[StockLine("JAM", 2, unit_cost="4.00")],
                                         reason="found"))
    clock.advance(days=2)
    services.adjustments.post_adjustment(kitchen, PostAdjustment(
        location="NY", lines=[StockLine("JAM", 2, unit_cost="10.00")],
                                         reason="found"))
    clock.advance(days=1)
    services.adjustments.post_adjustment(kitchen, PostAdjustment(
        location="NY", lines=[StockLine("BERRY", 3, unit_cost="2.00")],
                                         reason="found"))
    clock.advance(hours=1)
    berries = _ship(kitchen, "BERRY", 2)
    assert _values(kitchen, berries) == {("BERRY", "shipment"): D("4")}
    clock.advance(days=1)
    run = services.disassembly.disassemble(kitchen, sku="JAM", location="NY", quantity=1,
                                           effective_at=start + timedelta(days=1))
    # Then only the jams at 4.00 were there: the berry it gives back comes in at 4.00, before
    # the berries found at 2.00, and leaves first with the later shipment.
    assert _values(kitchen, run.posting_id) == {("JAM", "build_consumption"): D("4"),
                                                ("BERRY", "build_output"): D("4")}
    assert _values(kitchen, berries) == {("BERRY", "shipment"): D("6")}  # 1 @ 4 + 1 @ 2
    assert _by_sku(kitchen) == {"BERRY": (2, D("4")), "JAM": (3, D("24"))}  # 2 @ 2; 1 @ 4 + 2 @ 10
    _assert_equal_to_a_rerun_from_scratch(kitchen)
    assert_books_balance(kitchen)
