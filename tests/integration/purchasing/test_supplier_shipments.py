"""Supplier shipments (ASNs): a purchase order's goods in transit, received in parts,
the rest written off; valued at the order's cost all the way."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.errors import Conflict, InvalidInput, OverReceipt
from onhand.domain.purchasing.commands import (
    AddLandedCosts,
    NewLandedCost,
    PurchaseOrderAction,
    ReceiptLine,
    ReceiveSupplierShipment,
    ShipmentMoveLine,
    ShipPurchaseOrder,
    UpdatePurchaseOrder,
    UpdateSupplierShipment,
    WriteOffSupplierShipment,
)
from tests.integration.helpers import add_place, assert_books_balance, at, level, move_count
from tests.integration.purchasing_helpers import placed, purchasing_setup, receive

DAY = date(2026, 3, 2)  # the test clock's day


def day(n: int) -> date:
    return DAY + timedelta(days=n)


@pytest.fixture
def ordered(onhand):
    """PO-000001 for 50 W at 4.00 and 20 TEA at 2.50 to NY; OCEAN-1 the only transit location."""
    purchasing_setup(onhand)
    add_place(onhand, "OCEAN-1", kind="transit")
    placed(onhand, ("W", 50, "4.00"), ("TEA", 20, "2.50"))
    yield onhand
    assert_books_balance(onhand)


def ship(onhand, *lines, **fields):
    made = [line if isinstance(line, ReceiptLine) else ReceiptLine(*line) for line in lines]
    return services.supplier_shipments.ship_purchase_order(onhand, ShipPurchaseOrder("PO-000001", made, **fields))


def arrive(onhand, reference="ASN-000001", *lines, **fields):
    made = [line if isinstance(line, ShipmentMoveLine) else ShipmentMoveLine(*line) for line in lines]
    return services.supplier_shipments.receive_supplier_shipment(
        onhand, ReceiveSupplierShipment(reference, made, **fields))


def order_lines(onhand):
    order = services.purchase_orders.get_purchase_order(onhand, "PO-000001")
    return order.status, [(ln.received, ln.open) for ln in order.lines]


def values(onhand):
    report = services.valuation_reports.valuation_report(onhand, group_by="location")
    return {(line.sku, line.location): (line.quantity, line.value) for line in report.lines}


def test_shipped_goods_are_in_transit_on_hand_not_available_and_still_incoming(ordered):
    shipment = ship(ordered, (1, 50), container="MSCU-4471", vessel="Maersk Essen", carrier="Maersk",
                    tracking="BL-99", eta=date(2026, 3, 23))
    assert (shipment.reference, shipment.status, shipment.transit, shipment.destination) == (
        "ASN-000001", "in_transit", "OCEAN-1", "NY")
    assert (shipment.container, shipment.vessel, shipment.eta) == ("MSCU-4471", "Maersk Essen", date(2026, 3, 23))
    assert [(ln.line_no, ln.shipped, ln.in_transit) for ln in shipment.lines] == [(1, D(50), D(50))]
    assert at(ordered, "W", "OCEAN-1") == 50
    assert level(ordered, "W") == (D(50), D(0), D(0))  # on hand, never available
    report = services.stock.stock_levels(ordered, sku="W", location="NY")
    # still incoming at NY, on the shipment's ETA
    assert [(row.incoming, row.incoming_expected) for row in report.levels] == [(D(50), date(2026, 3, 23))]
    # Not received on the order until it arrives.
    assert order_lines(ordered) == ("ordered", [(D(0), D(50)), (D(0), D(20))])
    assert values(ordered)[("W", "OCEAN-1")] == (D(50), D("200.00"))


def test_receive_partly_the_rest_stays_in_transit_then_the_rest_closes_it(ordered):
    ship(ordered, (1, 50), (2, 20, "T1"))
    partial = arrive(ordered, "ASN-000001", ShipmentMoveLine(1, D(30), location="NY-A1"))
    assert partial.status == "partially_received"
    assert [(ln.sku, ln.received, ln.in_transit) for ln in partial.lines] == [("W", 30, 20), ("TEA", 0, 20)]
    assert (at(ordered, "W", "NY-A1"), at(ordered, "W", "OCEAN-1")) == (30, 20)
    assert level(ordered, "W", location="NY")[2] == 30  # available once arrived
    assert order_lines(ordered) == ("partially_received", [(D(30), D(20)), (D(0), D(20))])
    order = services.purchase_orders.get_purchase_order(ordered, "PO-000001")
    assert ([ln.in_transit for ln in order.lines], order.shipments) == ([D(20), D(20)], ("ASN-000001",))
    assert values(ordered)[("W", "NY-A1")] == (D(30), D("120.00"))  # the value moves with the goods
    assert values(ordered)[("W", "OCEAN-1")] == (D(20), D("80.00"))
    done = arrive(ordered)  # everything left
    assert done.status == "received"
    assert [ln.in_transit for ln in done.lines] == [0, 0]
    assert order_lines(ordered) == ("received", [(D(50), D(0)), (D(20), D(0))])
    assert at(ordered, "TEA", "NY") == 20 and at(ordered, "W", "NY") == 20
    assert ("W", "OCEAN-1") not in values(ordered)


def test_split_shipments_of_one_order_and_a_shortfall_written_off(ordered):
    ship(ordered, (1, 30))
    second = ship(ordered, (1, 20), shipment_reference="BL-2")
    assert second.reference == "BL-2"
    with pytest.raises(OverReceipt):  # 50 already on the way: nothing more of line 1
        ship(ordered, (1, 1))
    with pytest.raises(OverReceipt):  # nor received directly
        receive(ordered, "PO-000001", (1, 1))
    arrive(ordered, "BL-2", (1, D(18)))
    lost = services.supplier_shipments.write_off_supplier_shipment(
        ordered, WriteOffSupplierShipment("BL-2", note="two crates crushed"))
    assert lost.status == "closed"
    assert [(ln.received, ln.written_off, ln.in_transit) for ln in lost.lines] == [(18, 2, 0)]
    assert at(ordered, "W", "OCEAN-1") == 30  # ASN-000001 still travelling
    assert order_lines(ordered)[1][0] == (D(20), D(30))  # the 2 lost were delivered into our care
    shipments = services.supplier_shipments.list_supplier_shipments(ordered, "PO-000001")
    assert [s.reference for s in shipments] == ["ASN-000001", "BL-2"]


def test_landed_costs_on_the_shipment_travel_with_the_goods(ordered):
    shipment = ship(ordered, (1, 50), landed_costs=[NewLandedCost("freight", D("100.00"))])
    assert values(ordered)[("W", "OCEAN-1")] == (D(50), D("300.00"))
    arrive(ordered, shipment.reference, (1, D(25)))
    # Duty invoiced later, on the shipment's receipt: both halves gain it.
    services.landed_costs.add_landed_costs(ordered, AddLandedCosts(shipment.receipt, costs=[
        NewLandedCost("duty", D("50.00"))]))
    assert values(ordered)[("W", "NY")] == (D(25), D("175.00"))
    assert values(ordered)[("W", "OCEAN-1")] == (D(25), D("175.00"))
    view = services.supplier_shipments.get_supplier_shipment(ordered, shipment.reference)
    assert [cost.kind for cost in view.landed_costs] == ["freight", "duty"]


def test_the_journal_books_the_receipt_once_and_a_loss_in_transit_as_an_adjustment(ordered):
    ship(ordered, (1, 50), landed_costs=[NewLandedCost("freight", D("10.00"))])  # 4.20 a unit landed
    arrive(ordered, "ASN-000001", (1, D(10)))  # inventory to inventory: nothing to book
    services.supplier_shipments.write_off_supplier_shipment(
        ordered, WriteOffSupplierShipment("ASN-000001", [ShipmentMoveLine(1, D(5))]))
    journal = services.journals.get_journal(ordered, DAY).journal
    assert sorted((ln.role.value, ln.amount) for ln in journal.lines) == [
        ("adjustments", D("21.00")), ("goods_received", D("-210.00")), ("inventory", D("189.00"))]
    assert values(ordered)[("W", "NY")] == (D(10), D("42.00"))
    assert values(ordered)[("W", "OCEAN-1")] == (D(35), D("147.00"))


def test_bad_input_names_the_field_and_changes_nothing(ordered):
    before = move_count(ordered)
    with pytest.raises(InvalidInput) as raised:
        ship(ordered, (1, 5), transit="NY")
    assert raised.value.field == "transit"
    with pytest.raises(InvalidInput) as raised:
        ship(ordered, ReceiptLine(1, D(5), location="NY-A1"))
    assert raised.value.field == "lines[0].location"
    with pytest.raises(InvalidInput) as raised:
        ship(ordered, (1, -5))
    assert raised.value.field == "lines[0].quantity"
    ship(ordered, (1, 5))
    with pytest.raises(Conflict, match=r"lines\[0\]\.quantity"):
        arrive(ordered, "ASN-000001", (1, D(6)))
    with pytest.raises(InvalidInput) as raised:
        arrive(ordered, "ASN-000001", (2, D(1)))
    assert raised.value.field == "lines[0].line_no"
    with pytest.raises(InvalidInput) as raised:
        arrive(ordered, "ASN-000001", (1, D(1)), location="OCEAN-1")
    assert raised.value.field == "location"
    assert move_count(ordered) == before + 1


def test_the_carriers_news_updates_the_eta(ordered):
    ship(ordered, (1, 5), eta=date(2026, 3, 20))
    moved = services.supplier_shipments.update_supplier_shipment(
        ordered, UpdateSupplierShipment("ASN-000001", eta=date(2026, 3, 27), vessel="Maersk Elba"))
    assert (moved.eta, moved.vessel) == (date(2026, 3, 27), "Maersk Elba")


def test_projected_stock_counts_what_is_on_the_ocean_on_its_eta(ordered):
    # PO-000001 expects its goods on day 7; 30 W ship with an ETA of day 3.
    services.purchase_orders.update_purchase_order(ordered, UpdatePurchaseOrder("PO-000001", expected_date=day(7)))
    ship(ordered, (1, 30), eta=day(3))

    projection = services.forecasts.projected_stock(ordered, sku="W", site_code="NY", days=9)
    assert [d.available for d in projection.days] == [0, 0, 0, 30, 30, 30, 30, 50, 50]
    arrive(ordered, "ASN-000001", (1, D(10)))
    projection = services.forecasts.projected_stock(ordered, sku="W", site_code="NY", days=9)
    assert [d.available for d in projection.days] == [10, 10, 10, 30, 30, 30, 30, 50, 50]
    services.supplier_shipments.write_off_supplier_shipment(ordered, WriteOffSupplierShipment("ASN-000001"))
    projection = services.forecasts.projected_stock(ordered, sku="W", site_code="NY", days=9)
    assert [d.available for d in projection.days] == [10] * 7 + [30, 30]  # the 20 lost are not coming


def test_racing_receipts_of_one_shipment_never_take_more_than_is_in_transit(ordered):
    from collections import Counter

    from tests.integration.orders.test_order_concurrency import race

    ship(ordered, (1, 10))
    ship(ordered, (1, 10))  # the transit balance alone cannot tell the two apart

    def attempt(_n):
        try:
            arrive(ordered, "ASN-000001", (1, D(3)))
            return "done"
        except Conflict:
            return "refused"

    outcomes = race(attempt, 8)

    assert Counter(outcomes) == {"done": 3, "refused": 5}
    assert (at(ordered, "W", "NY"), at(ordered, "W", "OCEAN-1")) == (9, 11)
    view = services.supplier_shipments.get_supplier_shipment(ordered, "ASN-000001")
    assert [(ln.received, ln.in_transit) for ln in view.lines] == [(9, 1)]
    assert order_lines(ordered)[1][0] == (D(9), D(41))


def test_an_order_with_goods_in_transit_cannot_be_cancelled_but_can_be_closed(ordered):
    ship(ordered, (1, 10))
    with pytest.raises(Conflict, match="cancel"):
        services.purchase_orders.cancel_purchase_order(ordered, PurchaseOrderAction("PO-000001"))
    closed = services.purchase_orders.close_purchase_order(ordered, PurchaseOrderAction("PO-000001"))
    assert closed.status == "closed"
    assert arrive(ordered).status == "received"  # what was on its way still arrives
    assert at(ordered, "W", "NY") == 10


def test_units_that_came_by_shipment_go_back_to_the_supplier_from_where_they_arrived(ordered):
    from onhand.domain.purchasing.commands import ReturnToSupplier, SupplierReturnLine

    ship(ordered, (1, 10))
    arrive(ordered, "ASN-000001", ShipmentMoveLine(1, D(6), location="NY-A1"))
    back = services.supplier_returns.return_to_supplier(
        ordered, ReturnToSupplier("PO-000001", [SupplierReturnLine(1, D(2))]))
    assert [(ln.location, ln.quantity) for ln in back.lines] == [("NY-A1", D(2))]
    assert (at(ordered, "W", "NY-A1"), at(ordered, "W", "OCEAN-1")) == (4, 4)
    with pytest.raises(InvalidInput) as raised:  # the 4 in transit were not received: not returnable
        services.supplier_returns.return_to_supplier(
            ordered, ReturnToSupplier("PO-000001", [SupplierReturnLine(1, D(5))]))
    assert raised.value.field == "lines[0].quantity"
    assert arrive(ordered).status == "received"  # the rest still arrives


def test_units_that_came_by_shipment_go_back_at_their_own_cost_not_the_older_stocks(ordered):
    from onhand.domain.ledger.commands import PostAdjustment
    from onhand.domain.purchasing.commands import ReturnToSupplier, SupplierReturnLine
    from onhand.services.ledger.postings import StockLine

    services.adjustments.post_adjustment(ordered, PostAdjustment(location="NY-A1", reason="found", lines=[
        StockLine("W", 5, unit_cost="1.00")]))
    ship(ordered, (1, 10))
    arrive(ordered, "ASN-000001", ShipmentMoveLine(1, D(6), location="NY-A1"))
    back = services.supplier_returns.return_to_supplier(
        ordered, ReturnToSupplier("PO-000001", [SupplierReturnLine(1, D(2))]))
    assert back.value == D("8.00")  # 2 @ 4.00 carried from transit, not FIFO's found 2 @ 1.00


def test_shipping_again_with_the_same_idempotency_key_posts_once(ordered):
    command = ShipPurchaseOrder("PO-000001", [ReceiptLine(1, D(5))], vessel="Maersk Essen")
    first = services.supplier_shipments.ship_purchase_order(ordered, command, idempotency_key="asn-1")
    again = services.supplier_shipments.ship_purchase_order(ordered, command, idempotency_key="asn-1")
    assert again.reference == first.reference == "ASN-000001"
    assert at(ordered, "W", "OCEAN-1") == 5


def test_lots_travel_with_the_shipment_and_two_lots_need_the_lot_named(ordered):
    ship(ordered, ReceiptLine(2, D(8), lot="T1", expiry_date=date(2027, 1, 31)), ReceiptLine(2, D(4), lot="T2"))
    with pytest.raises(InvalidInput) as raised:
        arrive(ordered, "ASN-000001", (2, D(1)))
    assert raised.value.field == "lines[0].lot"
    view = arrive(ordered, "ASN-000001", ShipmentMoveLine(2, D(8), lot="T1"))
    assert [(ln.lot, ln.received, ln.in_transit) for ln in view.lines] == [("T1", 8, 0), ("T2", 0, 4)]
    assert level(ordered, "TEA", location="NY", lot="T1", group_by="lot")[0] == 8
    assert arrive(ordered, "ASN-000001", (2, D(4))).status == "received"  # one lot left: no need to name it
