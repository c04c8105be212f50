"""Recall or quarantine in one action, and its release.

A recall stops the named lots and every lot built from them (any number of build levels)
at once: each gets the status, which publishes `LotStatusChanged` so that the orders area
gives their promises back and re-allocates those orders from other lots where it can
(services/orders/backorders.py). Optionally the stock on hand at internal places (not
what is on the road) moves to a quarantine location in the same transaction. The
recall remembers each lot's previous status and its quarantine posting, so that
releasing it gives both back: the statuses (unless another active recall still holds
the lot) and the stock still in quarantine, to the places it came from.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.events import LotStatusChanged
from onhand.domain.catalog.locations import Location, LocationKind, effective_sellable
from onhand.domain.catalog.lots import Lot, LotStatus, parse_lot_status
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.ledger.postings import post
from onhand.services.orders.views import load_order
from onhand.services.traceability.traces import origin_lots
from onhand.services.traceability.views import LotRef, RecalledLot, RecallView, ShortLine

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

# One path segment: a recall is addressed as /recalls/{reference}.
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")


def recall_lots(
    ctx: ServiceContext,
    *,
    lots: Sequence[LotRef] = (),
    supplier_lot: str | None = None,
    status: str = "recalled",
    quarantine_location: str | None = None,
    reference: str | None = None,
    note: str | None = None,
    idempotency_key: str | None = None,
) -> RecallView:
    """Recall (or quarantine) these lots and every lot built from them; see the module."""
    new_status = parse_lot_status(status)
    if new_status is LotStatus.RELEASED:
        raise InvalidInput("status", "a recall gives lots the status recalled or quarantined")
    clean_note = resolve.text(note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        now = ctx.now()
        ref = _new_reference(uow, reference)
        lot_ids = origin_lots(uow, lots, supplier_lot)
        depth: dict[int, int] = {}
        for row in uow.traces.descendants(lot_ids):
            depth[row.lot_id] = min(depth.get(row.lot_id, row.depth), row.depth)
        ids = sorted(depth, key=lambda i: (depth[i], i))
        found = uow.lots.by_ids(ids)
        recall_id = uow.recalls.add(reference=ref, status=new_status.value, note=clean_note,
                                    actor=uow.actor.reference, at=now)
        uow.recalls.add_lots(recall_id, [(i, found[i].status.value, depth[i]) for i in ids])
        for i in ids:
            if found[i].status is not new_status:
                uow.lots.set_status(i, new_status)
                # Orders give their promises on it back and are allocated again from other lots.
                uow.publish(LotStatusChanged(found[i], new_status, now))
        if quarantine_location is not None:
            target = resolve.internal_location(uow, quarantine_location, "quarantine_location")
            if effective_sellable(target, uow.locations.by_id()):
                raise InvalidInput("quarantine_location", f"{target.code!r} is sellable; name a quarantine place")
            posting_id = _to_quarantine(uow, ids, target, ref, now)
            uow.recalls.update(recall_id, quarantine_location_id=target.id, posting_id=posting_id)
        _number(uow, recall_id)
        return recall_id

    request = {"lots": [ref.__dict__ for ref in lots], "supplier_lot": supplier_lot, "status": status,
               "quarantine_location": quarantine_location, "reference": reference, "note": note}
    return run_write(ctx, work, load_recall, action="recall_lots", subject=recall_subject,
                     idempotency_key=idempotency_key, request=request)


def release_recall(ctx: ServiceContext, reference: str, *, idempotency_key: str | None = None) -> RecallView:
    """Give the recalled lots their previous status back (a lot another active recall
    holds stays stopped) and move what is still in quarantine back where it came from."""

    def work(uow: UnitOfWork) -> int:
        recall_id = _recall_id(uow, reference)
        recall = uow.recalls.locked(recall_id)
        if recall.released_at is not None:
            raise Conflict(f"recall: {recall.reference} was released already")
        now = ctx.now()
        rows = uow.recalls.lots(recall_id)
        held = uow.recalls.held_by_others(recall_id, [r.lot_id for r in rows])
        found = uow.lots.by_ids([r.lot_id for r in rows])
        release_posting = _from_quarantine(uow, recall, found, now) if recall.posting_id is not None else None
        for row in rows:
            lot = found[row.lot_id]
            previous = LotStatus(row.previous_status)
            if row.lot_id in held or lot.status is previous:
                continue
            uow.lots.set_status(lot.id, previous)
            uow.publish(LotStatusChanged(lot, previous, now))
        uow.recalls.update(recall_id, released_at=now, release_posting_id=release_posting)
        return recall_id

    return run_write(ctx, work, load_recall, action="release_recall", subject=recall_subject,
                     idempotency_key=idempotency_key, request={"reference": reference})


def get_recall(ctx: ServiceContext, reference: str) -> RecallView:
    with ctx.reading() as uow:
        return load_recall(uow, _recall_id(uow, reference))


def list_recalls(ctx: ServiceContext, *, limit: int = 100, offset: int = 0) -> list[RecallView]:
    resolve.page(limit, offset)
    with ctx.reading() as uow:
        return [load_recall(uow, i) for i in uow.recalls.list(limit=limit, offset=offset)]


def _new_reference(uow: UnitOfWork, reference: str | None) -> str:
    if reference is None:
        return f"new-{uuid.uuid4().hex}"
    ref = reference.strip()
    if not REFERENCE_PATTERN.match(ref):
        raise InvalidInput("reference", f"{ref!r} is not a valid recall reference")
    if uow.recalls.id_by_reference(ref) is not None:
        raise AlreadyExists("recall", ref, "reference")
    return ref


def _to_quarantine(uow: UnitOfWork, lot_ids: list[int], target: Location, reference: str, now: datetime) -> int | None:
    places = uow.locations.by_id()
    lots = uow.lots.by_ids(lot_ids)
    items = uow.items.by_ids(sorted({lot.item_id for lot in lots.values()}))
    moves = []
    for b in uow.traces.balances(sorted(items), lot_ids):
        place = places[b.location_id]
        # What is on the road stays there: it arrives, stopped, and can be moved then.
        if b.on_hand > 0 and place.is_internal and place.kind is not LocationKind.TRANSIT and place.id != target.id:
            lot = lots[b.lot_id]
            moves.append(MoveLine(items[lot.item_id], place, target, b.on_hand, lot))
    if not moves:
        return None
    moves.sort(key=lambda m: (m.item.id, m.lot.id if m.lot else 0, m.source.id))
    draft = PostingDraft(kind=PostingKind.RELOCATION, moves=tuple(moves), reference=f"recall {reference}")
    return post(uow, draft, now=now)


def _from_quarantine(uow: UnitOfWork, r: Any, lots: dict[int, Lot], now: datetime) -> int | None:
    """What the quarantine posting moved and is still there goes back, by origin."""
    places = uow.locations.by_id()
    quarantine = places[r.quarantine_location_id]
    moved = [m for m in uow.traces.moves(sorted(lots)) if m.posting_id == r.posting_id]
    items = uow.items.by_ids(sorted({lot.item_id for lot in lots.values()}))
    left: dict[int, Decimal] = defaultdict(Decimal)
    for b in uow.traces.balances(sorted(items), sorted(lots)):
        if b.location_id == quarantine.id:
            left[b.lot_id] += b.on_hand
    moves = []
    for m in moved:
        back = min(m.quantity, left[m.lot_id])
        if back > 0:
            left[m.lot_id] -= back
            lot = lots[m.lot_id]
            moves.append(MoveLine(items[lot.item_id], quarantine, places[m.from_location_id], back, lot))
    if not moves:
        return None
    draft = PostingDraft(kind=PostingKind.RELOCATION, moves=tuple(moves), reference=f"release {r.reference}")
    return post(uow, draft, now=now)


def _number(uow: UnitOfWork, recall_id: int) -> None:
    """Number a recall made without a reference from its id (RC-000123)."""
    recall = uow.recalls.get(recall_id)
    if recall.reference.startswith("new-"):
        number = resolve.document_number("RC", recall_id, uow.recalls.id_by_reference)
        uow.recalls.update(recall_id, reference=number)


def load_recall(uow: UnitOfWork, recall_id: int) -> RecallView:
    recall = uow.recalls.get(recall_id)
    if recall is None:
        raise NotFound("recall", str(recall_id), "reference")
    rows = uow.recalls.lots(recall_id)
    found = uow.lots.by_ids([r.lot_id for r in rows])
    items = uow.items.by_ids(sorted({lot.item_id for lot in found.values()}))
    places = uow.locations.by_id()
    short = []
    if recall.released_at is None:
        # The orders waiting for the recalled items: those the recall left short, and any
        # that were short of them already.
        skus = {items[lot.item_id].sku for lot in found.values()}
        for order_id in uow.orders.with_backorders(sorted(items)):
            order = load_order(uow, order_id)
            short += [ShortLine(order.reference, line.line_no, line.sku, line.backordered)
                      for line in order.lines if line.backordered > 0 and line.sku in skus]
    return RecallView(
        reference=recall.reference, status=recall.status, note=recall.note, created_at=recall.created_at,
        released_at=recall.released_at,
        quarantine_location=places[recall.quarantine_location_id].code if recall.quarantine_location_id else None,
        quarantine_posting_id=recall.posting_id, release_posting_id=recall.release_posting_id,
        lots=tuple(
            RecalledLot(sku=items[found[r.lot_id].item_id].sku, lot=found[r.lot_id].code, depth=r.depth,
                        previous_status=r.previous_status, status=found[r.lot_id].status.value)
            for r in rows
        ),
        short=tuple(short),
    )


def recall_subject(recall: RecallView) -> AuditObject:
    return AuditObject("recall", recall.reference)


def _recall_id(uow: UnitOfWork, reference: str) -> int:
    found = uow.recalls.id_by_reference(reference.strip()) if reference and reference.strip() else None
    if found is None:
        raise NotFound("recall", reference, "reference")
    return int(found)
