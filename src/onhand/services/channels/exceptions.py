"""Channel exceptions: what a channel sent that Onhand could not apply as it stood (an
unknown SKU, an edit after shipping, …), listed until a user resolves them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.channels.commands import ResolveException
from onhand.domain.channels.records import ExceptionRecord
from onhand.domain.channels.views import ChannelExceptionView
from onhand.domain.errors import Conflict, InvalidInput, NotFound
from onhand.services import resolve
from onhand.services.channels.channels import channel_record
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

MAX_DETAIL = 500


def raise_exception(
    uow: UnitOfWork, channel_id: int, kind: str, detail: str, *, at: datetime, **where: Any
) -> int:
    """Record an exception (inside the caller's transaction); `where` names the order, line, SKU, delivery."""
    return uow.channels.add_exception({
        "channel_id": channel_id, "kind": kind, "detail": detail[:MAX_DETAIL], "created_at": at,
        "external_order_id": where.get("external_order_id"), "external_line_id": where.get("external_line_id"),
        "sku": where.get("sku"), "delivery_id": where.get("delivery_id"),
    })


def _view(uow: UnitOfWork, record: ExceptionRecord) -> ChannelExceptionView:
    channel = uow.channels.get(record.channel_id)
    return ChannelExceptionView(
        id=record.id, channel=channel.name if channel else "", kind=record.kind,
        external_order_id=record.external_order_id, external_line_id=record.external_line_id, sku=record.sku,
        detail=record.detail, created_at=record.created_at, resolved_at=record.resolved_at,
        resolved_by=record.resolved_by,
    )


def list_exceptions(
    ctx: ServiceContext, *, channel: str | None = None, unresolved: bool = True, limit: int = 100, offset: int = 0
) -> list[ChannelExceptionView]:
    """Newest first; only the open ones unless `unresolved` is False."""
    resolve.page(limit, offset)
    with ctx.reading() as uow:
        channel_id = channel_record(uow, channel).id if channel is not None else None
        rows = uow.channels.exceptions(channel_id=channel_id, unresolved=unresolved, limit=limit, offset=offset)
        return [_view(uow, row) for row in rows]


def resolve_exception(
    ctx: ServiceContext, command: ResolveException, *, idempotency_key: str | None = None
) -> ChannelExceptionView:
    """Mark an exception resolved (after mapping the SKU, say); the delivery it came from is
    processed again by the worker, and raises again only what still cannot be applied."""
    if isinstance(command.exception_id, bool) or not isinstance(command.exception_id, int) \
            or not 0 < command.exception_id < 2**62:
        raise InvalidInput("exception_id", "must be a positive whole number")

    def work(uow: UnitOfWork) -> int:
        record = channel_record(uow, command.channel)
        found = uow.channels.exception(command.exception_id)
        if found is None or found.channel_id != record.id:
            raise NotFound("channel exception", str(command.exception_id), "exception_id")
        if found.resolved_at is not None:
            raise Conflict(f"channel exception: {found.id} was resolved at {found.resolved_at.isoformat()}")
        uow.channels.resolve_exception(found.id, at=ctx.now(), by=uow.actor.reference)
        if found.delivery_id is not None:
            # Applied again now that (say) the SKU is mapped: the worker imports what it can.
            uow.channels.requeue_delivery(found.delivery_id)
        return found.id

    def load(uow: UnitOfWork, exception_id: int) -> ChannelExceptionView:
        found = uow.channels.exception(exception_id)
        if found is None:  # pragma: no cover - the id was just read
            raise NotFound("channel exception", str(exception_id), "exception_id")
        return _view(uow, found)

    return run_write(ctx, work, load, action="resolve_channel_exception",
                     subject=lambda view: AuditObject("channel_exception", str(view.id)),
                     idempotency_key=idempotency_key, request=command)
