"""The posting core writes a posting and publishes what it wrote; the subscribers
registered at start-up act on it in the same transaction, in order."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.bootstrap import Onhand, standard_subscribers
from onhand.domain.accounting.commands import UpdateAccountingSettings
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.events import PostingsToWrite, PostingsWritten
from tests.integration.helpers import add_item, add_place, adjust, level, move_count


def with_subscriber(onhand: Onhand, clock, kind: type, subscriber) -> Onhand:
    return Onhand(onhand.engine, clock, subscribers=standard_subscribers().adding(kind, subscriber))


def test_a_subscriber_sees_what_was_written_after_the_moves_were_valued(onhand, clock):
    add_place(onhand, "NY")
    add_item(onhand, "TEA")
    seen = []

    def record(uow, event: PostingsWritten):
        (written,) = event.postings
        valued = len(uow.valuation.posting_values(written.posting_id))  # valuation subscribed first
        seen.append((written.posting_id, len(written.move_ids), sorted(event.deltas.values()), valued))

    watched = with_subscriber(onhand, clock, PostingsWritten, record)
    posting = adjust(watched, "NY", "TEA", 5, unit_cost="2")

    assert seen == [(posting.id, 1, [-5, 5], 1)]


def test_a_subscriber_that_refuses_rolls_the_whole_posting_back(onhand, clock):
    add_place(onhand, "NY")
    add_item(onhand, "TEA")
    adjust(onhand, "NY", "TEA", 3)
    before = move_count(onhand)

    def refuse(_uow, _event):
        raise InvalidInput("note", "refused by a subscriber")

    refusing = with_subscriber(onhand, clock, PostingsWritten, refuse)
    with pytest.raises(InvalidInput, match="refused by a subscriber"):
        adjust(refusing, "NY", "TEA", 4)

    assert move_count(onhand) == before
    assert level(onhand, "TEA", "NY")[0] == 3


def test_a_posting_in_a_locked_period_is_refused_before_anything_is_written(onhand, clock):
    add_place(onhand, "NY")
    add_item(onhand, "TEA")
    services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(lock_date=clock().date()))
    asked, written = [], []
    watched = Onhand(onhand.engine, clock, subscribers=standard_subscribers()
                     .adding(PostingsToWrite, lambda _uow, event: asked.append(event))
                     .adding(PostingsWritten, lambda _uow, event: written.append(event)))

    with pytest.raises(InvalidInput) as refused:
        adjust(watched, "NY", "TEA", 1)

    assert refused.value.field == "effective_at"
    assert (asked, written) == ([], [])  # the lock date was the first subscriber, and it refused
    assert move_count(onhand) == 0
