"""Shopify webhooks through the real HTTP server: signed over the raw body, answered at
once, stored once per event id; a bad signature is a 401 that stores nothing; the worker
then imports exactly one allocated order."""

from __future__ import annotations

import httpx
import pytest

from onhand import services
from onhand.adapters.channels.shopify.signatures import signature
from tests.integration.channels.shop import SECRET, body_of, sample, stocked_shop


@pytest.fixture
def shop_url(onhand, api_url, tmp_path) -> str:
    stocked_shop(onhand, tmp_path)
    return f"{api_url}/webhooks/shopify/shop-us"


def post(url: str, raw: bytes, *, event_id: str = "e-1", secret: str = SECRET, **headers: str) -> httpx.Response:
    return httpx.post(url, content=raw, headers={
        "Content-Type": "application/json", "X-Shopify-Topic": "orders/create",
        "X-Shopify-Hmac-Sha256": signature(raw, secret), "X-Shopify-Event-Id": event_id,
        "X-Shopify-Webhook-Id": f"w-{event_id}", "X-Shopify-Shop-Domain": "shop-us.myshopify.com",
        "X-Shopify-API-Version": "2026-01", **headers,
    })


def test_a_signed_webhook_is_answered_stored_once_and_imported_once(onhand, shop_url) -> None:
    raw = body_of(sample())
    first, again = post(shop_url, raw), post(shop_url, raw)
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first.json()["duplicate"], again.json()) == (False, {"delivery_id": first.json()["delivery_id"],
                                                                  "duplicate": True})
    assert services.channel_inbox.process_inbox(onhand) == 1
    [order] = services.sales_orders.list_orders(onhand, channel="shop-us")
    assert order.status == "allocated" and order.external_id == "820982911946154508"


def test_the_signature_covers_the_raw_bytes_not_their_json(onhand, shop_url) -> None:
    raw = body_of(sample())
    signed_for = signature(raw, SECRET)
    respaced = raw.replace(b",", b", ")  # the same JSON, other bytes
    refused = post(shop_url, respaced, **{"X-Shopify-Hmac-Sha256": signed_for})
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"
    assert post(shop_url, raw, secret="wrong").status_code == 401
    assert services.channel_inbox.process_inbox(onhand) == 0


def test_unknown_channels_and_missing_event_ids_store_nothing(onhand, shop_url, api_url) -> None:
    raw = body_of(sample())
    assert post(f"{api_url}/webhooks/shopify/nowhere", raw).status_code == 404
    assert post(shop_url, raw, event_id="", **{"X-Shopify-Webhook-Id": ""}).status_code == 422
    assert post(shop_url, raw, **{"X-Shopify-Topic": "not a topic"}).status_code == 422
    assert services.channel_inbox.process_inbox(onhand) == 0
