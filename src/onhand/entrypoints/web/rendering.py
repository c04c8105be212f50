"""Templates and the page policy: one Jinja2 environment, autoescaped, and the
Content-Security-Policy every page is sent with (our own scripts and styles only)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).parent
STATIC = HERE / "static"
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def quantity_text(value: Decimal | None) -> str:
    """A quantity as people write it: no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["qty"] = quantity_text
    templates.env.filters["money"] = lambda value: f"{value:,.2f}"
    # A chart's axis: to the cent at most.
    templates.env.filters["qty_short"] = lambda value: quantity_text(Decimal(value).quantize(Decimal("0.01")))
    return templates


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.web_templates
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"
