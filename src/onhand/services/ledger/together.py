"""Postings of several requests made at once (a server's group of one key's adjustments or
relocations, `services.context.run_writes`): which of them may go together, and posting them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from onhand.domain.errors import OnhandError
from onhand.domain.ledger.postings import BalanceKey, PostingDraft, balance_deltas
from onhand.services.context import ServiceContext
from onhand.services.ledger.postings import KnownRecords, clock_in_turn, post_many

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


# A service's checks and posting of one command (its lines' SKUs, say), made `now`, looking up
# what `known` does not hold yet; raises what the command alone would be refused for.
Draft = Callable[["UnitOfWork", Any, datetime, KnownRecords], PostingDraft]


def post_together(
    ctx: ServiceContext, uow: UnitOfWork, commands: Sequence[tuple[int, Any]], draft: Draft
) -> dict[int, int]:
    """Each of `commands` (a request's index and its command, whose `lines` name SKUs), drafted
    in its order by `draft`, the group's items read at once first; those that may go together
    posted at once (`_post_one_way`). Each one's posting id by its index; one refused while
    drafted, or left out, is left to be posted alone (and refused there, as it would be)."""
    now = ctx.now()
    known = KnownRecords()
    uow.items.read_skus(line.sku.strip() for _index, command in commands for line in command.lines)

    def drafted() -> Iterator[tuple[int, PostingDraft]]:
        for index, command in commands:
            try:
                made = draft(uow, command, now, known)
            except OnhandError:
                continue
            yield index, made

    return _post_one_way(ctx, uow, drafted())


def _post_one_way(ctx: ServiceContext, uow: UnitOfWork, drafted: Iterable[tuple[int, PostingDraft]]) -> dict[int, int]:
    """Post at once (`post_many`), stamped in turn, those of `drafted` (each request's index
    and its posting, in their order) that move no balance of an internal location the other
    way from an earlier one: each such balance only rises or only falls through them, so the
    guarded update of their sum fails exactly when one of them, in turn, would (backorders
    served and reservations shrunk as in turn). Each one's posting id by its index; the others
    are left to be posted alone."""
    drafts: list[PostingDraft] = []
    taken: list[int] = []
    rising: dict[BalanceKey, bool] = {}
    for index, draft in drafted:
        internal = {place.id for move in draft.moves for place in (move.source, move.destination) if place.is_internal}
        changes = {key: delta > 0 for key, delta in balance_deltas(draft.moves).items() if key[1] in internal}
        if any(rising.get(key, up) is not up for key, up in changes.items()):
            continue
        rising.update(changes)
        drafts.append(draft)
        taken.append(index)
    if not drafts:
        return {}
    posted = post_many(uow, drafts, now=clock_in_turn(ctx, uow))  # built beside others, stamped in turn
    return dict(zip(taken, posted, strict=True))
