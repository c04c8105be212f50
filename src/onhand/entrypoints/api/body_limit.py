"""The request body cap (ONHAND_MAX_BODY_BYTES): refused as a 413, never read past.

A body whose `Content-Length` is over the cap is answered before any of it is read; a
body without one (chunked) is counted as it arrives and refused the moment it passes
the cap. Without this, a 61 MB body cost 2 s and 560 MB of memory before its 401.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onhand.entrypoints.api.errors import ErrorResponse, http_error


def too_large(limit: int) -> str:
    return f"more than {limit} bytes (ONHAND_MAX_BODY_BYTES)"


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response = ErrorResponse(http_error(413, too_large(self.max_bytes), scope), status_code=413,
                                     headers={"Connection": "close"})
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Raised inside whatever reads the body; errors.py renders it as the 413.
                    raise HTTPException(413, too_large(self.max_bytes))
            return message

        await self.app(scope, counted, send)
