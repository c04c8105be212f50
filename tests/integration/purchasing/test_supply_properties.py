"""Property-based: stock bought, moved and built — random purchase-order receipts,
transfer shipments, receipts and write-offs, and builds — keeps the ledger's laws, and
every balance equals a model kept here, independently of the services.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.assemblies.commands import BuildRun, ComponentLine, CreateBuildOrder, SetBillOfMaterials
from onhand.domain.catalog.commands import CreateItem, CreateLocation, CreateLot
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.domain.transfers.commands import CreateTransfer, ReceiveTransfer, ShipTransfer, WriteOffTransit
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine
from onhand.services.transfers.transfer_orders import NewTransferLine
from onhand.services.transfers.transit import TransferMoveLine
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples

BOUGHT = {"W": Decimal(60), "T": Decimal(40)}  # on the purchase order, received at A
SENT = {"W": Decimal(30), "T": Decimal(20)}  # on the transfer A → B through X
LINE_OF = {"W": 1, "T": 2}
BUILT = 10  # ASM on the build order at A, each from 2 W


def lot_for(sku: str):
    return st.sampled_from(["L1", "L2"]) if sku == "T" else st.none()


@st.composite
def operation(draw):
    kind = draw(st.sampled_from(["buy", "buy", "ship", "ship", "arrive", "lose", "build"]))
    if kind == "build":
        return ("build", None, None, Decimal(draw(st.integers(1, 4))))
    sku = draw(st.sampled_from(["W", "T"]))
    return (kind, sku, draw(lot_for(sku)), Decimal(draw(st.integers(1, 25))))


class Model:
    def __init__(self) -> None:
        self.stock: dict[tuple, Decimal] = defaultdict(Decimal)  # (sku, place, lot)
        self.done: dict[tuple, Decimal] = defaultdict(Decimal)  # (what, sku, lot)

    def total(self, what: str, sku: str) -> Decimal:
        return sum((q for (w, s, _lot), q in self.done.items() if (w, s) == (what, sku)), Decimal(0))


def setup(onhand) -> tuple[str, str, str]:
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.items.create_item(onhand, CreateItem(sku="T", name="Tea", tracking="lot"))
    for code in ("L1", "L2"):
        services.lots.create_lot(onhand, CreateLot(sku="T", code=code))
    services.items.create_item(onhand, CreateItem(sku="ASM", name="Assembly", kind="assembly"))
    services.boms.set_bill_of_materials(onhand, SetBillOfMaterials("ASM", components=[ComponentLine("W", 2)]))
    for code, kind in (("A", "warehouse"), ("B", "store"), ("X", "transit")):
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind=kind))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="SUP", name="Supplier"))
    po = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier="SUP", destination="A",
        lines=[NewPurchaseLine("W", BOUGHT["W"], 1), NewPurchaseLine("T", BOUGHT["T"], 2)]),
    ).reference
    services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(po))
    transfer = services.transfer_orders.create_transfer(
        onhand, CreateTransfer(source="A", destination="B", transit="X",
        lines=[NewTransferLine("W", SENT["W"]), NewTransferLine("T", SENT["T"])]),
    ).reference
    build = services.builds.create_build_order(onhand, CreateBuildOrder(
        sku="ASM", location="A", quantity=BUILT
    )).reference
    return po, transfer, build


def apply(onhand, model: Model, refs: tuple[str, str, str], op) -> None:
    """Run `op` and mirror it in `model`; a refused one must be refused, changing nothing."""
    kind, sku, lot, qty = op
    po, transfer, build = refs
    key = (kind, sku, lot)
    in_transit = model.done[("ship", sku, lot)] - model.done[("arrive", sku, lot)] - model.done[("lose", sku, lot)]
    if kind == "buy":
        refused = model.total("buy", sku) + qty > BOUGHT[sku]
        changes = {(sku, "A", lot): qty}
        line = ReceiptLine(LINE_OF[sku], qty, lot=lot)
        call = lambda: services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(po, lines=[line]))  # noqa: E731
    elif kind == "build":
        key = ("build", "ASM", None)
        refused = model.total("build", "ASM") + qty > BUILT or model.stock[("W", "A", None)] < 2 * qty
        changes = {("W", "A", None): -2 * qty, ("ASM", "A", None): qty}
        call = lambda: services.builds.build(onhand, BuildRun(build, quantity=qty))  # noqa: E731
    else:
        ask = [TransferMoveLine(LINE_OF[sku], qty, lot)]
        if kind == "ship":
            refused = model.total("ship", sku) + qty > SENT[sku] or model.stock[(sku, "A", lot)] < qty
            changes = {(sku, "A", lot): -qty, (sku, "X", lot): qty}
            call = lambda: services.transit.ship_transfer(onhand, ShipTransfer(transfer, lines=ask))  # noqa: E731
        else:
            refused = qty > in_transit
            changes = {(sku, "X", lot): -qty} | ({(sku, "B", lot): qty} if kind == "arrive" else {})
            if kind == "arrive":
                call = lambda: services.transit.receive_transfer(onhand, ReceiveTransfer(transfer, lines=ask))  # noqa: E731
            else:
                call = lambda: services.transit.write_off_transit(onhand, WriteOffTransit(transfer, lines=ask))  # noqa: E731
    if refused:  # more than the order has left is invalid input; short stock a conflict
        with pytest.raises((Conflict, InvalidInput)):
            call()
        return
    call()
    for place_key, delta in changes.items():
        model.stock[place_key] += delta
    model.done[key] += qty


def balances(onhand) -> dict[tuple, Decimal]:
    report = services.stock.stock_levels(onhand, group_by="balance")
    return {(lv.sku, lv.location, lv.lot): lv.on_hand for lv in report.levels if lv.on_hand}


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation(), min_size=1, max_size=25))
def test_buying_moving_and_building_keep_the_ledger_laws_and_match_the_model(backend, ops):
    with fresh_database(backend) as url:
        onhand = open_onhand(url)
        try:
            refs = setup(onhand)
            model = Model()
            for op in ops:
                apply(onhand, model, refs, op)
            assert balances(onhand) == {k: v for k, v in model.stock.items() if v}
            incoming = {lv.sku: lv.incoming for lv in services.stock.stock_levels(onhand, group_by="item").levels}
            for sku, bought in BOUGHT.items():
                assert incoming.get(sku, Decimal(0)) == bought - model.total("buy", sku)
            report = services.integrity.verify(onhand)
            assert report.ok, report
        finally:
            onhand.close()
