"""What a server does once before its first request, so that no request pays for it.

FastAPI builds each included router's routes for matching (their dependencies, the
pydantic adapters of their parameters) on the first request that reaches them, and
Jinja compiles a template the first time it is rendered: 85 ms for the first API request
here and 400 ms for the first page. On a restart under load every client's first request
waited for that (the benchmarks' p99). `warm_up` sends the app one request that matches
no route, so every router is built, and compiles every template; then the start-up heap
is frozen (`heap.freeze_start_up_heap`) with all of it in.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI
from starlette.types import Message

WARM_UP_PATH = "/api/v1/.start-up"
WARM_UP_REQUEST_ID = "start-up"


async def warm_up_async(app: FastAPI) -> None:
    """`warm_up` from inside a running event loop (an ASGI lifespan)."""
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": WARM_UP_PATH, "raw_path": WARM_UP_PATH.encode(), "root_path": "", "query_string": b"",
        "headers": [(b"host", b"start-up"), (b"x-request-id", WARM_UP_REQUEST_ID.encode())],
        "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0), "state": {},
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: Message) -> None:
        return None

    await app(scope, receive, send)
    templates = getattr(app.state, "web_templates", None)
    if templates is not None:
        environment = templates.env
        for name in environment.list_templates(extensions=["html"]):
            environment.get_template(name)


def warm_up(app: FastAPI) -> None:
    """Build every route's matching state and compile every template (no event loop running)."""
    asyncio.run(warm_up_async(app))
