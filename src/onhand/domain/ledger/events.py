"""What the posting core tells the areas above it, in the posting's own transaction.

The core validates and writes postings and publishes two events; the subscribers
registered at start-up (`bootstrap.standard_subscribers`) act on them in order, in the
same transaction, so that a refusal by any of them rolls the whole posting back:

    PostingsToWrite  before anything is written: a subscriber may refuse (a locked period)
    PostingsWritten  what was written: valuation values the moves, orders keep their
                     promises consistent with what is on hand, the change feed records it

The core imports none of its subscribers: the dependency runs one way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from onhand.domain.catalog.locations import Location
from onhand.domain.ledger.postings import BalanceKey, PostingDraft


@dataclass(frozen=True)
class PostingsToWrite:
    drafts: tuple[PostingDraft, ...]
    effective_at: datetime  # when they happened (now, or backdated)


@dataclass(frozen=True)
class WrittenPosting:
    posting_id: int
    move_ids: tuple[int, ...]  # in the order of the draft's moves
    draft: PostingDraft


@dataclass(frozen=True)
class PostingsWritten:
    postings: tuple[WrittenPosting, ...]
    deltas: Mapping[BalanceKey, Decimal]  # the change of each balance, all postings together
    places: Mapping[int, Location]  # every location a move touched, by id
    # Internal places whose decreases were guarded by free stock: their promises still hold.
    kept_promises: frozenset[int]
    effective_at: datetime
    now: datetime
