"""Reason codes: why stock was adjusted (damaged, lost, found, count …)."""

from __future__ import annotations

from onhand.services.context import ServiceContext
from onhand.services.views import ReasonCode


def list_reason_codes(ctx: ServiceContext) -> list[ReasonCode]:
    with ctx.reading() as uow:
        return [ReasonCode(code, description) for code, description in uow.reasons.list()]
