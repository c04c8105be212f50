"""Stock counts: the counted quantity becomes on hand; the difference is posted."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import PostStockCount
from onhand.domain.ledger.postings import PostingDraft, PostingKind, balance_key, count_move
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.ledger.postings import (
    clock_in_turn,
    load_posting,
    parse_effective_at,
    post,
    posting_subject,
    resolve_line,
)
from onhand.services.limits import check_line_count
from onhand.services.views import PostingView

if TYPE_CHECKING:
    from datetime import datetime

    from onhand.services.context import UnitOfWork


def post_stock_count(
    ctx: ServiceContext, command: PostStockCount, *, idempotency_key: str | None = None
) -> PostingView:
    """Set on hand at exactly `location` (not its bins) to each line's counted quantity.

    Lines whose count agrees with the books post nothing; if every line agrees, the
    posting is recorded with no moves, as proof that the count happened. A line's
    `unit_cost` values the units a count finds; on a line whose count is below the books
    it is refused (on one that agrees it is moot).
    """
    lines = command.lines
    check_line_count(ctx.limits, lines, "lines")

    def work(uow: UnitOfWork) -> int:
        return count_in(uow, command, now=clock_in_turn(ctx, uow))

    return run_write(
        ctx, work, load_posting, action="post_stock_count", subject=posting_subject,
        idempotency_key=idempotency_key, request=command,
    )


def count_in(uow: UnitOfWork, command: PostStockCount, *, now: datetime) -> int:
    """Post `command` in the caller's transaction (a cycle count posts its session this way);
    the id of the posting."""
    location, lines, reason, effective_at = command.location, command.lines, command.reason, command.effective_at
    if not lines:
        raise InvalidInput("lines", "a count needs at least one line")
    clean_reference = resolve.text(command.reference, "reference")
    clean_note = resolve.text(command.note, "note", max_length=2000)
    place = resolve.internal_location_in_use(uow, location)
    adjustment = uow.locations.virtual(LocationKind.ADJUSTMENT)
    reason_code = resolve.reason(uow, reason)
    seen: set[tuple[int, int]] = set()
    moves = []
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        resolved = resolve_line(uow, line, field, now=now)
        if resolved.quantity < 0:
            raise InvalidInput(f"{field}.quantity", "a counted quantity cannot be negative")
        lot_id = resolved.lot.id if resolved.lot else 0
        if (resolved.item.id, lot_id) in seen:
            raise InvalidInput(field, f"{resolved.item.sku} is counted twice in this count")
        seen.add((resolved.item.id, lot_id))
        on_hand = uow.balances.on_hand_for_update(balance_key(resolved.item.id, place.id, lot_id))
        if resolved.quantity != on_hand:
            resolved.refuse_cost_unless_adding(field, resolved.quantity - on_hand)
        move = count_move(resolved.item, place, resolved.quantity, on_hand, adjustment, resolved.lot)
        if move is not None:
            moves.append(replace(move, unit_cost=resolved.unit_cost))
    draft = PostingDraft(
        kind=PostingKind.COUNT, moves=tuple(moves), reason=reason_code,
        reference=clean_reference, note=clean_note,
    )
    return post(uow, draft, now=now, effective_at=parse_effective_at(effective_at, uow, now=now))
