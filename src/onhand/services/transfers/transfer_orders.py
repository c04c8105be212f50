"""Transfer orders: create, edit while draft, cancel, close, look up.

Moving the goods (ship, receive, write off what never arrived) is in `transit.py`;
default transit locations and lead times per route are in `transfer_routes.py`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.items import Tracking
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.choices import parse_choice
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from onhand.domain.quantities import positive_quantity
from onhand.domain.transfers.commands import CreateTransfer, NewTransferLine, TransferAction, UpdateTransfer
from onhand.domain.transfers.transfer_orders import (
    SHIPPABLE,
    TransferStatus,
    require_editable,
    transfer_status,
    validate_route,
)
from onhand.services import resolve
from onhand.services.catalog.lots import parse_date
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.limits import check_line_count
from onhand.services.transfers.views import TransferView, line_progress, load_transfer, transfer_subject

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/#\-]{0,63}$")


def _line_values(uow: UnitOfWork, lines: Sequence[NewTransferLine]) -> list[dict[str, Any]]:
    if not lines:
        raise InvalidInput("lines", "a transfer needs at least one line")
    values = []
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        item = resolve.item_in_use(uow, line.sku, f"{field}.sku")
        quantity = positive_quantity(line.quantity, item.unit, f"{field}.quantity")
        lot = None
        if line.lot is not None and line.lot.strip():
            if not item.tracks_lots:
                raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is not lot-tracked; give no lot")
            lot = resolve.lot(uow, item, line.lot, f"{field}.lot")
            if item.tracking is Tracking.SERIAL and quantity != 1:
                raise InvalidInput(f"{field}.quantity", "a serial number is one unit")
        values.append({"line_no": index + 1, "item_id": item.id, "lot_id": lot.id if lot else None,
                       "quantity": quantity})
    return values


def default_transit(uow: UnitOfWork, source: Location, destination: Location) -> tuple[Location, int | None]:
    """The route's transit location and lead time, else the company's only transit location."""
    by_id = {loc.id: loc for loc in uow.locations.all()}
    route = uow.transfers.route(source.id, destination.id)
    if route is not None:
        return by_id[route.transit_id], route.lead_time_days
    transits = sorted((loc for loc in by_id.values() if loc.kind is LocationKind.TRANSIT), key=lambda x: x.code)
    if len(transits) == 1:
        return transits[0], None
    if not transits:
        raise InvalidInput("transit", "there is no location of kind transit; create one (e.g. OCEAN-1)")
    codes = ", ".join(loc.code for loc in transits)
    raise InvalidInput(
        "transit", f"name one of {codes}, or set a route {source.code} → {destination.code} with its transit"
    )


def _transit(uow: UnitOfWork, code: str | None, source: Location, destination: Location) -> tuple[Location, int | None]:
    if code is None or not code.strip():
        return default_transit(uow, source, destination)
    return resolve.location(uow, code, "transit"), None


def locked_transfer(uow: UnitOfWork, reference: str) -> Any:
    """The transfer, locked for this transaction and read again once the lock is granted."""
    transfer_id = transfer_row(uow, reference).id
    uow.transfers.lock(transfer_id)
    return uow.transfers.get(transfer_id)


def transfer_row(uow: UnitOfWork, reference: str) -> Any:
    row = uow.transfers.by_reference(reference.strip()) if reference and reference.strip() else None
    if row is None:
        raise NotFound("transfer", reference, "transfer")
    return row


def refresh_status(uow: UnitOfWork, transfer_id: int, **changes: Any) -> None:
    """Store the status the transfer's facts imply (with `changes` to the header applied)."""
    row = uow.transfers.get(transfer_id)
    closed_at = changes.get("closed_at", row.closed_at)
    cancelled_at = changes.get("cancelled_at", row.cancelled_at)
    progress = [total for _line, total, _lots in line_progress(uow, transfer_id).values()]
    status = transfer_status(progress, cancelled=cancelled_at is not None, closed=closed_at is not None)
    uow.transfers.update(transfer_id, status=status.value, **changes)



def create_transfer(
    ctx: ServiceContext, command: CreateTransfer, *, idempotency_key: str | None = None
) -> TransferView:
    """A draft transfer from `source` to `destination` through a transit location.

    Without `transit`, the route's (see `transfer_routes`) or the only transit location;
    without `expected_date`, today plus the route's lead time when it has one.
    """
    source, destination, lines, transit, reference, expected_date, carrier, tracking_number, note = (
        command.source, command.destination, command.lines, command.transit, command.reference,
        command.expected_date, command.carrier, command.tracking_number, command.note,
    )
    check_line_count(ctx.limits, lines, "lines")
    arrival = parse_date(expected_date, "expected_date")
    texts = {
        "carrier": resolve.text(carrier, "carrier", max_length=64),
        "tracking_number": resolve.text(tracking_number, "tracking_number", max_length=100),
        "note": resolve.text(note, "note", max_length=2000),
    }

    def work(uow: UnitOfWork) -> int:
        origin = resolve.internal_location_in_use(uow, source, "source")
        target = resolve.internal_location_in_use(uow, destination, "destination")
        via, lead_time = _transit(uow, transit, origin, target)
        validate_route(origin, target, via)
        # Without a reference the transfer is numbered from its own id once inserted, so
        # concurrent creators never compete for the same number.
        ref = reference.strip() if reference else f"new-{uuid.uuid4().hex}"
        if not REFERENCE_PATTERN.match(ref):
            raise InvalidInput("reference", f"{ref!r} is not a valid transfer reference")
        if uow.transfers.by_reference(ref) is not None:
            raise AlreadyExists("transfer", ref, "reference")
        now = ctx.now()
        when = arrival
        if when is None and lead_time is not None:
            when = today(ctx, uow) + timedelta(days=lead_time)
        header = {
            "reference": ref, "source_id": origin.id, "destination_id": target.id, "transit_id": via.id,
            "status": TransferStatus.DRAFT.value, "expected_date": when, "created_at": now, "updated_at": now,
            **texts,
        }
        transfer_id = uow.transfers.add(header, _line_values(uow, lines))
        if not reference:
            number = resolve.document_number("TO", transfer_id, uow.transfers.by_reference)
            uow.transfers.update(transfer_id, reference=number)
        return transfer_id

    return run_write(ctx, work, load_transfer, action="create_transfer", subject=transfer_subject,
                     idempotency_key=idempotency_key, request=command)


def update_transfer(
    ctx: ServiceContext, command: UpdateTransfer, *, idempotency_key: str | None = None
) -> TransferView:
    """Change a transfer. Lines (they replace all lines) and transit only while draft;
    expected date, carrier, tracking number and note until it is finished ("" clears)."""
    reference, lines, transit, expected_date, carrier, tracking_number, note = (
        command.reference, command.lines, command.transit, command.expected_date, command.carrier,
        command.tracking_number, command.note,
    )
    check_line_count(ctx.limits, lines, "lines")
    arrival = parse_date(expected_date, "expected_date")

    def work(uow: UnitOfWork) -> int:
        row = locked_transfer(uow, reference)
        status = TransferStatus(row.status)
        if lines is not None or transit is not None:
            require_editable(status, row.reference)
        elif status not in SHIPPABLE:
            raise Conflict(f"transfer: {row.reference} is {status.value} and can no longer be changed")
        values: dict[str, Any] = {"updated_at": ctx.now()}
        if transit is not None:
            places = {loc.id: loc for loc in uow.locations.all()}
            via = resolve.location(uow, transit, "transit")
            validate_route(places[row.source_id], places[row.destination_id], via)
            values["transit_id"] = via.id
        if arrival is not None:
            values["expected_date"] = arrival
        for name, value, limit in (("carrier", carrier, 64), ("tracking_number", tracking_number, 100),
                                   ("note", note, 2000)):
            if value is not None:
                values[name] = resolve.text(value, name, max_length=limit)
        if lines is not None:
            new_lines = _line_values(uow, lines)
            uow.transfers.delete_lines(row.id)
            uow.transfers.add_lines(row.id, new_lines)
        uow.transfers.update(row.id, **values)
        return int(row.id)

    return run_write(ctx, work, load_transfer, action="update_transfer", subject=transfer_subject,
                     idempotency_key=idempotency_key, request=command,
                     before=lambda uow: load_transfer(uow, int(locked_transfer(uow, reference).id)))


def cancel_transfer(ctx: ServiceContext, command: TransferAction, *, idempotency_key: str | None = None
                    ) -> TransferView:
    """Cancel a transfer that has shipped nothing (one that has is closed instead)."""
    reference = command.reference

    def work(uow: UnitOfWork) -> int:
        row = locked_transfer(uow, reference)
        status = TransferStatus(row.status)
        if status is not TransferStatus.DRAFT:
            hint = "; close it instead" if status in SHIPPABLE else ""
            raise Conflict(f"transfer: {row.reference} is {status.value} and cannot be cancelled{hint}")
        now = ctx.now()
        refresh_status(uow, row.id, cancelled_at=now, updated_at=now)
        return int(row.id)

    return run_write(ctx, work, load_transfer, action="cancel_transfer", subject=transfer_subject,
                     idempotency_key=idempotency_key, request=command)


def close_transfer(ctx: ServiceContext, command: TransferAction, *, idempotency_key: str | None = None
                   ) -> TransferView:
    """Finish a transfer short: what was not shipped will not be. Nothing may be in transit."""
    reference = command.reference

    def work(uow: UnitOfWork) -> int:
        row = locked_transfer(uow, reference)
        status = TransferStatus(row.status)
        if status not in SHIPPABLE or status is TransferStatus.DRAFT:
            hint = "; cancel it instead" if status is TransferStatus.DRAFT else ""
            raise Conflict(f"transfer: {row.reference} is {status.value} and cannot be closed{hint}")
        moving = sum((total.in_transit for _l, total, _p in line_progress(uow, row.id).values()), Decimal(0))
        if moving > 0:
            raise Conflict(
                f"transfer: {row.reference} still has {moving} in transit; receive or write it off first"
            )
        now = ctx.now()
        refresh_status(uow, row.id, closed_at=now, updated_at=now)
        return int(row.id)

    return run_write(ctx, work, load_transfer, action="close_transfer", subject=transfer_subject,
                     idempotency_key=idempotency_key, request=command)


def get_transfer(ctx: ServiceContext, reference: str) -> TransferView:
    with ctx.reading() as uow:
        return load_transfer(uow, transfer_row(uow, reference).id)


def list_transfers(
    ctx: ServiceContext,
    *,
    status: str | None = None,
    location: str | None = None,
    limit: int = 100,
    offset: int = 0,
    updated_since: datetime | str | None = None,
) -> list[TransferView]:
    """Newest first; `location`: transfers from or to it (or any of its bins);
    `updated_since` (ISO 8601 with an offset): only transfers changed since then."""
    if status is not None:
        status = parse_choice(TransferStatus, status, "status").value
    resolve.page(limit, offset)
    since = resolve.since(updated_since)
    with ctx.reading() as uow:
        location_ids = None
        if location:
            scope = resolve.location(uow, location)
            location_ids = [loc.id for loc in uow.locations.all() if loc.is_within(scope)]
        rows = uow.transfers.list(status=status, location_ids=location_ids, limit=limit, offset=offset,
                                  updated_since=since)
        return [load_transfer(uow, row.id) for row in rows]
