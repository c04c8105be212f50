"""Stock adjustments: stock found or lost at a location, with a reason code."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.ledger.postings import PostingDraft, PostingKind, adjustment_move
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.ledger.postings import (
    load_posting,
    parse_effective_at,
    post,
    posting_subject,
    resolve_line,
)
from onhand.services.limits import check_line_count
from onhand.services.views import PostingView

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def post_adjustment(
    ctx: ServiceContext, command: PostAdjustment, *, idempotency_key: str | None = None
) -> PostingView:
    """Post signed quantities (+ found, − lost) at one internal location, all or none.

    A found line may give its `unit_cost` (company currency); it then comes in at that
    cost instead of the item's current cost there.
    """
    location, lines, reason, effective_at = command.location, command.lines, command.reason, command.effective_at
    check_line_count(ctx.limits, lines, "lines")
    if not lines:
        raise InvalidInput("lines", "an adjustment needs at least one line")
    clean_reference = resolve.text(command.reference, "reference")
    clean_note = resolve.text(command.note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        place = resolve.internal_location_in_use(uow, location)
        adjustment = uow.locations.virtual(LocationKind.ADJUSTMENT)
        reason_code = resolve.reason(uow, reason)
        now = ctx.now()
        moves = []
        for index, line in enumerate(lines):
            field = f"lines[{index}]"
            resolved = resolve_line(uow, line, field, now=now)
            if resolved.quantity == 0:
                raise InvalidInput(f"{field}.quantity", "must not be zero")
            resolved.refuse_cost_unless_adding(field, resolved.quantity)
            move = adjustment_move(resolved.item, place, resolved.quantity, adjustment, resolved.lot)
            moves.append(replace(move, unit_cost=resolved.unit_cost))
        draft = PostingDraft(
            kind=PostingKind.ADJUSTMENT, moves=tuple(moves), reason=reason_code,
            reference=clean_reference, note=clean_note,
        )
        return post(uow, draft, now=now, effective_at=parse_effective_at(effective_at, uow, now=now))

    return run_write(
        ctx, work, load_posting, action="post_adjustment", subject=posting_subject,
        idempotency_key=idempotency_key, request=command,
    )
