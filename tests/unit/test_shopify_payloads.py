"""Shopify's webhook signature and payloads, read into Onhand's channel documents: ids
above 2^53 kept exactly as text, money as Decimal, bad fields named."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from onhand.adapters.channels.shopify import payloads, signatures
from onhand.domain.channels.documents import stamped_before
from onhand.domain.errors import InvalidInput

FIXTURES = Path(__file__).parents[1] / "fixtures" / "shopify"


def test_the_signature_is_the_documented_base64_hmac_of_the_raw_body() -> None:
    body = b'{"id":820982911946154508,"name":"#9999"}'
    assert signatures.signature(body, "shpss_test_secret") == "ynR1PMel7WVr1F1xdQeN9vLyaY7o7B3/WRdc5xl3VY8="
    assert signatures.is_authentic(body, "ynR1PMel7WVr1F1xdQeN9vLyaY7o7B3/WRdc5xl3VY8=", "shpss_test_secret")


@pytest.mark.parametrize(("body", "header", "secret"), [
    (b'{"id":820982911946154508,"name":"#9998"}', "ynR1PMel7WVr1F1xdQeN9vLyaY7o7B3/WRdc5xl3VY8=", "shpss_test_secret"),
    (b'{"id":820982911946154508,"name":"#9999"}', "ynR1PMel7WVr1F1xdQeN9vLyaY7o7B3/WRdc5xl3VY8=", "other"),
    (b'{"id":820982911946154508,"name":"#9999"}', None, "shpss_test_secret"),
    (b'{"id":820982911946154508,"name":"#9999"}', "ynR1PMel7WVr1F1xdQeN9vLyaY7o7B3/WRdc5xl3VY8=", None),
    (b'{"id":820982911946154508,"name":"#9999"}', "é", "shpss_test_secret"),
])
def test_a_changed_body_another_secret_or_no_header_is_not_authentic(body, header, secret) -> None:
    assert not signatures.is_authentic(body, header, secret)


def test_an_order_keeps_its_64_bit_ids_and_string_money_exact() -> None:
    order = payloads.document("orders/create", (FIXTURES / "orders_create.json").read_bytes())
    assert order.external_order_id == "820982911946154508"  # > 2^53: a float would have changed it
    got = [(ln.external_line_id, ln.sku, ln.external_variant_id, ln.quantity, ln.unit_price) for ln in order.lines]
    assert got == [
        ("866550311766439020", "IPOD2008GREEN", "808950810", Decimal(1), Decimal("199.00")),
        ("141249953214522974", "IPOD2008BLACK", "457924702", Decimal(2), Decimal("99.50")),
    ]
    assert (order.currency, order.customer, order.customer_email, order.cancelled) == (
        "USD", "John Smith", "jon@example.com", False)
    assert (order.ship_to.name, order.ship_to.city, order.ship_to.country) == ("Steve Shipper", "Shippington", "US")


def test_an_edited_line_counts_its_current_quantity_and_a_cancelled_order_says_so() -> None:
    body = json.loads((FIXTURES / "orders_create.json").read_text())
    body["line_items"][1]["current_quantity"] = 1
    body["cancelled_at"] = "2026-03-31T10:00:00-05:00"
    order = payloads.document("orders/updated", json.dumps(body).encode())
    assert order.lines[1].quantity == 1 and order.cancelled


def test_a_refund_lists_only_restocked_lines_with_their_location() -> None:
    refund = payloads.document("refunds/create", (FIXTURES / "refunds_create.json").read_bytes())
    assert (refund.external_refund_id, refund.external_order_id) == ("929361462", "820982911946154508")
    assert [(r.external_line_id, r.quantity, r.kind, r.external_location_id) for r in refund.restocks] == [
        ("141249953214522974", Decimal(1), "return", "487838322")]


def test_topics_onhand_does_not_act_on_mean_nothing() -> None:
    assert payloads.document("products/update", b"{}") is None


@pytest.mark.parametrize(("change", "field"), [
    (lambda b: b.pop("id"), "id"),
    (lambda b: b["line_items"][0].update(quantity=1.5), "line_items[0].quantity"),
    (lambda b: b["line_items"][0].update(quantity=-1), "line_items[0].quantity"),
    (lambda b: b["line_items"][0].update(price="12,00"), "line_items[0].price"),
    (lambda b: b["line_items"][0].update(id=None), "line_items[0].id"),
    (lambda b: b.update(line_items="x"), "line_items"),
])
def test_a_malformed_order_names_its_field(change, field) -> None:
    body = json.loads((FIXTURES / "orders_create.json").read_text())
    change(body)
    with pytest.raises(InvalidInput) as refused:
        payloads.document("orders/create", json.dumps(body).encode())
    assert refused.value.field == field


def test_a_body_that_is_not_a_json_object_is_refused() -> None:
    for raw in (b"not json", b"[1]", b"\xff"):
        with pytest.raises(InvalidInput):
            payloads.document("orders/create", raw)


def test_an_update_is_stale_by_its_moment_not_its_text() -> None:
    assert stamped_before("2026-03-30T15:30:00+00:00", "2026-03-30T11:00:00-05:00")  # 10:30 -05:00, before 11:00
    assert not stamped_before("2026-03-30T16:30:00+00:00", "2026-03-30T11:00:00-05:00")
    assert not stamped_before("2026-03-30T16:30:00+00:00", None)
