"""The Selling Partner API over HTTP (httpx): the LWA token exchange, getOrders and
getOrderItems, patchListingsItem.

Every call carries an LWA access token in `x-amz-access-token`, got from the refresh
token at the LWA endpoint (`grant_type=refresh_token`) and kept until a minute before it
expires. A 429 waits as long as the operation's rate (`x-amzn-RateLimit-Limit`, requests per
second) asks, a 5xx or a lost connection backs off exponentially, both a few times; what
still fails is a `PushFailed` naming the operation and the status, never a secret.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx

from onhand.adapters.channels.amazon.credentials import AmazonCredentials
from onhand.adapters.channels.amazon.listings import listings_feed, patch_body
from onhand.adapters.channels.amazon.orders import parse_order_items_page, parse_orders_page
from onhand.adapters.tls import tls_context
from onhand.domain.channels.amazon import AmazonOrderLine, OrdersPage
from onhand.domain.errors import InvalidInput, PushFailed

LWA_URL = "https://api.amazon.com/auth/o2/token"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
ATTEMPTS = 5
BASE_BACKOFF = 0.5  # seconds; doubled on each retry
MAX_WAIT = 60.0
MAX_PAGES = 1000  # of one listing: a loop guard, never reached by a real account in one sync
TARGET = "amazon"
FEED_CONTENT_TYPE = "application/json; charset=UTF-8"
FEED_POLLS = 12  # about 8 minutes in all: 2 s, 4 s, … doubling up to MAX_WAIT
FEED_POLL_WAIT = 2.0
MAX_REPORT = 50 * 1024 * 1024


def _field(body: Any, name: str) -> str:
    value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value or len(value) > 4000:
        raise PushFailed(TARGET, f"Amazon answered without {name}")
    return value


def rate_limit_wait(headers: httpx.Headers, attempt: int) -> float:
    """How long a 429 asks us to wait: one request's share of the operation's rate."""
    try:
        rate = float(headers.get("x-amzn-RateLimit-Limit", ""))
    except ValueError:
        rate = 0.0
    wait = 1.0 / rate if rate > 0 else BASE_BACKOFF * 2**attempt
    return min(max(wait, BASE_BACKOFF * 2**attempt), MAX_WAIT)


class AmazonClient:
    def __init__(
        self, base_url: str, credentials: AmazonCredentials, *, lwa_url: str = LWA_URL,
        transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._credentials = credentials
        self._lwa_url = lwa_url
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=TIMEOUT, transport=transport,
                                  verify=tls_context())
        self._sleep = sleep
        self._now = now
        self._token: tuple[str, datetime] | None = None

    def close(self) -> None:
        self._http.close()

    # --- auth

    def _access_token(self, *, renew: bool = False) -> str:
        if self._token and not renew and self._token[1] > self._now():
            return self._token[0]
        form = {"grant_type": "refresh_token", "refresh_token": self._credentials.refresh_token,
                "client_id": self._credentials.client_id, "client_secret": self._credentials.client_secret}
        try:
            answer = self._http.post(self._lwa_url, data=form)
        except httpx.HTTPError:
            raise PushFailed(TARGET, "the LWA token endpoint could not be reached") from None
        if answer.status_code != 200:
            raise PushFailed(TARGET, f"the LWA token exchange answered {answer.status_code}")
        body = answer.json()
        token, lifetime = body.get("access_token"), body.get("expires_in", 3600)
        if not isinstance(token, str) or not isinstance(lifetime, int):
            raise PushFailed(TARGET, "the LWA token exchange answered without an access token")
        self._token = (token, self._now() + timedelta(seconds=max(lifetime - 60, 0)))
        return token

    # --- transport

    def _call(self, operation: str, method: str, path: str, **kwargs: Any) -> Any:
        renewed = False
        attempt = 0
        while True:
            headers = {"x-amz-access-token": self._access_token(), "accept": "application/json"}
            try:
                answer = self._http.request(method, path, headers=headers, **kwargs)
            except httpx.HTTPError:
                answer = None
            if answer is not None and answer.status_code < 300:
                try:
                    return answer.json()
                except ValueError:
                    raise PushFailed(TARGET, f"{operation} answered with no JSON") from None
            if answer is not None and answer.status_code == 403 and not renewed:
                renewed = True  # an access token Amazon no longer takes: one fresh one, once
                self._access_token(renew=True)
                continue
            retry = answer is None or answer.status_code == 429 or answer.status_code >= 500
            if not retry or attempt + 1 >= ATTEMPTS:
                what = "no answer" if answer is None else f"HTTP {answer.status_code}"
                raise PushFailed(TARGET, f"{operation} failed: {what}", uncertain=answer is None)
            wait = (rate_limit_wait(answer.headers, attempt) if answer is not None and answer.status_code == 429
                    else min(BASE_BACKOFF * 2**attempt, MAX_WAIT))
            self._sleep(wait)
            attempt += 1

    # --- operations

    def orders_page(self, *, last_updated_after: str, next_token: str | None) -> OrdersPage:
        params: dict[str, str] = {"MarketplaceIds": self._credentials.marketplace_id}
        if next_token:
            params["NextToken"] = next_token
        else:
            params["LastUpdatedAfter"] = last_updated_after
        return self._parsed("getOrders", parse_orders_page,
                            self._call("getOrders", "GET", "/orders/v0/orders", params=params))

    def order_lines(self, amazon_order_id: str) -> tuple[AmazonOrderLine, ...]:
        path = f"/orders/v0/orders/{quote(amazon_order_id, safe='')}/orderItems"
        lines: list[AmazonOrderLine] = []
        token: str | None = None
        for _ in range(MAX_PAGES):
            body = self._call("getOrderItems", "GET", path, params={"NextToken": token} if token else None)
            page, token = self._parsed("getOrderItems", parse_order_items_page, body)
            lines += page
            if not token:
                return tuple(lines)
        raise PushFailed(TARGET, f"getOrderItems of {amazon_order_id} went past {MAX_PAGES} pages")

    def set_quantity(self, sku: str, quantity: int) -> None:
        path = (f"/listings/2021-08-01/items/{quote(self._credentials.seller_id, safe='')}/"
                f"{quote(sku, safe='')}")
        body = self._call("patchListingsItem", "PATCH", path, json=patch_body(quantity),
                          params={"marketplaceIds": self._credentials.marketplace_id})
        status = body.get("status") if isinstance(body, dict) else None
        if status != "ACCEPTED":
            issues = body.get("issues") if isinstance(body, dict) else None
            first = issues[0].get("message", "") if isinstance(issues, list) and issues and \
                isinstance(issues[0], dict) else ""
            raise PushFailed(TARGET, f"patchListingsItem of {sku} was {status}: {str(first)[:200]}")

    def set_quantities(self, quantities: Sequence[tuple[str, int]]) -> dict[str, str | None]:
        """Many SKUs at once through a JSON_LISTINGS_FEED: upload the document, create the
        feed, wait for Amazon to process it and read its processing report. Per SKU: None
        (accepted) or the first error. A feed not processed in time raises PushFailed
        (sending the same values again later is harmless)."""
        document = self._call("createFeedDocument", "POST", "/feeds/2021-06-30/documents",
                              json={"contentType": FEED_CONTENT_TYPE})
        document_id, upload_url = _field(document, "feedDocumentId"), _field(document, "url")
        body = json.dumps(listings_feed(self._credentials.seller_id, quantities)).encode()
        try:  # the presigned URL carries its own authorization: no access token
            uploaded = self._http.put(upload_url, content=body, headers={"content-type": FEED_CONTENT_TYPE})
        except httpx.HTTPError:
            raise PushFailed(TARGET, "the feed document upload got no answer", uncertain=True) from None
        if uploaded.status_code >= 300:
            raise PushFailed(TARGET, f"the feed document upload failed: HTTP {uploaded.status_code}")
        feed_id = _field(self._call("createFeed", "POST", "/feeds/2021-06-30/feeds", json={
            "feedType": "JSON_LISTINGS_FEED", "marketplaceIds": [self._credentials.marketplace_id],
            "inputFeedDocumentId": document_id}), "feedId")
        for attempt in range(FEED_POLLS):
            feed = self._call("getFeed", "GET", f"/feeds/2021-06-30/feeds/{quote(feed_id, safe='')}")
            status = feed.get("processingStatus") if isinstance(feed, dict) else None
            if status == "DONE":
                return self._feed_results(feed, quantities)
            if status in ("FATAL", "CANCELLED"):
                raise PushFailed(TARGET, f"feed {feed_id} ended {status}")
            self._sleep(min(FEED_POLL_WAIT * 2**attempt, MAX_WAIT))
        raise PushFailed(TARGET, f"feed {feed_id} was not processed in time", uncertain=True)

    def _feed_results(self, feed: dict[str, Any], quantities: Sequence[tuple[str, int]]) -> dict[str, str | None]:
        result_id = _field(feed, "resultFeedDocumentId")
        document = self._call("getFeedDocument", "GET", f"/feeds/2021-06-30/documents/{quote(result_id, safe='')}")
        if document.get("compressionAlgorithm") not in (None, "GZIP"):
            raise PushFailed(TARGET, "the processing report is compressed in a way Onhand does not read")
        try:
            got = self._http.get(_field(document, "url"))
            raw = gzip.decompress(got.content) if document.get("compressionAlgorithm") == "GZIP" else got.content
            report = json.loads(raw[:MAX_REPORT])
        except (httpx.HTTPError, OSError, ValueError):
            raise PushFailed(TARGET, "the feed's processing report could not be read") from None
        errors: dict[int, str] = {}
        for issue in report.get("issues", []) if isinstance(report, dict) else []:
            if isinstance(issue, dict) and issue.get("severity") == "ERROR" and isinstance(issue.get("messageId"), int):
                errors.setdefault(issue["messageId"], str(issue.get("message", "error"))[:200])
        return {sku: errors.get(number) for number, (sku, _quantity) in enumerate(quantities, start=1)}

    @staticmethod
    def _parsed(operation: str, parse: Callable[[Any], Any], body: Any) -> Any:
        try:
            return parse(body)
        except InvalidInput as bad:
            raise PushFailed(TARGET, f"{operation} answered outside the documented shape: {bad}") from None
