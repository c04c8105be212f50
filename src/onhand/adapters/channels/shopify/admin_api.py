"""The Shopify Admin API over httpx: set available quantities (GraphQL
`inventorySetQuantities` with compare quantities and an idempotency key), read them back,
create fulfilments through fulfillment orders, and list recent orders for a catch-up.

Every failure becomes a `PushFailed` naming the channel (never a token); a spent
cost-based throttle (a THROTTLED error, or `extensions.cost.throttleStatus`) becomes
`ChannelThrottled` with the seconds to wait; 5xx and timeouts are `uncertain` (the call
may have taken effect), and the caller retries with the same idempotency key.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx

from onhand.adapters.tls import tls_context
from onhand.domain.channels.documents import FulfilmentToCreate, QuantityToSet
from onhand.domain.channels.records import ChannelRecord
from onhand.domain.errors import ChannelThrottled, PushFailed

DEFAULT_VERSION = "2026-01"
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
MAX_ORDERS = 250

SET_QUANTITIES = """mutation SetStock($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { createdAt reason changes { name delta quantityAfterChange } }
    userErrors { code field message }
  }
}"""

LEVELS = """query Levels($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on InventoryItem {
      id
      inventoryLevels(first: 100) { nodes { location { id } quantities(names: ["available"]) { name quantity } } }
    }
  }
}"""

FULFILLMENT_ORDERS = """query FulfillmentOrders($id: ID!) {
  order(id: $id) {
    fulfillmentOrders(first: 20) {
      nodes { id status lineItems(first: 100) { nodes { id remainingQuantity lineItem { id sku } } } }
    }
  }
}"""

FULFILLMENT_CREATE = """mutation Fulfil($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}"""


def gid(kind: str, value: str) -> str:
    """Shopify's global id of a numeric id (`gid://shopify/InventoryItem/30322695`); kept if already one."""
    return value if value.startswith("gid://") else f"gid://shopify/{kind}/{value}"


def numeric(value: str) -> str:
    return value.rsplit("/", 1)[-1]


class ShopifyAdmin:
    def __init__(self, channel: ChannelRecord, access_token: str | None, *, client: httpx.Client | None = None) -> None:
        if not channel.endpoint:
            raise PushFailed(channel.name, "the channel has no endpoint (its shop's URL)")
        if not access_token:
            raise PushFailed(channel.name, "no access token is configured")
        self._name = channel.name
        self._base = f"{channel.endpoint}/admin/api/{channel.api_version or DEFAULT_VERSION}"
        self._headers = {"X-Shopify-Access-Token": access_token, "Content-Type": "application/json"}
        self._client = client

    def __repr__(self) -> str:  # never the token
        return f"ShopifyAdmin({self._name!r})"

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            if self._client is not None:
                return self._client.request(method, self._base + path, headers=self._headers, **kwargs)
            with httpx.Client(timeout=TIMEOUT, verify=tls_context()) as client:
                return client.request(method, self._base + path, headers=self._headers, **kwargs)
        except httpx.TimeoutException:
            raise PushFailed(self._name, "no answer in time", uncertain=True) from None
        except httpx.HTTPError as exc:
            raise PushFailed(self._name, f"unreachable ({type(exc).__name__})", uncertain=True) from None

    def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = self._send("POST", "/graphql.json", json={"query": query, "variables": variables})
        if response.status_code == 429:
            raise ChannelThrottled(self._name, float(response.headers.get("Retry-After", "2")))
        if response.status_code >= 500:
            raise PushFailed(self._name, f"answered {response.status_code}", uncertain=True)
        if response.status_code >= 400:
            raise PushFailed(self._name, f"refused the call ({response.status_code})")
        try:
            answer = response.json()
        except ValueError:
            raise PushFailed(self._name, "answered something other than JSON", uncertain=True) from None
        errors = answer.get("errors") or []
        if any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors if isinstance(e, dict)):
            raise ChannelThrottled(self._name, _wait(answer))
        if errors:
            raise PushFailed(self._name, f"GraphQL error: {str(errors[0].get('message', ''))[:200]}")
        return answer

    def set_quantities(self, quantities: Sequence[QuantityToSet], *, key: str, reference: str) -> list[str]:
        """Set them in one mutation; the userErrors' codes (empty: all set)."""
        answer = self.graphql(SET_QUANTITIES, {"key": key, "input": {
            "name": "available", "reason": "correction", "referenceDocumentUri": reference,
            "quantities": [{
                "inventoryItemId": gid("InventoryItem", q.external_item_id),
                "locationId": gid("Location", q.external_location_id),
                "quantity": q.quantity, "changeFromQuantity": q.change_from,
            } for q in quantities],
        }})
        payload = (answer.get("data") or {}).get("inventorySetQuantities") or {}
        return [str(e.get("code") or e.get("message")) for e in payload.get("userErrors") or []]

    def quantities(self, item_ids: Sequence[str]) -> dict[tuple[str, str], int]:
        """Available quantity per (inventory item, location), numeric ids, of the items asked."""
        answer = self.graphql(LEVELS, {"ids": [gid("InventoryItem", i) for i in item_ids]})
        found = {}
        for node in (answer.get("data") or {}).get("nodes") or []:
            if not node:
                continue
            for level in (node.get("inventoryLevels") or {}).get("nodes") or []:
                for q in level.get("quantities") or []:
                    if q.get("name") == "available":
                        found[(numeric(node["id"]), numeric(level["location"]["id"]))] = int(q["quantity"])
        return found

    def fulfil(self, fulfilment: FulfilmentToCreate) -> str | None:
        """Fulfil the lines (up to what each fulfillment order still has to ship), with tracking;
        the fulfilment's id, or None when nothing was left to fulfil (done before)."""
        answer = self.graphql(FULFILLMENT_ORDERS, {"id": gid("Order", fulfilment.external_order_id)})
        wanted = {numeric(line.external_line_id): line.quantity for line in fulfilment.lines}
        groups = []
        orders = (((answer.get("data") or {}).get("order") or {}).get("fulfillmentOrders") or {}).get("nodes") or []
        for fulfillment_order in orders:
            items = []
            for item in (fulfillment_order.get("lineItems") or {}).get("nodes") or []:
                line_id = numeric(item["lineItem"]["id"])
                take = min(wanted.get(line_id, 0), int(item.get("remainingQuantity") or 0))
                if take > 0:
                    items.append({"id": item["id"], "quantity": take})
                    wanted[line_id] -= take
            if items:
                groups.append({"fulfillmentOrderId": fulfillment_order["id"], "fulfillmentOrderLineItems": items})
        if not groups:
            return None
        tracking = {"company": fulfilment.carrier, "number": fulfilment.tracking_number}
        made = self.graphql(FULFILLMENT_CREATE, {"fulfillment": {
            "lineItemsByFulfillmentOrder": groups, "notifyCustomer": False,
            "trackingInfo": {k: v for k, v in tracking.items() if v},
        }})
        payload = (made.get("data") or {}).get("fulfillmentCreate") or {}
        if payload.get("userErrors"):
            raise PushFailed(self._name, f"fulfilment refused: {str(payload['userErrors'][0].get('message'))[:200]}")
        return str((payload.get("fulfillment") or {}).get("id") or "")

    def orders_since(self, since: datetime) -> list[dict[str, Any]]:
        """Orders updated since `since` (REST, the same shape as the webhooks' bodies)."""
        response = self._send("GET", "/orders.json", params={
            "status": "any", "updated_at_min": since.isoformat(), "limit": MAX_ORDERS})
        if response.status_code >= 400:
            raise PushFailed(self._name, f"answered {response.status_code}", uncertain=response.status_code >= 500)
        try:
            orders = response.json().get("orders")
        except ValueError:
            raise PushFailed(self._name, "answered something other than JSON") from None
        return [o for o in orders or [] if isinstance(o, dict)]


def _wait(answer: dict[str, Any]) -> float:
    """Seconds until the throttle bucket holds what the call asked for (Shopify's leaky bucket)."""
    cost = (answer.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    try:
        missing = float(cost.get("requestedQueryCost", 0)) - float(status.get("currentlyAvailable", 0))
        rate = float(status.get("restoreRate") or 50)
    except (TypeError, ValueError):
        return 1.0
    return max(0.1, math.ceil(missing / rate * 10) / 10) if missing > 0 else 1.0
