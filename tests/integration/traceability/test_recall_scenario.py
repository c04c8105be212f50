"""The article's scenario end to end: a customer reports a defect in Batch B123; who
else received it, where is the rest, where did it come from, and stop it in one action."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.orders.commands import CreateOrder
from onhand.services.orders.lines import NewOrderLine
from onhand.services.traceability.views import LotRef
from tests.integration.helpers import assert_books_balance, level
from tests.integration.traceability.scenario import build_scenario

B123 = [LotRef("SERUM", "B123")]


@pytest.fixture
def shop(onhand):
    build_scenario(onhand)
    return onhand


def test_the_recall_report_names_exactly_the_three_customers_with_what_they_received(shop):
    report = services.traces.recall_report(shop, lots=B123)

    got = {(c.customer, c.email, c.direct, c.inside_products, c.total) for c in report.customers}
    assert got == {
        ("Alice Smith", "alice@example.com", Decimal(10), Decimal(0), Decimal(10)),
        ("Bob Jones", "bob@example.com", Decimal(5), Decimal(0), Decimal(5)),
        ("Carol White", "carol@example.com", Decimal(0), Decimal(2), Decimal(2)),
    }
    carol = next(d for d in report.trace.deliveries if d.customer == "Carol White")
    assert (carol.sku, carol.lot, carol.quantity, carol.ship_to.city) == ("GIFTBOX", "GB1", 1, "Austin")
    assert [(h.sku, h.lot, h.quantity) for h in carol.holds] == [("SERUM", "B123", 2)]


def test_the_recall_report_says_where_the_rest_is_and_which_boxes_are_in_stock(shop):
    trace = services.traces.recall_report(shop, lots=B123).trace

    stock = {(s.sku, s.lot, s.location): (s.on_hand, [h.quantity for h in s.holds]) for s in trace.stock}
    assert stock == {
        ("SERUM", "B123", "WH"): (25, [25]),
        ("SERUM", "B123", "STORE"): (40, [40]),
        ("GIFTBOX", "GB1", "WH"): (9, [18]),
    }
    (account,) = trace.accounts
    assert (account.received, account.with_customers, account.on_hand, account.consumed) == (100, 15, 65, 20)
    assert (account.inside_products_with_customers, account.inside_products_on_hand) == (2, 18)
    assert [(lot.sku, lot.lot, lot.depth) for lot in trace.lots] == [("SERUM", "B123", 0), ("GIFTBOX", "GB1", 1)]


def test_a_supplier_lot_finds_the_same_report(shop):
    by_supplier = services.traces.recall_report(shop, supplier_lot="ACME-7781")
    assert by_supplier == services.traces.recall_report(shop, lots=B123)


def test_the_backward_trace_from_the_third_customers_order_reaches_the_purchase_order(shop):
    carol = services.sales_orders.list_orders(shop, limit=10)
    carol = next(o for o in carol if o.customer == "Carol White")
    po = services.purchase_orders.list_purchase_orders(shop)[0].reference

    trace = services.traces.trace_backward(shop, order=carol.reference)

    assert [(lot.sku, lot.lot, lot.depth) for lot in trace.lots] == [("GIFTBOX", "GB1", 0), ("SERUM", "B123", 1)]
    assert {(b.component_sku, b.component_lot, b.quantity) for b in trace.builds} == {
        ("SERUM", "B123", 20), ("RIBBON", None, 10)}
    (receipt,) = trace.receipts
    assert (receipt.purchase_order, receipt.supplier_code, receipt.lot, receipt.supplier_lot, receipt.quantity) == (
        po, "ACME", "B123", "ACME-7781", 100)
    line = services.traces.trace_backward(shop, order=carol.reference, line_no=1)
    shipment = services.traces.trace_backward(shop, shipment=int(carol.shipments[0].id))
    assert line.receipts == shipment.receipts == trace.receipts


def test_recall_stops_the_batch_and_the_boxes_while_the_other_lot_stays_sellable(shop):
    recall = services.recalls.recall_lots(shop, lots=B123, quarantine_location="QUAR", note="defect report")

    assert {(lot.sku, lot.lot, lot.status) for lot in recall.lots} == {
        ("SERUM", "B123", "recalled"), ("GIFTBOX", "GB1", "recalled")}
    assert level(shop, "SERUM", lot="B123")[2] == 0
    assert level(shop, "GIFTBOX")[2] == 0
    assert level(shop, "SERUM", lot="B200")[2] == 45  # 50, less Dave's 5 moved onto it
    dave = next(o for o in services.sales_orders.list_orders(shop) if o.customer == "Dave Brown")
    assert [(r.lot, r.quantity) for r in dave.lines[0].reservations] == [("B200", 5)]
    # Erin's boxes have no other lot: her order is left short, and the recall says so.
    assert [(s.sku, s.backordered) for s in recall.short] == [("GIFTBOX", 3)]
    assert level(shop, "SERUM", location="QUAR", lot="B123")[0] == 65
    assert level(shop, "GIFTBOX", location="QUAR")[0] == 9
    assert_books_balance(shop)


def test_releasing_a_recall_gives_the_status_and_the_stock_back(shop):
    recall = services.recalls.recall_lots(shop, lots=B123, quarantine_location="QUAR")

    released = services.recalls.release_recall(shop, recall.reference)

    assert released.released_at is not None
    assert {lot.status for lot in released.lots} == {"released"}
    assert level(shop, "SERUM", location="STORE", lot="B123")[0] == 40
    assert level(shop, "SERUM", location="WH", lot="B123")[0] == 25
    assert level(shop, "GIFTBOX", location="WH")[0] == 9
    erin = next(o for o in services.sales_orders.list_orders(shop) if o.customer == "Erin Black")
    assert erin.lines[0].reserved == 3  # served again from the released boxes
    assert_books_balance(shop)


def test_a_quarantine_without_a_move_keeps_the_stock_where_it_is(shop):
    recall = services.recalls.recall_lots(shop, lots=B123, status="quarantined")

    assert recall.quarantine_posting_id is None
    assert {lot.status for lot in recall.lots} == {"quarantined"}
    assert level(shop, "SERUM", location="STORE", lot="B123")[0] == 40


def test_a_recall_into_a_sellable_place_is_refused_and_changes_nothing(shop):
    with pytest.raises(InvalidInput) as refused:
        services.recalls.recall_lots(shop, lots=B123, quarantine_location="STORE")
    assert refused.value.field == "quarantine_location"
    assert services.lots.get_lot(shop, sku="SERUM", code="B123").status == "released"
    assert services.recalls.list_recalls(shop) == []


def test_lots_are_found_without_naming_the_item(shop):
    assert [(f.sku, f.lot, f.supplier_lot) for f in services.lot_search.find_lots(shop, lot="B123")] == [
        ("SERUM", "B123", "ACME-7781")]
    assert [f.lot for f in services.lot_search.find_lots(shop, supplier_lot="ACME-7781")] == ["B123"]
    assert services.traces.trace_backward(shop, lot="GB1").lots[1].lot == "B123"
    with pytest.raises(NotFound):
        services.traces.recall_report(shop, lots=[LotRef("SERUM", "NOPE")])


def test_orders_name_customers_that_become_records(shop):
    alice = services.customers.list_customers(shop, email="ALICE@example.com")
    assert [(c.name, c.email) for c in alice] == [("Alice Smith", "alice@example.com")]
    again = services.sales_orders.create_order(
        shop, CreateOrder(lines=[NewOrderLine("SERUM", 1)], customer="alice smith",
                          customer_email="alice@example.com"))
    assert (again.customer_code, again.customer) == (alice[0].code, "Alice Smith")
    by_code = services.sales_orders.create_order(
        shop, CreateOrder(lines=[NewOrderLine("SERUM", 1)], customer=alice[0].code))
    assert by_code.customer_code == alice[0].code
    assert [c.name for c in services.customers.list_customers(shop, name="B")] == [
        "Bob Jones", "Dave Brown", "Erin Black"]
    assert len(services.customers.list_customers(shop)) == 5


def test_a_channel_customer_id_finds_the_customer_again(shop):
    first = services.sales_orders.create_order(
        shop, CreateOrder(lines=[NewOrderLine("SERUM", 1)], channel="shopify", external_id="1001", customer="Zoe Q",
        customer_external_id="cust-77"))
    second = services.sales_orders.create_order(
        shop, CreateOrder(lines=[NewOrderLine("SERUM", 1)], channel="shopify", external_id="1002", customer="Zoe Quinn",
        customer_external_id="cust-77"))
    assert second.customer_code == first.customer_code
    found = services.customers.find_customer(shop, channel="shopify", external_id="cust-77")
    assert found.code == first.customer_code and found.channel_ids[0].external_id == "cust-77"


def test_a_name_two_customers_share_must_be_told_apart_by_code(shop):
    services.customers.create_customer(shop, name="Alice Smith", email="other@example.com")
    with pytest.raises(InvalidInput) as refused:
        services.sales_orders.create_order(shop, CreateOrder(lines=[NewOrderLine("SERUM", 1)], customer="Alice Smith"))
    assert refused.value.field == "customer"
