"""Property-based: any sequence of purchase receipts (with adjustments between them)
keeps the ledger's laws and the purchase orders' arithmetic.

Receipts that would pass the ordered quantity plus tolerance, and losses beyond what is
on hand, must be refused and change nothing; the rest must land exactly where a simple
model says: balances equal the model, guarded balances never go below zero, every item
and lot sums to zero, the projection equals the fold of the ledger (`verify`), and each
order line's received quantity and incoming agree with what was accepted.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, UpdateCompany
from onhand.domain.errors import InsufficientStock, NotFound, OverReceipt
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.services.ledger.postings import StockLine
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples

PLACES = ["A", "A1"]
ORDERED = {1: Decimal(30), 2: Decimal(20)}  # line 1: W (each), line 2: T (lot-tracked, kg)
TOLERANCE = Decimal(10)  # percent


@st.composite
def operation(draw):
    if draw(st.booleans()):
        line_no = draw(st.sampled_from([1, 2]))
        qty = Decimal(draw(st.integers(1, 15))) if line_no == 1 else Decimal(draw(st.integers(1, 9000))) / 1000
        lot = draw(st.sampled_from(["L1", "L2"])) if line_no == 2 else None
        return ("receive", line_no, qty, lot, draw(st.sampled_from(PLACES)))
    sku, lot = draw(st.sampled_from([("W", None), ("T", "L1"), ("T", "L2")]))
    qty = Decimal(draw(st.integers(1, 10))) * draw(st.sampled_from([1, -1]))
    return ("adjust", draw(st.sampled_from(PLACES)), sku, lot, qty)


def setup(onhand):
    services.company.update_company(onhand, UpdateCompany(over_receipt_tolerance_pct=str(TOLERANCE)))
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.items.create_item(onhand, CreateItem(sku="T", name="Tea", unit="kg", tracking="lot"))
    services.locations.create_location(onhand, CreateLocation(code="A", name="A", kind="warehouse"))
    services.locations.create_location(onhand, CreateLocation(code="A1", name="A1", kind="bin", parent="A"))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="S", name="Supplier"))
    order = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier="S", destination="A",
        lines=[NewPurchaseLine("W", ORDERED[1], "1.5"), NewPurchaseLine("T", ORDERED[2], "4")]),
    )
    return services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference)).reference


def apply(onhand, reference, model, received, lots, op):
    if op[0] == "receive":
        _, line_no, qty, lot, place = op
        sku = "W" if line_no == 1 else "T"
        call = lambda: services.receiving.receive_purchase_order(  # noqa: E731
            onhand, ReceivePurchaseOrder(reference, lines=[ReceiptLine(line_no, qty, lot=lot, location=place)])
        )
        if received[line_no] + qty > ORDERED[line_no] * (1 + TOLERANCE / 100):
            with pytest.raises(OverReceipt):
                call()
            return
        call()
        received[line_no] += qty
        lots.add(lot)
        model[(sku, place, lot)] += qty
        return
    _, place, sku, lot, qty = op
    call = lambda: services.adjustments.post_adjustment(  # noqa: E731
        onhand, PostAdjustment(location=place, lines=[StockLine(sku, qty, lot)], reason="correction")
    )
    if lot is not None and qty < 0 and lot not in lots:
        with pytest.raises(NotFound):  # an unknown lot cannot lose stock
            call()
        return
    if model[(sku, place, lot)] + qty < 0:
        with pytest.raises(InsufficientStock):
            call()
        return
    call()
    lots.add(lot)
    model[(sku, place, lot)] += qty


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation(), min_size=1, max_size=15))
def test_random_receipts_and_adjustments_keep_the_ledger_laws(backend, ops):
    with fresh_database(backend) as url:
        onhand = open_onhand(url)
        try:
            reference = setup(onhand)
            model: dict[tuple, Decimal] = defaultdict(Decimal)
            received: dict[int, Decimal] = defaultdict(Decimal)
            lots: set[str | None] = set()
            for op in ops:
                apply(onhand, reference, model, received, lots, op)
            report = services.stock.stock_levels(onhand, group_by="balance")
            assert {(lv.sku, lv.location, lv.lot): lv.on_hand for lv in report.levels if lv.on_hand} == {
                k: v for k, v in model.items() if v}
            assert all(v >= 0 for v in model.values())
            assert services.integrity.verify(onhand).ok
            order = services.purchase_orders.get_purchase_order(onhand, reference)
            assert [line.received for line in order.lines] == [received[1], received[2]]
            incoming = {lv.sku: lv.incoming for lv in services.stock.stock_levels(onhand).levels}
            for line in order.lines:
                assert incoming.get(line.sku, 0) == max(line.quantity - line.received, 0)
            everything = all(received[no] >= ORDERED[no] for no in ORDERED)
            partly = any(received.values())
            assert order.status == ("received" if everything else "partially_received" if partly else "ordered")
        finally:
            onhand.close()
