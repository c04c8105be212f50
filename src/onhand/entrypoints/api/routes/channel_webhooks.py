"""Webhooks sales channels send: `POST /webhooks/shopify/{channel}`, outside /api/v1.

No API key: the `X-Shopify-Hmac-Sha256` signature over the raw body is the
authentication (401 and nothing stored when it fails). An accepted delivery is stored
and answered 200 at once; the worker processes it (`onhand channels sync`, `onhand worker`).
A repeat of an event (`X-Shopify-Event-Id`) is answered 200 and stored once.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from onhand import services
from onhand.domain.channels.commands import AcceptDelivery

router = APIRouter(tags=["channels"])


@router.post("/webhooks/shopify/{channel}", summary="A Shopify webhook (signed; no API key)",
             include_in_schema=False)
async def shopify_webhook(channel: str, request: Request) -> JSONResponse:
    body = await request.body()  # the raw bytes: the signature covers exactly these
    headers = request.headers
    accepted = await run_in_threadpool(
        services.channel_inbox.accept_delivery, request.app.state.onhand, AcceptDelivery(
            channel=channel, topic=headers.get("x-shopify-topic", ""),
            # Every delivery of one event carries the same event id (Shopify: dedupe on it).
            external_event_id=headers.get("x-shopify-event-id") or headers.get("x-shopify-webhook-id") or "",
            body=body, signature=headers.get("x-shopify-hmac-sha256")))
    return JSONResponse({"delivery_id": accepted.delivery_id, "duplicate": accepted.duplicate})
