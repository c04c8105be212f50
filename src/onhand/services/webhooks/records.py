"""Rows of the webhook tables as views."""

from __future__ import annotations

import json
from typing import Any

from onhand.domain.webhooks.views import DeliveryView, SubscriptionView


def subscription_view(row: Any) -> SubscriptionView:
    return SubscriptionView(id=int(row.id), name=row.name, url=row.url,
                            event_types=tuple(json.loads(row.event_types)), active=bool(row.active),
                            created_at=row.created_at)


def delivery_view(row: Any) -> DeliveryView:
    return DeliveryView(
        id=int(row.id), subscription_id=int(row.subscription_id), event_id=int(row.event_id),
        event_type=row.event_type, status=row.status, attempts=int(row.attempts),
        last_status_code=row.last_status_code, last_error=row.last_error, next_attempt_at=row.next_attempt_at,
        created_at=row.created_at, finished_at=row.finished_at,
    )
