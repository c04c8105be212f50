"""Shopify's webhook payloads → Onhand's channel documents. Pure: no I/O, no framework.

The body is the bare REST resource. Ids are 64-bit (above 2^53): read as int by Python's
json, kept as text. Money arrives as strings and becomes Decimal; a quantity is an int.
Every field is checked and a bad one is an `InvalidInput` naming it (the delivery is then
listed as an exception, never half applied).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from onhand.domain.channels.channels import external_id
from onhand.domain.channels.documents import ChannelLine, ChannelOrder, ChannelRefund, Document, Restock
from onhand.domain.errors import InvalidInput
from onhand.domain.money import money
from onhand.domain.orders.views import ShipTo

ORDER_TOPICS = frozenset({"orders/create", "orders/updated", "orders/edited", "orders/cancelled"})
REFUND_TOPICS = frozenset({"refunds/create"})
TOPICS = ORDER_TOPICS | REFUND_TOPICS
MAX_LINES = 1000
MAX_QUANTITY = 10**9
RESTOCKING = ("cancel", "return")


def read_json(raw_body: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw_body, parse_float=Decimal)
    except (ValueError, RecursionError):
        raise InvalidInput("body", "is not JSON") from None
    if not isinstance(body, dict):
        raise InvalidInput("body", "must be a JSON object")
    return body


def _text(value: Any, field: str, max_length: int = 200) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value or None


def _id(value: Any, field: str) -> str:
    if value is None:
        raise InvalidInput(field, "is required")
    return external_id(value, field)


def _quantity(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
        raise InvalidInput(field, f"must be a whole number from 0 to {MAX_QUANTITY}")
    return Decimal(value)


def _money(value: Any, field: str) -> Decimal:
    if value is None:
        return Decimal(0)
    if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
        raise InvalidInput(field, "must be a decimal string")
    return money(str(value), field)


def _lines(body: dict[str, Any]) -> tuple[ChannelLine, ...]:
    items = body.get("line_items") or []
    if not isinstance(items, list) or len(items) > MAX_LINES:
        raise InvalidInput("line_items", f"must be a list of at most {MAX_LINES}")
    lines = []
    for index, item in enumerate(items):
        field = f"line_items[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput(field, "must be an object")
        variant = item.get("variant_id")
        # An edited order keeps each line's first `quantity`; `current_quantity` is what it is now.
        quantity = item.get("current_quantity", item.get("quantity"))
        lines.append(ChannelLine(
            external_line_id=_id(item.get("id"), f"{field}.id"),
            sku=_text(item.get("sku"), f"{field}.sku", 100),
            external_variant_id=external_id(variant, f"{field}.variant_id") if variant is not None else None,
            quantity=_quantity(quantity, f"{field}.quantity"),
            unit_price=_money(item.get("price"), f"{field}.price"),
        ))
    return tuple(lines)


def _ship_to(value: Any) -> ShipTo | None:
    if not isinstance(value, dict):
        return None
    name = _text(value.get("name"), "shipping_address.name") or " ".join(
        part for part in (_text(value.get("first_name"), "shipping_address.first_name"),
                          _text(value.get("last_name"), "shipping_address.last_name")) if part) or None
    country = _text(value.get("country_code"), "shipping_address.country_code", 2)
    return ShipTo(
        name=name, line1=_text(value.get("address1"), "shipping_address.address1"),
        line2=_text(value.get("address2"), "shipping_address.address2"),
        city=_text(value.get("city"), "shipping_address.city", 100),
        region=_text(value.get("province_code"), "shipping_address.province_code", 100),
        postcode=_text(value.get("zip"), "shipping_address.zip", 20),
        country=country.upper() if country else None,
    )


def order(body: dict[str, Any]) -> ChannelOrder:
    customer = body.get("customer") if isinstance(body.get("customer"), dict) else {}
    customer_name = " ".join(part for part in (_text(customer.get("first_name"), "customer.first_name"),
                                               _text(customer.get("last_name"), "customer.last_name")) if part)
    ship_to = _ship_to(body.get("shipping_address"))
    currency = _text(body.get("currency"), "currency", 3)
    return ChannelOrder(
        external_order_id=_id(body.get("id"), "id"),
        name=_text(body.get("name"), "name", 64),
        currency=currency.upper() if currency else None,
        lines=_lines(body),
        cancelled=body.get("cancelled_at") is not None,
        customer=customer_name or (ship_to.name if ship_to else None),
        customer_email=_text(body.get("email") or customer.get("email"), "email"),
        customer_external_id=external_id(customer["id"], "customer.id") if customer.get("id") is not None else None,
        ship_to=ship_to,
        updated_at=_text(body.get("updated_at"), "updated_at", 40),
    )


def refund(body: dict[str, Any]) -> ChannelRefund:
    rows = body.get("refund_line_items") or []
    if not isinstance(rows, list) or len(rows) > MAX_LINES:
        raise InvalidInput("refund_line_items", f"must be a list of at most {MAX_LINES}")
    restocks = []
    for index, row in enumerate(rows):
        field = f"refund_line_items[{index}]"
        if not isinstance(row, dict):
            raise InvalidInput(field, "must be an object")
        kind = row.get("restock_type")
        if kind not in RESTOCKING:
            continue  # no_restock, legacy_restock: no goods move
        location = row.get("location_id")
        restocks.append(Restock(
            external_line_id=_id(row.get("line_item_id"), f"{field}.line_item_id"),
            quantity=_quantity(row.get("quantity"), f"{field}.quantity"),
            kind=kind,
            external_location_id=external_id(location, f"{field}.location_id") if location is not None else None,
        ))
    return ChannelRefund(external_refund_id=_id(body.get("id"), "id"),
                         external_order_id=_id(body.get("order_id"), "order_id"), restocks=tuple(restocks))


def document(topic: str, raw_body: bytes) -> Document:
    """The delivery's meaning; None for a topic Onhand does not act on."""
    if topic in ORDER_TOPICS:
        return order(read_json(raw_body))
    if topic in REFUND_TOPICS:
        return refund(read_json(raw_body))
    return None
