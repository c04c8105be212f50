"""Amazon payloads mapped to Onhand's records, on the documented sample shapes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from onhand.adapters.channels.amazon.flat_file import parse_order_report
from onhand.adapters.channels.amazon.inventory_report import parse_inventory_report
from onhand.adapters.channels.amazon.listings import listings_feed, patch_body
from onhand.adapters.channels.amazon.orders import parse_order_items_page, parse_orders_page
from onhand.domain.channels.amazon import Action, AmazonOrder, Fulfilment, action_for, pushed_quantity, unit_price
from onhand.domain.errors import InvalidInput

FIXTURES = Path(__file__).parent.parent / "fixtures" / "amazon"


def _json(name: str) -> object:
    return json.loads((FIXTURES / name).read_text())


def test_get_orders_sample_maps_to_an_unshipped_merchant_order() -> None:
    page = parse_orders_page(_json("getOrders_response.json"))
    (order,) = page.orders
    assert (order.amazon_order_id, order.status, order.fulfilment, order.currency) == (
        "902-1845936-5435065", "Unshipped", Fulfilment.MERCHANT, "USD")
    assert (order.city, order.postal_code, order.country) == ("SEATTLE", "98121-1234", "US")
    assert page.next_token is None
    assert action_for(order) is Action.RESERVE


def test_get_order_items_sample_gives_the_unit_price_from_the_line_total() -> None:
    (line,), token = parse_order_items_page(_json("getOrderItems_response.json"))
    assert (line.order_item_id, line.seller_sku, line.asin, line.quantity) == (
        "05015851154158", "NABetaASINB00551Q3CS", "B00551Q3CS", Decimal(1))
    assert line.item_price == Decimal("10.00") and line.unit_price == Decimal("10.00")
    assert token is None


@pytest.mark.parametrize(("total", "quantity", "unit"), [
    ("21.98", 2, "10.99"), ("10.00", 3, "3.333333"), ("0.07", 7, "0.01"), (None, 2, "0"),
])
def test_item_price_is_price_times_quantity(total, quantity, unit) -> None:
    amount = Decimal(total) if total is not None else None
    assert unit_price(amount, Decimal(quantity)) == Decimal(unit)
    assert isinstance(unit_price(amount, Decimal(quantity)), Decimal)


@pytest.mark.parametrize(("status", "channel", "action"), [
    ("Pending", "MFN", Action.RESERVE), ("Unshipped", "MFN", Action.RESERVE),
    ("Canceled", "MFN", Action.RELEASE), ("Canceled", "AFN", Action.RELEASE),
    ("Shipped", "AFN", Action.SHIP_FROM_FBA), ("Shipped", "MFN", Action.NOTHING),
    ("Pending", "AFN", Action.RESERVE), ("Unfulfillable", "AFN", Action.NOTHING),
])
def test_each_status_asks_one_thing(status, channel, action) -> None:
    order = AmazonOrder("902-1845936-5435065", status, Fulfilment(channel), "2026-03-01T00:00:00Z", "USD")
    assert action_for(order) is action


@pytest.mark.parametrize(("change", "field"), [
    ({"AmazonOrderId": "12345"}, "payload.Orders[0].AmazonOrderId"),
    ({"FulfillmentChannel": "XYZ"}, "payload.Orders[0].FulfillmentChannel"),
    ({"OrderTotal": {"CurrencyCode": "USD", "Amount": 11.01}}, "payload.Orders[0].OrderTotal.Amount"),
    ({"OrderStatus": None}, "payload.Orders[0].OrderStatus"),
])
def test_a_broken_order_names_the_field(change, field) -> None:
    body = _json("getOrders_response.json")
    body["payload"]["Orders"][0].update(change)
    with pytest.raises(InvalidInput) as refused:
        parse_orders_page(body)
    assert refused.value.field == field


@pytest.mark.parametrize("quantity", [1.5, -1, "2.5", True, None])
def test_a_quantity_that_is_not_a_whole_number_is_refused(quantity) -> None:
    body = _json("getOrderItems_response.json")
    body["payload"]["OrderItems"][0]["QuantityOrdered"] = quantity
    with pytest.raises(InvalidInput) as refused:
        parse_order_items_page(body)
    assert refused.value.field == "payload.OrderItems[0].QuantityOrdered"


def test_flat_file_report_groups_rows_by_order_by_header_name() -> None:
    orders = parse_order_report((FIXTURES / "flat_file_all_orders.tsv").read_text())
    assert [(o.amazon_order_id, o.status, o.fulfilment) for o in orders] == [
        ("111-0000001-0000001", "Pending", Fulfilment.MERCHANT),
        ("111-0000002-0000002", "Canceled", Fulfilment.MERCHANT),
        ("111-0000003-0000003", "Shipped", Fulfilment.AMAZON),
    ]
    assert [(line.seller_sku, line.quantity, line.unit_price) for line in orders[0].lines] == [
        ("MUG", 3, Decimal("3.333333")), ("CUP", 2, Decimal("3.50"))]
    assert orders[2].lines[0].unit_price == Decimal("10.99")


def test_flat_file_report_without_a_needed_column_is_refused() -> None:
    text = (FIXTURES / "flat_file_all_orders.tsv").read_text().replace("order-status", "status", 1)
    with pytest.raises(InvalidInput, match="order-status"):
        parse_order_report(text)


def test_fba_report_counts_fulfillable_and_reserved_units() -> None:
    units = parse_inventory_report((FIXTURES / "fba_myi_unsuppressed_inventory.tsv").read_text())
    assert units == {"MUG": 12, "CUP": 0}


def test_quantity_goes_out_as_documented() -> None:
    assert patch_body(42) == {"productType": "PRODUCT", "patches": [{
        "op": "merge", "path": "/attributes/fulfillment_availability",
        "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 42}]}]}
    feed = listings_feed("A1SELLER", [("MUG", 3), ("CUP", 0)])
    assert feed["header"] == {"sellerId": "A1SELLER", "version": "2.0"}
    assert [(m["messageId"], m["sku"], m["operationType"], m["patches"][0]["value"][0]["quantity"])
            for m in feed["messages"]] == [(1, "MUG", "PATCH", 3), (2, "CUP", "PATCH", 0)]


@pytest.mark.parametrize(("available", "sent"), [("3.9", 3), ("0", 0), ("-2", 0), ("7", 7)])
def test_amazon_is_sent_whole_units_never_below_zero(available, sent) -> None:
    assert pushed_quantity(Decimal(available)) == sent
