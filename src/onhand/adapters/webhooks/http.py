"""The webhook poster over httpx: one POST, bounded in time, never following redirects
(a receiver that moved must be re-subscribed), its outcome as a `PostResult` — a transport
failure is an outcome too, never an exception the sender has to know."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from onhand.adapters.tls import tls_context
from onhand.domain.webhooks.views import PostResult

DEFAULT_TIMEOUT = 10.0  # seconds: connecting, each read, the whole answer's wait


class HttpWebhookPoster:
    def __init__(self, timeout: float = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None) -> None:
        self._timeout = httpx.Timeout(timeout)
        self._transport = transport

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> PostResult:
        try:
            with httpx.Client(timeout=self._timeout, follow_redirects=False, transport=self._transport,
                              trust_env=False, verify=tls_context()) as client:
                response = client.post(url, content=body, headers=dict(headers))
        except httpx.TimeoutException:
            return PostResult(None, "timed out")
        except httpx.HTTPError as exc:
            # The class names what failed (ConnectError, …); the message may hold the URL only.
            return PostResult(None, f"{type(exc).__name__}: {exc}"[:300])
        return PostResult(response.status_code)
