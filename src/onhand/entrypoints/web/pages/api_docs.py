"""The API's docs, Swagger UI at /docs and Redoc at /redoc, from assets in the package."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
ASSETS = "/static/vendor"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _script_hashes(html: str) -> str:
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )


def swagger_page(title: str, openapi_url: str) -> HTMLResponse:
    """Swagger UI from our own copy; its one inline script is allowed by its hash."""
    page = get_swagger_ui_html(
        openapi_url=openapi_url, title=f"{title} - Swagger UI", oauth2_redirect_url=None,
        swagger_js_url=f"{ASSETS}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui/swagger-ui.css", swagger_favicon_url="/static/favicon.svg",
    )
    html = bytes(page.body).decode()
    policy = (
        f"default-src 'none'; script-src 'self' {_script_hashes(html)}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


def redoc_page(title: str, openapi_url: str) -> HTMLResponse:
    """Redoc from our own copy, without web fonts from elsewhere."""
    page = get_redoc_html(openapi_url=openapi_url, title=f"{title} - ReDoc",
                          redoc_js_url=f"{ASSETS}/redoc/redoc.standalone.js", redoc_favicon_url="/static/favicon.svg",
                          with_google_fonts=False)
    html = bytes(page.body).decode()
    policy = (
        f"default-src 'none'; script-src 'self' {_script_hashes(html)}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; worker-src blob:; font-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


@router.get("/docs")
def docs() -> HTMLResponse:
    return swagger_page("Onhand", "/openapi.json")


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return redoc_page("Onhand", "/openapi.json")
