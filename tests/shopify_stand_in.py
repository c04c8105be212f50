"""A Shopify Admin API stand-in on 127.0.0.1, speaking the documented shapes of the calls
Onhand makes: GraphQL `inventorySetQuantities` (with `changeFromQuantity` compare and the
`@idempotent` key), inventory levels by inventory item, fulfillment orders and
`fulfillmentCreate`; REST `GET /orders.json`. It records what it received, and can be told
to fail the next calls: `throttled` (a THROTTLED error with `extensions.cost`), `500`, or
`lost` (the call takes effect but the answer never comes: the client sees no answer).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.http_stand_in import StandIn, serve

TOKEN = "shpat_test_token"


def _num(gid: str) -> str:
    return str(gid).rsplit("/", 1)[-1]


@dataclass
class Shop:
    levels: dict[tuple[str, str], int] = field(default_factory=dict)  # (item, location) → available
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # idempotency key → the answer given
    failures: list[str] = field(default_factory=list)  # what the next calls do, in order
    received: list[dict[str, Any]] = field(default_factory=list)
    fulfillment_orders: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # order → FO lines
    fulfillments: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)  # REST bodies for the catch-up
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, *kinds: str) -> None:
        with self.lock:
            self.failures.extend(kinds)

    def sets(self) -> list[dict[str, Any]]:
        return [r for r in self.received if "inventorySetQuantities" in r.get("query", "")]

    def set_quantities(self, variables: dict[str, Any]) -> dict[str, Any]:
        key = variables.get("key")
        if key in self.keys:
            return self.keys[key]
        wanted = variables["input"]["quantities"]
        stale = [q for q in wanted if "changeFromQuantity" not in q or (
            q["changeFromQuantity"] is not None
            and self.levels.get((_num(q["inventoryItemId"]), _num(q["locationId"])), 0) != q["changeFromQuantity"])]
        if stale:
            answer = {"data": {"inventorySetQuantities": {"inventoryAdjustmentGroup": None, "userErrors": [
                {"code": "CHANGE_FROM_QUANTITY_STALE", "field": ["input", "quantities", "0"],
                 "message": "The compare quantity is stale"}]}}}
        else:
            changes = []
            for q in wanted:
                where = (_num(q["inventoryItemId"]), _num(q["locationId"]))
                changes.append({"name": "available", "delta": q["quantity"] - self.levels.get(where, 0),
                                "quantityAfterChange": q["quantity"]})
                self.levels[where] = q["quantity"]
            answer = {"data": {"inventorySetQuantities": {"inventoryAdjustmentGroup": {
                "createdAt": "2026-03-31T12:00:00Z", "reason": "correction", "changes": changes}, "userErrors": []}}}
        answer["extensions"] = {"cost": {"requestedQueryCost": 10, "actualQueryCost": 10, "throttleStatus": {
            "maximumAvailable": 2000.0, "currentlyAvailable": 1990, "restoreRate": 100.0}}}
        if key:
            self.keys[key] = answer
        return answer

    def level_nodes(self, variables: dict[str, Any]) -> dict[str, Any]:
        nodes = []
        for item_gid in variables["ids"]:
            item = _num(item_gid)
            nodes.append({"id": f"gid://shopify/InventoryItem/{item}", "inventoryLevels": {"nodes": [
                {"location": {"id": f"gid://shopify/Location/{loc}"},
                 "quantities": [{"name": "available", "quantity": qty}]}
                for (i, loc), qty in sorted(self.levels.items()) if i == item]}})
        return {"data": {"nodes": nodes}}

    def fulfillment_order_nodes(self, variables: dict[str, Any]) -> dict[str, Any]:
        order = _num(variables["id"])
        lines = self.fulfillment_orders.get(order, [])
        return {"data": {"order": {"fulfillmentOrders": {"nodes": [{
            "id": f"gid://shopify/FulfillmentOrder/{order}1", "status": "OPEN",
            "lineItems": {"nodes": [{"id": f"gid://shopify/FulfillmentOrderLineItem/{ln['line_item_id']}9",
                                     "remainingQuantity": ln["remaining"],
                                     "lineItem": {"id": f"gid://shopify/LineItem/{ln['line_item_id']}",
                                                  "sku": ln.get("sku")}} for ln in lines]}}]}}}}

    def fulfil(self, variables: dict[str, Any]) -> dict[str, Any]:
        fulfillment = variables["fulfillment"]
        for group in fulfillment["lineItemsByFulfillmentOrder"]:
            for item in group["fulfillmentOrderLineItems"]:
                line_id = _num(item["id"])[:-1]
                for lines in self.fulfillment_orders.values():
                    for line in lines:
                        if str(line["line_item_id"]) == line_id:
                            line["remaining"] -= item["quantity"]
        self.fulfillments.append(fulfillment)
        made = f"gid://shopify/Fulfillment/{len(self.fulfillments)}"
        return {"data": {"fulfillmentCreate": {"fulfillment": {"id": made, "status": "SUCCESS"}, "userErrors": []}}}


def handler_for(shop: Shop) -> type[StandIn]:
    class Handler(StandIn):
        def _failure(self) -> str | None:
            with shop.lock:
                return shop.failures.pop(0) if shop.failures else None

        def _authorized(self) -> bool:
            if self.headers.get("X-Shopify-Access-Token") != TOKEN:
                self.answer(401, {"errors": "[API] Invalid API key or access token"})
                return False
            return True

        def do_POST(self) -> None:
            raw = self.body()
            if not self._authorized():
                return
            request = json.loads(raw)
            failure = self._failure()
            if failure == "500":
                self.answer(500, {"errors": "Internal Server Error"})
                return
            if failure == "throttled":
                self.answer(200, {"errors": [{"message": "Throttled", "extensions": {
                    "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                    "extensions": {"cost": {"requestedQueryCost": 10, "actualQueryCost": None, "throttleStatus": {
                        "maximumAvailable": 2000.0, "currentlyAvailable": 4, "restoreRate": 100.0}}}})
                return
            with shop.lock:
                shop.received.append(request)
                query, variables = request.get("query", ""), request.get("variables") or {}
                if "inventorySetQuantities" in query:
                    answer = shop.set_quantities(variables)
                elif "inventoryLevels" in query:
                    answer = shop.level_nodes(variables)
                elif "fulfillmentOrders" in query:
                    answer = shop.fulfillment_order_nodes(variables)
                elif "fulfillmentCreate" in query:
                    answer = shop.fulfil(variables)
                else:
                    answer = {"errors": [{"message": "unknown operation"}]}
            if failure == "lost":
                self.close_unanswered()
                return
            self.answer(200, answer)

        def do_GET(self) -> None:
            if not self._authorized():
                return
            failure = self._failure()
            if failure == "500":
                self.answer(500, {"errors": "Internal Server Error"})
                return
            with shop.lock:
                shop.received.append({"path": self.path})
                self.answer(200, {"orders": list(shop.orders)})

    return Handler


@contextmanager
def shopify_stand_in() -> Iterator[tuple[Shop, str]]:
    shop = Shop()
    with serve(handler_for(shop)) as url:
        yield shop, url
