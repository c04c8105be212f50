"""A posting written a part at a time, for one too long to hold in memory (an opening
stock import of a million rows).

Each part is what `post` makes of a whole posting: its moves validated, appended to the one
posting, applied to the balances under the kind's guard and published (`PostingsWritten`),
so they are valued, checked and fed as they come, in the caller's transaction; a part
refused rolls the whole transaction back, so the posting is still all or nothing. The
subscribers see each part as a posting of that id with those moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.ledger.events import PostingsToWrite
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind, guard_for, validate_posting
from onhand.services.ledger.postings import apply_written

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


class PostingInParts:
    """One posting of `kind`, effective now; written when its first part is added."""

    def __init__(self, uow: UnitOfWork, kind: PostingKind, *, reason: str | None, now: datetime) -> None:
        self._uow = uow
        self._kind = kind
        self._reason = reason
        self._now = now
        self.posting_id: int | None = None  # None: no part added yet, nothing written

    def add(self, moves: Sequence[MoveLine]) -> None:
        """Append `moves` to the posting (the first part writes the posting itself)."""
        if not moves:
            return
        uow, now = self._uow, self._now
        draft = PostingDraft(kind=self._kind, moves=tuple(moves), reason=self._reason)
        validate_posting(draft)
        uow.publish(PostingsToWrite((draft,), now))  # e.g. nothing on or before the lock date
        if self.posting_id is None:
            [(self.posting_id, ids)] = uow.ledger.add_postings(
                [draft], created_at=now, effective_at=now, actor=uow.actor.reference
            )
        else:
            ids = uow.ledger.add_moves(self.posting_id, draft)
        apply_written(uow, [draft], [(self.posting_id, ids)], guard=guard_for(self._kind), effective_at=now,
                      now=now)
