"""A local stand-in of Amazon's Selling Partner API and Login with Amazon, for channel tests.

- `POST /auth/o2/token` (form `grant_type=refresh_token`, `refresh_token`, `client_id`,
  `client_secret`) answers `{"access_token", "token_type": "bearer", "expires_in": 3600}`;
  anything else gets `400 {"error": "invalid_grant"}`.
- Every SP-API call needs a token it issued in `x-amz-access-token`, else 403 with
  `{"errors": [{"code": "Unauthorized", ...}]}`.
- `GET /orders/v0/orders?MarketplaceIds=…&LastUpdatedAfter=…` answers the orders updated
  after the moment, `page_size` per page, with `NextToken` while more remain; a request
  with `NextToken` continues that listing (MarketplaceIds still required).
- `GET /orders/v0/orders/{id}/orderItems` answers the order's items (`items_page_size` per page).
- `PATCH /listings/2021-08-01/items/{sellerId}/{sku}?marketplaceIds=…` records the
  `fulfillment_availability` quantity and answers `{"sku", "status": "ACCEPTED", "submissionId"}`.
- Feeds API 2021-06-30: `POST /feeds/2021-06-30/documents` answers a feedDocumentId and
  an upload URL (`PUT /upload/{id}`, no access token: it is presigned); `POST
  /feeds/2021-06-30/feeds` (JSON_LISTINGS_FEED) processes the document at once: each
  PATCH message sets its SKU's quantity, except SKUs in `invalid_skus` (an ERROR issue);
  `GET /feeds/2021-06-30/feeds/{id}` answers IN_PROGRESS `feed_polls` times, then DONE
  with a resultFeedDocumentId whose report (`GET /feeds/2021-06-30/documents/{id}` → url)
  is GZIP-compressed JSON: `{"header", "issues": [...], "summary": {...}}`.
- `faults`: answers to give first, in order, to requests whose path starts with a prefix:
  `(prefix, status, headers)`: 429 with `x-amzn-RateLimit-Limit`, 500, 503 …
"""

from __future__ import annotations

import gzip
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from tests.http_stand_in import StandIn, serve

CLIENT_ID = "amzn1.application-oa2-client.test"
CLIENT_SECRET = "amzn-client-secret-shh"
REFRESH = "Atzr|refresh-token-shh"
SELLER = "A1SELLER0TEST"
MARKETPLACE = "ATVPDKIKX0DER"


@dataclass
class AmazonState:
    orders: dict[str, dict] = field(default_factory=dict)  # AmazonOrderId → Order
    items: dict[str, list[dict]] = field(default_factory=dict)  # AmazonOrderId → OrderItems
    quantities: dict[str, int] = field(default_factory=dict)  # SellerSKU → last quantity accepted
    patches: list[tuple[str, dict]] = field(default_factory=list)
    requests: list[tuple[str, str, dict]] = field(default_factory=list)  # method, path, headers
    token_requests: list[dict] = field(default_factory=list)
    faults: list[tuple[str, int, dict]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    listings: dict[str, list[str]] = field(default_factory=dict)  # NextToken → order ids left
    page_size: int = 2
    documents: dict[str, bytes] = field(default_factory=dict)
    feeds: dict[str, dict] = field(default_factory=dict)
    invalid_skus: set[str] = field(default_factory=set)
    feed_polls: int = 1
    last_updated_before: str = "2026-03-02T09:58:00Z"  # Amazon: about two minutes before now
    items_page_size: int = 100
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put_order(self, order: dict, items: list[dict]) -> None:
        self.orders[order["AmazonOrderId"]] = order
        self.items[order["AmazonOrderId"]] = items


def _handler(state: AmazonState) -> type[StandIn]:
    class StandInAmazon(StandIn):
        def _fault(self, path: str) -> bool:
            with state.lock:
                index = next((i for i, f in enumerate(state.faults) if path.startswith(f[0])), None)
                fault = state.faults.pop(index) if index is not None else None
            if fault is None:
                return False
            self.answer(fault[1], {"errors": [{"code": "QuotaExceeded" if fault[1] == 429 else "InternalFailure",
                                               "message": "stand-in fault"}]}, fault[2])
            return True

        def _authorized(self) -> bool:
            if self.headers.get("x-amz-access-token") in state.tokens:
                return True
            self.answer(403, {"errors": [{"code": "Unauthorized",
                                          "message": "Access to requested resource is denied."}]})
            return False

        def _download(self) -> bool:
            path = urlsplit(self.path).path
            if not path.startswith("/download/"):
                return False
            data = state.documents[path.removeprefix("/download/")]
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return True

        def _start(self) -> tuple[str, dict[str, list[str]]] | None:
            if self._download():
                return None
            url = urlsplit(self.path)
            with state.lock:
                state.requests.append((self.command, url.path, dict(self.headers)))
            if self._fault(url.path) or not self._authorized():
                return None
            return url.path, parse_qs(url.query)

        def do_POST(self) -> None:
            if urlsplit(self.path).path.startswith("/feeds/"):
                self._feeds_post()
                return
            if urlsplit(self.path).path != "/auth/o2/token":
                self.answer(404, {"errors": [{"code": "NotFound"}]})
                return
            form = self.form()
            state.token_requests.append(form)
            if (form.get("grant_type"), form.get("refresh_token"), form.get("client_id"),
                    form.get("client_secret")) != ("refresh_token", REFRESH, CLIENT_ID, CLIENT_SECRET):
                self.answer(400, {"error": "invalid_grant", "error_description": "bad refresh token or client"})
                return
            token = f"Atza|{uuid.uuid4().hex}"
            state.tokens.add(token)
            self.answer(200, {"access_token": token, "token_type": "bearer", "expires_in": 3600})

        def do_GET(self) -> None:
            started = self._start()
            if started is None:
                return
            path, query = started
            if path.startswith("/feeds/2021-06-30/feeds/"):
                feed_id = path.rsplit("/", 1)[1]
                feed = state.feeds[feed_id]
                if feed["polls"] > 0:
                    feed["polls"] -= 1
                    self.answer(200, {"feedId": feed_id, "feedType": "JSON_LISTINGS_FEED",
                                      "processingStatus": "IN_PROGRESS"})
                else:
                    self.answer(200, {"feedId": feed_id, "feedType": "JSON_LISTINGS_FEED", "processingStatus": "DONE",
                                      "resultFeedDocumentId": feed["result"]})
            elif path.startswith("/feeds/2021-06-30/documents/"):
                document = path.rsplit("/", 1)[1]
                self.answer(200, {"feedDocumentId": document, "compressionAlgorithm": "GZIP",
                                  "url": f"http://{self.headers.get('Host')}/download/{document}"})
            elif path == "/orders/v0/orders":
                self._orders(query)
            elif path.startswith("/orders/v0/orders/") and path.endswith("/orderItems"):
                order_id = unquote(path.split("/")[4])
                items = state.items.get(order_id)
                if items is None:
                    self.answer(404, {"errors": [{"code": "NotFound", "message": "order not found"}]})
                    return
                start = int(query.get("NextToken", ["0"])[0])
                end = start + state.items_page_size
                payload = {"AmazonOrderId": order_id, "OrderItems": items[start:end]}
                if end < len(items):
                    payload["NextToken"] = str(end)
                self.answer(200, {"payload": payload})
            else:
                self.answer(404, {"errors": [{"code": "NotFound"}]})

        def _orders(self, query: dict[str, list[str]]) -> None:
            if query.get("MarketplaceIds") != [MARKETPLACE]:
                self.answer(400, {"errors": [{"code": "InvalidInput", "message": "MarketplaceIds is required"}]})
                return
            if "NextToken" in query:
                left = state.listings.pop(query["NextToken"][0], None)
                if left is None:
                    self.answer(400, {"errors": [{"code": "InvalidInput", "message": "bad NextToken"}]})
                    return
            else:
                after = query.get("LastUpdatedAfter", [""])[0]
                if not after or "CreatedAfter" in query:
                    self.answer(400, {"errors": [{"code": "InvalidInput",
                                                  "message": "exactly one of CreatedAfter, LastUpdatedAfter"}]})
                    return
                left = sorted((o for o in state.orders if state.orders[o]["LastUpdateDate"] > after),
                              key=lambda o: state.orders[o]["LastUpdateDate"])
            page, rest = left[:state.page_size], left[state.page_size:]
            payload: dict = {"Orders": [state.orders[o] for o in page], "LastUpdatedBefore": state.last_updated_before}
            if rest:
                token = uuid.uuid4().hex
                state.listings[token] = rest
                payload["NextToken"] = token
            self.answer(200, {"payload": payload})

        def _feeds_post(self) -> None:
            started = self._start()
            if started is None:
                return
            path, _query = started
            body = json.loads(self.body())
            if path == "/feeds/2021-06-30/documents":
                document = uuid.uuid4().hex
                host = self.headers.get("Host")
                self.answer(201, {"feedDocumentId": document, "url": f"http://{host}/upload/{document}"})
            elif path == "/feeds/2021-06-30/feeds" and body.get("feedType") == "JSON_LISTINGS_FEED" \
                    and body.get("marketplaceIds") == [MARKETPLACE]:
                feed = json.loads(state.documents[body["inputFeedDocumentId"]])
                assert feed["header"]["sellerId"] == SELLER and feed["header"]["version"] == "2.0"
                issues = []
                for message in feed["messages"]:
                    (patch,) = message["patches"]
                    (availability,) = patch["value"]
                    assert patch["path"] == "/attributes/fulfillment_availability"
                    assert availability["fulfillment_channel_code"] == "DEFAULT"
                    if message["sku"] in state.invalid_skus:
                        issues.append({"messageId": message["messageId"], "code": "90220", "severity": "ERROR",
                                       "message": "'sku' is not a listing of this seller"})
                    else:
                        state.quantities[message["sku"]] = availability["quantity"]
                report = {"header": {"sellerId": SELLER, "version": "2.0", "feedId": "x"}, "issues": issues,
                          "summary": {"errors": len(issues), "warnings": 0,
                                      "messagesProcessed": len(feed["messages"]),
                                      "messagesAccepted": len(feed["messages"]) - len(issues),
                                      "messagesInvalid": len(issues)}}
                result = uuid.uuid4().hex
                state.documents[result] = gzip.compress(json.dumps(report).encode())
                feed_id = str(len(state.feeds) + 50001)
                state.feeds[feed_id] = {"polls": state.feed_polls, "result": result, "messages": len(feed["messages"])}
                self.answer(202, {"feedId": feed_id})
            else:
                self.answer(400, {"errors": [{"code": "InvalidInput", "message": "bad feed request"}]})

        def do_PUT(self) -> None:
            path = urlsplit(self.path).path
            if not path.startswith("/upload/") or "json" not in (self.headers.get("content-type") or ""):
                self.answer(400, {"errors": [{"code": "InvalidInput"}]})
                return
            state.documents[path.removeprefix("/upload/")] = self.body()
            self.answer(200, {})

        def do_PATCH(self) -> None:
            started = self._start()
            if started is None:
                return
            path, query = started
            parts = path.split("/")
            if len(parts) != 6 or parts[1:4] != ["listings", "2021-08-01", "items"] or parts[4] != SELLER:
                self.answer(404, {"errors": [{"code": "NotFound"}]})
                return
            sku = unquote(parts[5])
            body = json.loads(self.body())
            if query.get("marketplaceIds") != [MARKETPLACE] or not body.get("productType"):
                self.answer(400, {"errors": [{"code": "InvalidInput", "message": "bad request"}]})
                return
            (patch,) = body["patches"]
            (availability,) = patch["value"]
            assert patch["path"] == "/attributes/fulfillment_availability"
            assert availability["fulfillment_channel_code"] == "DEFAULT"
            with state.lock:
                state.patches.append((sku, body))
                state.quantities[sku] = availability["quantity"]
            self.answer(200, {"sku": sku, "status": "ACCEPTED", "submissionId": uuid.uuid4().hex, "issues": []})

    return StandInAmazon


@contextmanager
def amazon_stand_in(state: AmazonState | None = None) -> Iterator[tuple[str, AmazonState]]:
    """(base URL, state); the LWA endpoint is base URL + /auth/o2/token."""
    state = state or AmazonState()
    with serve(_handler(state)) as url:
        yield url, state


def order(order_id: str, status: str, updated: str, channel: str = "MFN") -> dict:
    """An Order of getOrders with the documented fields."""
    return {"AmazonOrderId": order_id, "PurchaseDate": "2026-03-01T08:00:00Z", "LastUpdateDate": updated,
            "OrderStatus": status, "FulfillmentChannel": channel, "SalesChannel": "Amazon.com",
            "MarketplaceId": MARKETPLACE, "OrderType": "StandardOrder",
            "OrderTotal": {"CurrencyCode": "USD", "Amount": "21.98"},
            "ShippingAddress": {"City": "SEATTLE", "StateOrRegion": "WA", "PostalCode": "98121", "CountryCode": "US"}}


def item(sku: str, quantity: int, total: str | None, item_id: str | None = None) -> dict:
    """An OrderItem; `total` is ItemPrice (price × quantity), None while Pending."""
    found = {"ASIN": "B00551Q3CS", "OrderItemId": item_id or f"{sku}-item", "SellerSKU": sku,
             "QuantityOrdered": quantity, "QuantityShipped": 0, "IsGift": "false", "ConditionId": "New"}
    if total is not None:
        found["ItemPrice"] = {"CurrencyCode": "USD", "Amount": total}
    return found
