"""Property-based: random histories with backdated postings, checked against a full re-run.

After any history of receipts, found and lost stock, builds of an assembly (some of them
backdated), transfers, shipments, customer returns, returns to supplier (their receipts'
own layers first) and changes of costing method (the
company's, or the lot-tracked item's own): every stored move value and every stored pool
equals what a full re-run of each item's moves from scratch gives
(`domain/valuation.value_history`, the oracle, crossing the method changes; a return at
its shipments' value per unit as the oracle values them); every build's output was given
exactly what the oracle says its consumption was worth, plus labour; the layers' values
equal the report's total; and the report at a past moment equals a re-run of the moves
up to that moment.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.assemblies.commands import BuildRun, ComponentLine, CreateBuildOrder, SetBillOfMaterials
from onhand.domain.catalog.commands import CreateItem
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.orders.commands import CreateOrder, OrderAction, ReceiveReturn, ReturnLine, ShipOrder
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
    ReturnToSupplier,
)
from onhand.domain.valuation.commands import SetCompanyCostingMethod, SetItemCostingMethod
from onhand.domain.valuation.value_history import value_history
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.sales_orders import NewOrderLine
from onhand.services.purchasing.supplier_returns import SupplierReturnLine
from onhand.services.valuation import posting_values as valuing
from onhand.services.valuation import return_costs
from onhand.services.valuation.backdating import stored_cost_move
from onhand.services.valuation.method_timelines import timelines
from tests.conftest import Clock
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.valuation.test_valuation_properties import PLACES, ZERO, run, setup

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


SKUS = ("W", "T", "J")  # J is an assembly of W (BOM below)
LABOUR = Decimal("0.25")


@st.composite
def operation(draw):
    kind = draw(st.sampled_from(["buy", "buy", "ship", "ship", "found", "lose", "move", "build", "build", "return",
                                 "return", "send_back"]))
    sku = "J" if kind == "build" else draw(st.sampled_from(["W", "T", "J"] if kind == "ship" else ["W", "T"]))
    lot = draw(st.sampled_from(["L1", "L2"])) if sku == "T" else None
    place = draw(st.sampled_from(PLACES))
    quantity = Decimal(draw(st.integers(1, 4 if kind == "build" else 12)))
    cost = Decimal(draw(st.integers(1, 999))) / 100
    back = draw(st.sampled_from([None, None, 1, 3, 7, 20])) if kind in ("buy", "found", "lose", "build") else None
    return (kind, sku, lot, place, quantity, cost), back


def setup_with_assembly(onhand, method, tea_method):
    setup(onhand, method, tea_method)
    services.items.create_item(onhand, CreateItem(sku="J", name="Jam", kind="assembly"))
    services.boms.set_bill_of_materials(onhand, SetBillOfMaterials(
        "J", components=[ComponentLine("W", 2)], labour_cost=str(LABOUR)
    ))
    # Some stock to start from, so that builds and shipments (and so returns) often happen.
    for place in PLACES:
        services.adjustments.post_adjustment(onhand, PostAdjustment(location=place, reason="found", lines=[
            StockLine("W", 12, unit_cost="4.00"), StockLine("J", 2, unit_cost="9.50")]))


def ship(onhand, op, shipped):
    """Ship an order of the line; remember what left, for returns."""
    _kind, sku, lot, _place, quantity, _cost = op
    order = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine(sku, quantity, lot=lot)]),
    )
    services.sales_orders.allocate_order(onhand, OrderAction(order.reference))
    view = services.shipping.ship_order(onhand, ShipOrder(order.reference))
    if view.shipments:
        shipped.append([view.reference, lot, view.lines[0].shipped])


def give_back(onhand, op, shipped):
    """Return part of a shipped order (the one the quantity picks), into the op's place."""
    _kind, _sku, _lot, place, quantity, _cost = op
    if not shipped:
        return
    entry = shipped[int(quantity) % len(shipped)]
    reference, lot, left = entry
    back = min(left, Decimal(1 + int(quantity) % 3))
    if back <= 0:
        return
    services.returns.receive_return(onhand, ReceiveReturn(reference, location=place, lines=[ReturnLine(1, back,
        lot=lot)]))
    entry[2] -= back


def send_back(onhand, op, bought):
    """Return to the supplier 1 to 3 units of a purchase order (the one the quantity picks)."""
    _kind, _sku, _lot, _place, quantity, _cost = op
    if bought:
        reference = f"PO-{1 + int(quantity) % bought:06d}"
        lines = [SupplierReturnLine(1, Decimal(1 + int(quantity) % 3))]
        services.supplier_returns.return_to_supplier(onhand, ReturnToSupplier(reference, lines=lines))


def build(onhand, op, effective_at, builds):
    _kind, _sku, _lot, place, quantity, _cost = op
    order = services.builds.create_build_order(onhand, CreateBuildOrder(sku="J", location=place, quantity=quantity))
    run_ = services.builds.build(onhand, BuildRun(order.reference, effective_at=effective_at)).runs[-1]
    builds.append(run_.posting_id)


@st.composite
def method_change(draw):
    """A change of the company's method, or of the tea's own (back to the company's: None)."""
    if draw(st.booleans()):
        return ("company", draw(st.sampled_from(["fifo", "lifo", "moving_average"]))), None
    return ("tea", draw(st.sampled_from(["fifo", "lifo", "moving_average", "specific_lot", None]))), None


def change_method(onhand, op) -> None:
    target, method = op
    if target == "company":
        services.costing.set_company_costing_method(onhand, SetCompanyCostingMethod(method=method))
    else:
        services.costing.set_item_costing_method(onhand, SetItemCostingMethod(sku="T", method=method))


def run_backdated(onhand, op, effective_at):
    kind, sku, lot, place, quantity, cost = op
    if kind == "buy":
        order = services.purchase_orders.create_purchase_order(
            onhand, CreatePurchaseOrder(supplier="ACME", destination=place,
            lines=[services.purchase_orders.NewPurchaseLine(sku, quantity, cost)]))
        services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
        return services.receiving.receive_purchase_order(
            onhand, ReceivePurchaseOrder(order.reference, lines=[services.receiving.ReceiptLine(1, quantity, lot=lot)],
            effective_at=effective_at))
    signed = quantity if kind == "found" else -quantity
    return services.adjustments.post_adjustment(
        onhand, PostAdjustment(location=place, lines=[services.postings.StockLine(sku, signed, lot)],
        reason="found" if kind == "found" else "lost", effective_at=effective_at))


def full_rerun(onhand, until=None):
    """Per item: the oracle's values and final pools from the item's whole history (up to `until`)."""
    with onhand.reading() as uow:
        items = [uow.items.get_by_sku(sku).id for sku in SKUS]
        history = timelines(uow, items)
        found = {}
        for item in items:
            rows = uow.valuation_history.item_moves_after(item, None)
            moves = [stored_cost_move(r) for r in rows if until is None or r.effective_at <= until]
            # A return at what its shipments left with, as the oracle values them (not as stored).
            moves = return_costs.linked(uow, moves)
            changes = history[item].changes if until is None else history[item].until(until)
            found[item] = (rows, value_history(history[item].initial, moves, changes=changes))
        return found


def assert_builds_given_their_consumption(onhand, builds, oracle):
    values = {move_id: value for _rows, run_ in oracle.values() for move_id, value in run_.values.items()}
    with onhand.reading() as uow:
        for posting_id in builds:
            rows = uow.valuation_history.moves_by_ids(uow.valuation.move_ids(posting_id))
            (made,) = [r for r in rows if r.role == "build_output"]
            consumed = sum((values[r.id].value for r in rows if r.role == "build_consumption"), ZERO)
            assert made.given_value == consumed + LABOUR * made.quantity, (posting_id, rows)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["fifo", "lifo", "moving_average"]),
    tea_method=st.sampled_from(["fifo", "lifo", "moving_average", "specific_lot"]),
    ops=st.lists(st.one_of(operation(), operation(), operation(), method_change()), min_size=1, max_size=16),
    past=st.integers(0, 16),
)
def test_stored_values_and_pools_equal_a_full_rerun_after_backdated_postings(backend, method, tea_method, ops, past):
    clock = Clock(START)
    with (fresh_database(backend) as url,
          mock.patch.object(valuing, "CHECKPOINT_EVERY", 3)):
        onhand = open_onhand(url, clock=clock)
        try:
            setup_with_assembly(onhand, method, tea_method)
            shipped: list[list] = []
            builds: list[int] = []
            bought = 0  # purchase orders made so far (PO-000001 …)
            for op, back in ops:
                clock.advance(hours=1)
                effective_at = None if back is None else clock() - timedelta(hours=back, minutes=30)
                try:
                    if op[0] in ("company", "tea"):
                        change_method(onhand, op)
                    elif op[0] == "build":
                        build(onhand, op, effective_at, builds)
                    elif op[0] == "ship":
                        ship(onhand, op, shipped)
                    elif op[0] == "return":
                        give_back(onhand, op, shipped)
                    elif op[0] == "send_back":
                        send_back(onhand, op, bought)
                    elif back is None:
                        run(onhand, op)
                    else:
                        run_backdated(onhand, op, effective_at)
                except Conflict:  # not enough stock (now), nothing to ship
                    continue
                except InvalidInput:  # nothing left of that order to send back
                    assert op[0] == "send_back"
                finally:
                    bought += op[0] == "buy"
            with onhand.reading() as uow:
                stored_pools = uow.valuation.pools()
            everything = full_rerun(onhand)
            assert_builds_given_their_consumption(onhand, builds, everything)
            for item, (rows, oracle) in everything.items():
                for row in rows:
                    expected = oracle.values[int(row.id)]
                    assert (row.value, row.variance, row.basis) == (
                        expected.value, expected.variance, expected.basis.value), row
                mine = {(loc, lot or None): pool for (it, loc, lot), pool in stored_pools.items() if it == item}
                for key, pool in oracle.final.pools.items():
                    assert mine.get(key) == pool or (pool.quantity == pool.value == 0 and key not in mine), key
            layer_value = sum((pool.value for pool in stored_pools.values()), ZERO)
            assert services.valuation_reports.valuation_report(onhand).total_value == layer_value
            moment = min(START + timedelta(hours=past, minutes=15), clock())
            report = services.valuation_reports.valuation_report(onhand, at=moment, group_by="location")
            expected_total = sum((run.final.value for _rows, run in full_rerun(onhand, moment).values()), ZERO)
            assert report.total_value == expected_total
            by_place = {}
            for _rows, run_ in full_rerun(onhand, moment).values():
                for (loc, _lot), pool in run_.final.pools.items():
                    by_place[loc] = by_place.get(loc, ZERO) + pool.quantity
            assert sum((ln.quantity for ln in report.lines), ZERO) == sum(by_place.values(), ZERO)
        finally:
            onhand.close()
