"""Relocations: moving stock directly between internal locations (bin to bin, site to site).

One posting, immediate at both ends. Goods that travel for days go through a transfer
order and a transit location instead (a later capability).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import MoveStock
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.ledger.postings import clock_in_turn, load_posting, post, posting_subject, resolve_line
from onhand.services.limits import check_line_count
from onhand.services.views import PostingView

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def move_stock(
    ctx: ServiceContext, command: MoveStock, *, idempotency_key: str | None = None
) -> PostingView:
    """Move each line's quantity (and lot) from `source` to `destination`, all or none."""
    source, destination, lines = command.source, command.destination, command.lines
    check_line_count(ctx.limits, lines, "lines")
    if not lines:
        raise InvalidInput("lines", "a relocation needs at least one line")
    clean_reference = resolve.text(command.reference, "reference")
    clean_note = resolve.text(command.note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        origin = resolve.internal_location(uow, source, "source")
        target = resolve.internal_location_in_use(uow, destination, "destination")
        if origin.id == target.id:
            raise InvalidInput("destination", "must differ from the source")
        now = clock_in_turn(ctx, uow)
        moves = []
        for index, line in enumerate(lines):
            field = f"lines[{index}]"
            resolved = resolve_line(uow, line, field, now=now)
            if resolved.quantity <= 0:
                raise InvalidInput(f"{field}.quantity", "must be greater than zero")
            if resolved.unit_cost is not None:
                raise InvalidInput(f"{field}.unit_cost", "a relocation carries the stock's own cost; give none")
            moves.append(MoveLine(resolved.item, origin, target, resolved.quantity, resolved.lot))
        draft = PostingDraft(
            kind=PostingKind.RELOCATION, moves=tuple(moves),
            reference=clean_reference, note=clean_note,
        )
        return post(uow, draft, now=now)

    return run_write(
        ctx, work, load_posting, action="move_stock", subject=posting_subject, idempotency_key=idempotency_key,
        request=command,
    )
