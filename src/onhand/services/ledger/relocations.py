"""Relocations: moving stock directly between internal locations (bin to bin, site to site).

One posting, immediate at both ends. Goods that travel for days go through a transfer
order and a transit location instead (a later capability).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import MoveStock
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.services import resolve
from onhand.services.context import Outcome, ServiceContext, run_write, run_writes
from onhand.services.ledger.postings import (
    KnownRecords,
    clock_in_turn,
    load_posting,
    post,
    posting_subject,
    resolve_line,
)
from onhand.services.ledger.together import post_together
from onhand.services.limits import check_line_count
from onhand.services.views import PostingView

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def move_stock(
    ctx: ServiceContext, command: MoveStock, *, idempotency_key: str | None = None
) -> PostingView:
    """Move each line's quantity (and lot) from `source` to `destination`, all or none."""
    _check(ctx, command)

    def work(uow: UnitOfWork) -> int:
        draft = _draft(uow, command, ctx.now())
        return post(uow, draft, now=clock_in_turn(ctx, uow))  # built beside others, stamped in turn

    return run_write(
        ctx, work, load_posting, action="move_stock", subject=posting_subject, idempotency_key=idempotency_key,
        request=command,
    )


def move_stocks(ctx: ServiceContext, requests: Sequence[tuple[MoveStock, str | None]]) -> list[Outcome]:
    """Several relocations by the actor (a server's group of requests: each with its
    idempotency key), each with the outcome it would have had alone (`run_writes`).

    Those that can go together are posted at once (`post_many`), in their order; the others
    alone, after them. Together: of items without lots (a line naming an unknown lot creates
    it, a write a request refused later would leave behind), and none moving stock of a SKU at
    a location the other way from an earlier one. So each balance only rises or only falls
    through them, and their sum is checked as each one's would be in turn.
    """
    commands = [command for command, _key in requests]

    def draft(uow: UnitOfWork, command: MoveStock, now: datetime, known: KnownRecords) -> PostingDraft:
        _check(ctx, command)
        return _draft(uow, command, now, known)

    def work(uow: UnitOfWork, indices: list[int]) -> dict[int, int]:
        return post_together(ctx, uow, [(index, commands[index]) for index in indices if _may_go(commands[index])],
                             draft)

    def alone(index: int) -> PostingView:
        command, key = requests[index]
        return move_stock(ctx, command, idempotency_key=key)

    return run_writes(ctx, requests, work, alone, load_posting, action="move_stock", subject=posting_subject)


def _may_go(command: MoveStock) -> bool:
    """Of items without lots: what may go with others."""
    return all(line.lot is None for line in command.lines)


def _check(ctx: ServiceContext, command: MoveStock) -> None:
    check_line_count(ctx.limits, command.lines, "lines")
    if not command.lines:
        raise InvalidInput("lines", "a relocation needs at least one line")


def _draft(uow: UnitOfWork, command: MoveStock, now: datetime, known: KnownRecords | None = None) -> PostingDraft:
    reference = resolve.text(command.reference, "reference")
    note = resolve.text(command.note, "note", max_length=2000)
    origin = resolve.internal_location(uow, command.source, "source")
    target = resolve.internal_location_in_use(uow, command.destination, "destination")
    if origin.id == target.id:
        raise InvalidInput("destination", "must differ from the source")
    moves = []
    for index, line in enumerate(command.lines):
        field = f"lines[{index}]"
        resolved = resolve_line(uow, line, field, now=now, known=known)
        if resolved.quantity <= 0:
            raise InvalidInput(f"{field}.quantity", "must be greater than zero")
        if resolved.unit_cost is not None:
            raise InvalidInput(f"{field}.unit_cost", "a relocation carries the stock's own cost; give none")
        moves.append(MoveLine(resolved.item, origin, target, resolved.quantity, resolved.lot))
    return PostingDraft(kind=PostingKind.RELOCATION, moves=tuple(moves), reference=reference, note=note)
