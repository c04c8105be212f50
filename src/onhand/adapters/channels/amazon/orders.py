"""getOrders / getOrderItems (SP-API Orders v0) payloads → `AmazonOrder` records.

Money is `{"CurrencyCode", "Amount"}` with Amount a string; `ItemPrice` is the line total.
A payload that breaks the documented shape is refused with the field it broke.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from onhand.domain.channels.amazon import (
    MAX_QUANTITY,
    AmazonOrder,
    AmazonOrderLine,
    OrdersPage,
    fulfilment,
)
from onhand.domain.errors import InvalidInput
from onhand.domain.quantities import parse_decimal

ORDER_ID = re.compile(r"^[0-9A-Za-z]{3}-[0-9]{7}-[0-9]{7}$")
_TEXT = re.compile(r"^[\x20-\x7e\u00a0-\uffff]{1,100}$")


def _text(value: object, field: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not _TEXT.match(value):
        raise InvalidInput(field, "must be text of 1-100 printable characters")
    return value


def order_id(value: object, field: str = "AmazonOrderId") -> str:
    if not isinstance(value, str) or not ORDER_ID.match(value):
        raise InvalidInput(field, "must be an Amazon order id like 902-1845936-5435065")
    return value


def money_amount(value: object, field: str) -> tuple[Decimal, str] | None:
    """(Amount, CurrencyCode) of a Money object; None when absent (Pending orders)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput(field, "must be a Money object")
    amount = parse_decimal(value.get("Amount"), f"{field}.Amount")
    if amount < 0:
        raise InvalidInput(f"{field}.Amount", "must not be negative")
    currency = value.get("CurrencyCode")
    if not isinstance(currency, str) or not re.match(r"^[A-Z]{3}$", currency):
        raise InvalidInput(f"{field}.CurrencyCode", "must be a three-letter currency code")
    return amount, currency


def parse_order(raw: object, field: str = "Order") -> AmazonOrder:
    """One `Order` of getOrders (its lines come from getOrderItems)."""
    if not isinstance(raw, dict):
        raise InvalidInput(field, "must be an object")
    address = raw.get("ShippingAddress") if isinstance(raw.get("ShippingAddress"), dict) else {}
    total = money_amount(raw.get("OrderTotal"), f"{field}.OrderTotal")
    return AmazonOrder(
        amazon_order_id=order_id(raw.get("AmazonOrderId"), f"{field}.AmazonOrderId"),
        status=_text(raw.get("OrderStatus"), f"{field}.OrderStatus") or "",
        fulfilment=fulfilment(raw.get("FulfillmentChannel", "MFN"), f"{field}.FulfillmentChannel"),
        last_update=_text(raw.get("LastUpdateDate"), f"{field}.LastUpdateDate") or "",
        currency=total[1] if total else None,
        city=_text(address.get("City"), f"{field}.ShippingAddress.City", required=False),
        region=_text(address.get("StateOrRegion"), f"{field}.ShippingAddress.StateOrRegion", required=False),
        postal_code=_text(address.get("PostalCode"), f"{field}.ShippingAddress.PostalCode", required=False),
        country=_text(address.get("CountryCode"), f"{field}.ShippingAddress.CountryCode", required=False),
    )


def quantity(value: object, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput(field, "must be a whole number")
    number = parse_decimal(value, field)
    if number != number.to_integral_value() or not 0 <= number <= MAX_QUANTITY:
        raise InvalidInput(field, f"must be a whole number from 0 to {MAX_QUANTITY}")
    return number


def parse_order_item(raw: object, field: str = "OrderItem") -> AmazonOrderLine:
    if not isinstance(raw, dict):
        raise InvalidInput(field, "must be an object")
    price = money_amount(raw.get("ItemPrice"), f"{field}.ItemPrice")
    return AmazonOrderLine(
        order_item_id=_text(raw.get("OrderItemId"), f"{field}.OrderItemId") or "",
        seller_sku=_text(raw.get("SellerSKU"), f"{field}.SellerSKU", required=False),
        asin=_text(raw.get("ASIN"), f"{field}.ASIN", required=False),
        quantity=quantity(raw.get("QuantityOrdered"), f"{field}.QuantityOrdered"),
        item_price=price[0] if price else None,
    )


def _payload(body: object) -> dict[str, Any]:
    if not isinstance(body, dict) or not isinstance(body.get("payload"), dict):
        raise InvalidInput("payload", "must be an object")
    return body["payload"]


def _token(value: object, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 4000:
        raise InvalidInput(field, "must be text up to 4000 characters")
    return value


def parse_orders_page(body: object) -> OrdersPage:
    """A getOrders response: `{"payload": {"Orders": [...], "NextToken": ...}}`."""
    payload = _payload(body)
    orders = payload.get("Orders")
    if not isinstance(orders, list):
        raise InvalidInput("payload.Orders", "must be a list")
    return OrdersPage(
        orders=tuple(parse_order(o, f"payload.Orders[{i}]") for i, o in enumerate(orders)),
        next_token=_token(payload.get("NextToken"), "payload.NextToken"),
        last_updated_before=_token(payload.get("LastUpdatedBefore"), "payload.LastUpdatedBefore"),
    )


def parse_order_items_page(body: object) -> tuple[tuple[AmazonOrderLine, ...], str | None]:
    """A getOrderItems response: its lines and the NextToken for more."""
    payload = _payload(body)
    items = payload.get("OrderItems")
    if not isinstance(items, list):
        raise InvalidInput("payload.OrderItems", "must be a list")
    lines = tuple(parse_order_item(o, f"payload.OrderItems[{i}]") for i, o in enumerate(items))
    return lines, _token(payload.get("NextToken"), "payload.NextToken")


def with_lines(order: AmazonOrder, lines: tuple[AmazonOrderLine, ...]) -> AmazonOrder:
    return replace(order, lines=lines)
