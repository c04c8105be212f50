"""The sender: POSTs due deliveries, signed, after the follower's transaction committed.

Each round claims up to `limit` due deliveries in one short transaction (a lease of
LEASE: no other sender takes them meanwhile, and if this process dies they are due
again when it ends), then sends them one by one outside any transaction, and records
each outcome in its own. A 2xx answer is delivered; anything else (another status, a
timeout, a refused connection) is tried again with backoff for a day
(domain/webhooks/retries.py), then failed. At least once: a receiver may see a delivery
twice (a lease ended during a slow answer), never with another `Onhand-Delivery-Id`.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from onhand.domain.errors import InvalidInput
from onhand.domain.webhooks.retries import next_attempt
from onhand.domain.webhooks.signatures import (
    DELIVERY_ID_HEADER,
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    derive_secret,
    signature,
)
from onhand.domain.webhooks.views import PostResult
from onhand.services.context import in_transaction

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext, UnitOfWork

LEASE = timedelta(minutes=5)  # > DEFAULT_LIMIT × the poster's timeout (10 s)
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
ERROR_MAX = 300
DELIVERED, FAILED = "delivered", "failed"


def payload(row: Any) -> bytes:
    """The JSON body of a delivery: the event as the feed gives it, compact, keys sorted."""
    event = {"id": int(row.event_id), "type": row.event_type, "at": row.event_at.isoformat(),
             "actor": row.actor, "actor_name": row.actor_name, "body": json.loads(row.body)}
    return json.dumps(event, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def send_due(
    ctx: ServiceContext, *, limit: int = DEFAULT_LIMIT, jitter: Callable[[], float] = random.random
) -> int:
    """Send the deliveries due now (up to `limit`); how many were attempted."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"must be 1 to {MAX_LIMIT}")
    claim = secrets.token_hex(16)
    now = ctx.now()
    rows = in_transaction(ctx, lambda uow: uow.webhooks.claim_due(now, now + LEASE, claim, limit))
    for row in rows:
        body = payload(row)
        secret = derive_secret(ctx.webhook_key, row.secret_salt)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Onhand-Webhooks/1",
            SIGNATURE_HEADER: signature(secret, int(ctx.now().timestamp()), body),
            EVENT_ID_HEADER: str(row.event_id),
            DELIVERY_ID_HEADER: str(row.id),
        }
        result = ctx.webhook_poster.post(row.url, body, headers)
        _record(ctx, row, claim, result, jitter())
    return len(rows)


def _record(ctx: ServiceContext, row: Any, claim: str, result: PostResult, jitter: float) -> None:
    now = ctx.now()
    attempts = int(row.attempts) + 1
    values: dict[str, Any] = {"attempts": attempts, "last_status_code": result.status}
    if result.delivered:
        values |= {"status": DELIVERED, "next_attempt_at": None, "finished_at": now, "last_error": None}
    else:
        error = result.error or f"HTTP {result.status}"
        due = next_attempt(attempts, row.window_start, now, jitter)
        values |= {"last_error": error[:ERROR_MAX], "next_attempt_at": due}
        if due is None:
            values |= {"status": FAILED, "finished_at": now}

    def work(uow: UnitOfWork) -> None:
        # False: the lease ended and another sender took it over; its outcome counts.
        uow.webhooks.finish(int(row.id), claim, values)

    in_transaction(ctx, work)
