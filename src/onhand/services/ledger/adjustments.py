"""Stock adjustments: stock found or lost at a location, with a reason code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.ledger.postings import PostingDraft, PostingKind, adjustment_move
from onhand.services import resolve
from onhand.services.context import Outcome, ServiceContext, run_write, run_writes
from onhand.services.ledger.postings import (
    KnownRecords,
    clock_in_turn,
    load_posting,
    parse_effective_at,
    post,
    posting_subject,
    resolve_line,
)
from onhand.services.ledger.together import post_together
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
    _check(ctx, command)

    def work(uow: UnitOfWork) -> int:
        draft = _draft(uow, command, ctx.now())
        now = clock_in_turn(ctx, uow)  # built beside others, stamped in turn
        return post(uow, draft, now=now, effective_at=parse_effective_at(command.effective_at, uow, now=now))

    return run_write(
        ctx, work, load_posting, action="post_adjustment", subject=posting_subject,
        idempotency_key=idempotency_key, request=command,
    )


def post_adjustments(
    ctx: ServiceContext, requests: Sequence[tuple[PostAdjustment, str | None]]
) -> list[Outcome]:
    """Several adjustments by the actor (a server's group of requests: each with its
    idempotency key), each with the outcome it would have had posted alone (`run_writes`).

    Those that can go together are posted at once (`post_many`), in their order; the others
    alone, after them. Together: posted now (no `effective_at`), of items without lots (a
    line finding a new lot creates it, a write a request refused later would leave behind),
    and none moving stock of a SKU at its location the other way from an earlier one. So each
    balance only rises or only falls through them, and their sum is checked as each one's
    would be in turn; a backorder is served, a reservation shrunk, as in turn.
    """
    commands = [command for command, _key in requests]

    def draft(uow: UnitOfWork, command: PostAdjustment, now: datetime, known: KnownRecords) -> PostingDraft:
        _check(ctx, command)
        return _draft(uow, command, now, known)

    def work(uow: UnitOfWork, indices: list[int]) -> dict[int, int]:
        return post_together(ctx, uow, [(index, commands[index]) for index in indices if _may_go(commands[index])],
                             draft)

    def alone(index: int) -> PostingView:
        command, key = requests[index]
        return post_adjustment(ctx, command, idempotency_key=key)

    return run_writes(ctx, requests, work, alone, load_posting, action="post_adjustment", subject=posting_subject)


def _may_go(command: PostAdjustment) -> bool:
    """Posted now, of items without lots: what may go with others."""
    return command.effective_at is None and all(line.lot is None for line in command.lines)


def _check(ctx: ServiceContext, command: PostAdjustment) -> None:
    check_line_count(ctx.limits, command.lines, "lines")
    if not command.lines:
        raise InvalidInput("lines", "an adjustment needs at least one line")


def _draft(
    uow: UnitOfWork, command: PostAdjustment, now: datetime, known: KnownRecords | None = None
) -> PostingDraft:
    """The adjustment's posting."""
    reference = resolve.text(command.reference, "reference")
    note = resolve.text(command.note, "note", max_length=2000)
    place = resolve.internal_location_in_use(uow, command.location)
    adjustment = uow.locations.virtual(LocationKind.ADJUSTMENT)
    reason_code = resolve.reason(uow, command.reason)
    moves = []
    for index, line in enumerate(command.lines):
        field = f"lines[{index}]"
        resolved = resolve_line(uow, line, field, now=now, known=known)
        if resolved.quantity == 0:
            raise InvalidInput(f"{field}.quantity", "must not be zero")
        resolved.refuse_cost_unless_adding(field, resolved.quantity)
        move = adjustment_move(resolved.item, place, resolved.quantity, adjustment, resolved.lot)
        moves.append(replace(move, unit_cost=resolved.unit_cost))
    return PostingDraft(
        kind=PostingKind.ADJUSTMENT, moves=tuple(moves), reason=reason_code, reference=reference, note=note,
    )
