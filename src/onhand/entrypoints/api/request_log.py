"""One log line per HTTP request, and a request id on every answer.

    onhand.api.requests  INFO  request_id=… method=POST path=/api/v1/orders status=201
                               duration_ms=12.3 key=warehouse-scanner

The id is the client's `X-Request-ID` when it is sane (1-128 characters of letters,
digits and `-_.:`), else a new one; it goes back in the `X-Request-ID` header of every
response and in every JSON error body (`error.request_id`, errors.py), so a user's
report of an error finds its log line. The key is the API key's name (set by auth.py
once the key is known), never its secret; `-` when there was none. The path is logged
without its query string (which may carry what the caller typed).
"""

from __future__ import annotations

import logging
import os
import random
import re
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onhand.domain.errors import clipped

log = logging.getLogger("onhand.api.requests")

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._:\-]{1,128}")

# New ids from a generator seeded by the system once (again in a forked child), not
# `uuid4()`: that asks the system for random bytes at every request, and the event loop's
# thread lets go of the interpreter lock for it, which a writer thread then takes. An id
# names a request; it is no secret, and 128 bits do not repeat.
_ids = random.Random()
os.register_at_fork(after_in_child=_ids.seed)


def new_request_id() -> str:
    return f"{_ids.getrandbits(128):032x}"


def request_id_of(scope: Scope) -> str | None:
    """The id the request log gave this request (None outside it)."""
    found = scope.get("state", {}).get("request_id")
    return found if isinstance(found, str) else None


def _given(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _SANE.fullmatch(text) else None
    return None


class RequestLog:
    """Names each request, stamps the id on its answer and logs it when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _given(scope) or new_request_id()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500  # unless a response starts
        started = time.perf_counter()
        logged = False

        def log_once() -> None:
            nonlocal logged
            if logged:
                return
            logged = True
            key = state.get("api_key")
            log.info(
                "request_id=%s method=%s path=%s status=%d duration_ms=%.1f key=%s",
                request_id, scope.get("method", "-"), clipped(scope.get("path", "")), status,
                (time.perf_counter() - started) * 1000, getattr(key, "name", None) or "-",
            )

        async def stamped(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = request_id
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                log_once()  # before the last byte leaves: whoever has the answer finds its line
            await send(message)

        try:
            await self.app(scope, receive, stamped)
        finally:
            log_once()  # no answer was sent (an error the server renders as a 500)
