"""Security headers on every response, and the Swagger UI page with its own policy.

Every response says: do not sniff content types, never frame me, send no referrer, and
load nothing (`default-src 'none'`: the API answers JSON, the home page is plain HTML).
The docs page is the one exception: it loads Swagger UI from its CDN and runs one inline
script, allowed by its hash. The server banner is left out where the server is started
(`onhand serve` runs uvicorn with `server_header=False`; see docs/api.md).
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SWAGGER_CDN = "https://cdn.jsdelivr.net"
FAVICON_HOST = "https://fastapi.tiangolo.com"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": API_POLICY,
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


class SecurityHeaders:
    """Adds HEADERS to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


def docs_page(title: str, openapi_url: str) -> HTMLResponse:
    """Swagger UI, with a policy that lets it load from its CDN and run its one inline script."""
    page = get_swagger_ui_html(openapi_url=openapi_url, title=f"{title} - Swagger UI", oauth2_redirect_url=None)
    html = bytes(page.body).decode()
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    policy = (
        f"default-src 'none'; script-src {SWAGGER_CDN} {hashes}; style-src {SWAGGER_CDN} 'unsafe-inline'; "
        f"img-src 'self' data: {FAVICON_HOST}; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})
