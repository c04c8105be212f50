"""Property-based: random receipts, shipments, adjustments and transfers, valued as they post.

After any history: the layers' values sum to the valuation report's total, which is
exactly value in − value out over every move's recorded value; and per (item, location)
the quantity left in the layers is what is on hand.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, CreateLot
from onhand.domain.errors import Conflict
from onhand.domain.ledger.commands import MoveStock, PostAdjustment
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipOrder
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.domain.valuation.commands import SetCompanyCostingMethod, SetItemCostingMethod
from onhand.domain.valuation.move_roles import MoveRole
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.sales_orders import NewOrderLine
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples

PLACES = ("A", "B")
ZERO = Decimal(0)


@st.composite
def operation(draw):
    kind = draw(st.sampled_from(["buy", "buy", "ship", "found", "lose", "move"]))
    sku = draw(st.sampled_from(["W", "T"]))
    lot = draw(st.sampled_from(["L1", "L2"])) if sku == "T" else None
    place = draw(st.sampled_from(PLACES))
    quantity = Decimal(draw(st.integers(1, 12)))
    cost = Decimal(draw(st.integers(1, 999))) / 100
    return (kind, sku, lot, place, quantity, cost)


def setup(onhand, method: str, tea_method: str) -> None:
    services.costing.set_company_costing_method(onhand, SetCompanyCostingMethod(method=method))
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.items.create_item(onhand, CreateItem(sku="T", name="Tea", tracking="lot"))
    services.costing.set_item_costing_method(onhand, SetItemCostingMethod(sku="T", method=tea_method))
    for code in ("L1", "L2"):
        services.lots.create_lot(onhand, CreateLot(sku="T", code=code))
    for code in PLACES:
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind="warehouse"))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))


def run(onhand, op) -> int | None:
    kind, sku, lot, place, quantity, cost = op
    if kind == "buy":
        order = services.purchase_orders.create_purchase_order(
            onhand, CreatePurchaseOrder(supplier="ACME", destination=place, lines=[NewPurchaseLine(sku, quantity,
                cost)]))
        services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
        lines = [ReceiptLine(1, quantity, lot=lot)]
        return services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(order.reference,
            lines=lines)).posting_id
    if kind in ("found", "lose"):
        signed = quantity if kind == "found" else -quantity
        return services.adjustments.post_adjustment(
            onhand, PostAdjustment(
                location=place, lines=[StockLine(sku, signed, lot)], reason="found" if kind == "found" else "lost")
        ).id
    if kind == "move":
        other = "B" if place == "A" else "A"
        return services.relocations.move_stock(
            onhand, MoveStock(source=place, destination=other, lines=[StockLine(sku, quantity, lot)])).id
    order = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine(sku, quantity, lot=lot)]),
    )
    services.sales_orders.allocate_order(onhand, OrderAction(order.reference))
    shipped = services.shipping.ship_order(onhand, ShipOrder(order.reference))
    return shipped.shipments[-1].posting_id if shipped.shipments else None


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["fifo", "lifo", "moving_average"]),
    tea_method=st.sampled_from(["fifo", "lifo", "moving_average", "specific_lot"]),
    ops=st.lists(operation(), min_size=1, max_size=12),
)
def test_layer_values_equal_the_report_and_value_in_minus_out(backend, method, tea_method, ops):
    with fresh_database(backend) as url:
        onhand = open_onhand(url)
        try:
            setup(onhand, method, tea_method)
            postings = []
            for op in ops:
                try:
                    posting_id = run(onhand, op)
                except Conflict:  # not enough stock, nothing to ship
                    continue
                if posting_id is not None:
                    postings.append(posting_id)
            net = ZERO
            for posting_id in postings:
                for value in services.valuation_reports.move_values(onhand, posting_id).moves:
                    role = MoveRole(value.role)
                    if role.is_inbound:
                        net += value.value - value.variance
                    elif role.is_outbound:
                        net -= value.value
                    else:
                        net -= value.variance
            with onhand.reading() as uow:
                pools = uow.valuation.pools()
            layer_value = sum((pool.value for pool in pools.values()), ZERO)
            report = services.valuation_reports.valuation_report(onhand, group_by="location")
            assert layer_value == report.total_value == net
            for sku in ("W", "T"):
                for place in PLACES:
                    levels = services.stock.stock_levels(onhand, sku=sku, location=place, group_by="location")
                    on_hand = sum((lv.on_hand for lv in levels.levels), ZERO)
                    layered = sum((ln.quantity for ln in report.lines if (ln.sku, ln.location) == (sku, place)), ZERO)
                    assert layered == on_hand, (sku, place)
        finally:
            onhand.close()
