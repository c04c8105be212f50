"""Routes: the transit location (and lead time) a transfer between two places uses by
default. Without a route, a transfer goes through the company's only transit location."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.transfers.commands import SetTransferRoute
from onhand.domain.transfers.transfer_orders import validate_route
from onhand.services import resolve
from onhand.services.audit import record_removal
from onhand.services.context import ServiceContext, run_write
from onhand.services.transfers.views import TransferRoute

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

MAX_LEAD_TIME_DAYS = 3650


def _route(uow: UnitOfWork, source: str, destination: str) -> TransferRoute:
    origin = resolve.internal_location(uow, source, "source")
    target = resolve.internal_location(uow, destination, "destination")
    row = uow.transfers.route(origin.id, target.id)
    if row is None:
        raise NotFound("transfer route", f"{origin.code} → {target.code}", "route")
    codes = {loc.id: loc.code for loc in uow.locations.all()}
    return TransferRoute(codes[row.source_id], codes[row.destination_id], codes[row.transit_id], row.lead_time_days)


def set_transfer_route(
    ctx: ServiceContext, command: SetTransferRoute, *, idempotency_key: str | None = None
) -> TransferRoute:
    """Transfers from `source` to `destination` go through `transit` and, unless told
    otherwise, are expected `lead_time_days` after they are created."""
    source, destination, transit, lead_time_days = (
        command.source, command.destination, command.transit, command.lead_time_days
    )
    if lead_time_days is not None and not 0 <= lead_time_days <= MAX_LEAD_TIME_DAYS:
        raise InvalidInput("lead_time_days", f"must be between 0 and {MAX_LEAD_TIME_DAYS}")

    def work(uow: UnitOfWork) -> int:
        origin = resolve.internal_location(uow, source, "source")
        target = resolve.internal_location(uow, destination, "destination")
        via = resolve.location(uow, transit, "transit")
        validate_route(origin, target, via)
        uow.transfers.set_route(origin.id, target.id, via.id, lead_time_days)
        return 1

    def load(uow: UnitOfWork, _done: int) -> TransferRoute:
        return _route(uow, source, destination)

    def was(uow: UnitOfWork) -> TransferRoute | None:
        try:
            return _route(uow, source, destination)
        except NotFound:  # a new route (or unknown places, which `work` names)
            return None

    return run_write(
        ctx, work, load, action="set_transfer_route",
        subject=lambda route: AuditObject("transfer_route", f"{route.source} {route.destination}"),
        idempotency_key=idempotency_key, request=command, before=was,
    )


def remove_transfer_route(ctx: ServiceContext, *, source: str, destination: str) -> None:
    with ctx.writing() as uow:
        route = _route(uow, source, destination)
        origin = resolve.internal_location(uow, source, "source")
        target = resolve.internal_location(uow, destination, "destination")
        uow.transfers.delete_route(origin.id, target.id)
        record_removal(uow, ctx.now(), "remove_transfer_route",
                       AuditObject("transfer_route", f"{route.source} {route.destination}"), route)


def list_transfer_routes(ctx: ServiceContext) -> list[TransferRoute]:
    with ctx.reading() as uow:
        codes = {loc.id: loc.code for loc in uow.locations.all()}
        return [
            TransferRoute(codes[r.source_id], codes[r.destination_id], codes[r.transit_id], r.lead_time_days)
            for r in uow.transfers.routes()
        ]
