"""Read models of transfer orders, and the one function that assembles them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.errors import NotFound
from onhand.domain.transfers.transfer_orders import LineProgress
from onhand.services.views import BalanceRow

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True)
class TransferLotView:
    """One lot of a line as it travels (lot None for untracked items)."""

    lot: str | None
    shipped: Decimal
    received: Decimal
    written_off: Decimal
    in_transit: Decimal


@dataclass(frozen=True)
class TransferLineView:
    line_no: int
    sku: str
    lot: str | None  # the lot asked for, if any
    quantity: Decimal
    shipped: Decimal
    received: Decimal
    written_off: Decimal
    in_transit: Decimal
    to_ship: Decimal
    lots: tuple[TransferLotView, ...]


@dataclass(frozen=True)
class TransferEventLineView:
    line_no: int
    sku: str
    lot: str | None
    location: str  # the bin it left, the bin it arrived in, or the transit it was lost from
    quantity: Decimal


@dataclass(frozen=True)
class TransferEventView:
    id: int
    kind: str  # shipment, receipt, write_off
    posting_id: int
    created_at: datetime
    lines: tuple[TransferEventLineView, ...]


@dataclass(frozen=True)
class TransferView:
    id: int
    reference: str
    status: str
    source: str
    destination: str
    transit: str
    expected_date: date | None
    carrier: str | None
    tracking_number: str | None
    note: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    cancelled_at: datetime | None
    lines: tuple[TransferLineView, ...]
    events: tuple[TransferEventView, ...]


@dataclass(frozen=True)
class TransferRoute:
    source: str
    destination: str
    transit: str
    lead_time_days: int | None


def line_progress(uow: UnitOfWork, transfer_id: int) -> dict[int, tuple[Any, LineProgress, dict[int, LineProgress]]]:
    """Per line id: the line row, its progress, and its progress per lot id (0: no lot)."""
    totals = uow.transfers.progress(transfer_id)
    found = {}
    for line in uow.transfers.lines(transfer_id):
        per_lot = {
            lot_key: LineProgress(ZERO, kinds["shipment"], kinds["receipt"], kinds["write_off"])
            for (line_id, lot_key), kinds in totals.items()
            if line_id == line.id
        }
        found[line.id] = (
            line,
            LineProgress(
                line.quantity,
                sum((p.shipped for p in per_lot.values()), ZERO),
                sum((p.received for p in per_lot.values()), ZERO),
                sum((p.written_off for p in per_lot.values()), ZERO),
            ),
            per_lot,
        )
    return found


def transfer_subject(transfer: TransferView) -> AuditObject:
    return AuditObject("transfer", transfer.reference)


def load_transfer(uow: UnitOfWork, transfer_id: int) -> TransferView:
    row = uow.transfers.get(transfer_id)
    if row is None:
        raise NotFound("transfer", str(transfer_id), "transfer")
    codes = {loc.id: loc.code for loc in uow.locations.all()}
    progress = line_progress(uow, transfer_id)
    lot_ids = sorted({key for _line, _total, per_lot in progress.values() for key in per_lot if key})
    lot_codes = {lot_id: lot.code for lot_id, lot in uow.lots.by_ids(lot_ids).items()}
    events: dict[int, list[Any]] = defaultdict(list)
    for event in uow.transfers.events(transfer_id):
        events[event.id].append(event)
    lines = []
    for line, total, per_lot in progress.values():
        lines.append(
            TransferLineView(
                line_no=line.line_no, sku=line.sku, lot=line.lot_code, quantity=line.quantity,
                shipped=total.shipped, received=total.received, written_off=total.written_off,
                in_transit=total.in_transit, to_ship=total.to_ship,
                lots=tuple(
                    TransferLotView(lot_codes.get(key), p.shipped, p.received, p.written_off, p.in_transit)
                    for key, p in sorted(per_lot.items(), key=lambda kv: lot_codes.get(kv[0], ""))
                ),
            )
        )
    return TransferView(
        id=row.id, reference=row.reference, status=row.status, source=codes[row.source_id],
        destination=codes[row.destination_id], transit=codes[row.transit_id], expected_date=row.expected_date,
        carrier=row.carrier, tracking_number=row.tracking_number, note=row.note, created_at=row.created_at,
        updated_at=row.updated_at, closed_at=row.closed_at, cancelled_at=row.cancelled_at, lines=tuple(lines),
        events=tuple(
            TransferEventView(
                id=event_id, kind=rows[0].kind, posting_id=rows[0].posting_id, created_at=rows[0].created_at,
                lines=tuple(TransferEventLineView(r.line_no, r.sku, r.lot, r.location, r.quantity) for r in rows),
            )
            for event_id, rows in events.items()
        ),
    )


@dataclass(frozen=True)
class TransitRow:
    """Stock of one transfer on its way: `row` is keyed by the destination (on hand zero)."""

    row: BalanceRow
    quantity: Decimal
    expected_date: date | None


def earliest(first: date | None, second: date | None) -> date | None:
    return min((d for d in (first, second) if d is not None), default=None)


def transit_rows(
    uow: UnitOfWork, *, item_ids: list[int] | None, destination_ids: list[int], lot_id: int | None = None
) -> list[TransitRow]:
    """What transfers under way are bringing to these destinations, per transfer, item and lot."""
    return [
        TransitRow(
            BalanceRow(
                item_id=r.item_id, sku=r.sku, location_id=r.destination_id, lot_id=r.lot_id, lot_code=r.lot_code,
                lot_status=r.lot_status, lot_expiry=r.lot_expiry, on_hand=ZERO, reserved=ZERO,
            ),
            r.quantity,
            r.expected_date,
        )
        for r in uow.transfers.in_transit(item_ids=item_ids, destination_ids=destination_ids)
        if lot_id is None or r.lot_id == lot_id
    ]
