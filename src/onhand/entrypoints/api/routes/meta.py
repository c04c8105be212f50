"""What needs no key: a home page, a health check (the OpenAPI and docs come from FastAPI)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from onhand import __version__

router = APIRouter()

HOME = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Onhand API</title></head>
<body>
<h1>Onhand</h1>
<p>Onhand is an open-source inventory management system: the operational source of
truth for stock &mdash; where it is, how much can be sold, which lot went where &mdash;
kept as a double-entry quantity ledger.</p>
<p>This is its JSON API, version {__version__}, under <code>/api/v1</code>. Every call
needs <code>Authorization: Bearer &lt;API key&gt;</code>.</p>
<ul>
<li><a href="/docs">Interactive documentation (Swagger UI)</a></li>
<li><a href="/openapi.json">OpenAPI description</a></li>
</ul>
</body>
</html>
"""


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home() -> str:
    return HOME


@router.get("/healthz", tags=["meta"], summary="Liveness check (no key needed)")
def health() -> dict[str, str]:
    return {"status": "ok"}
