"""The nightly run: every day that is over is posted, then pushed to each configured system,
once; a failed push is reported and sent by the next run; the worker runs it once a day
after the company's midnight plus the grace period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from onhand import services
from onhand.adapters.accounting.xero_push import xero_pusher
from onhand.bootstrap import Onhand
from onhand.config import XeroSettings
from onhand.domain.accounting.commands import PostJournal
from onhand.services.worker.nightly_journals import NightlyJournals
from tests.integration.accounting.test_journal_push import DAY, with_pushers
from tests.integration.helpers import adjust
from tests.xero_stand_in import TENANT, TOKEN, StandInXero, stand_in_xero

NEXT = DAY + timedelta(days=1)


@pytest.fixture
def xero_url() -> Iterator[str]:
    with stand_in_xero() as url:
        yield url


@pytest.fixture
def pushing(onhand: Onhand, xero_url: str, clock) -> Onhand:
    """Goods received on DAY and one lost; Xero (the stand-in) configured."""
    return with_pushers(onhand, clock, {"xero": xero_pusher(XeroSettings(TENANT, TOKEN, xero_url))})


def test_the_days_that_are_over_are_posted_and_pushed_once(pushing, clock):
    clock.advance(days=2)  # DAY (with moves) and NEXT (none) are over
    run = services.nightly_journals.run_nightly(pushing)
    assert run.posted == (DAY, NEXT) and run.succeeded and run.targets == ("xero",)
    assert [(p.day, p.target, p.status) for p in run.pushed] == [(DAY, "xero", "sent")]  # NEXT has no lines
    assert len(StandInXero.journals) == 1
    again = services.nightly_journals.run_nightly(pushing)
    assert (again.posted, again.pushed, again.failures) == ((), (), ())
    assert len(StandInXero.journals) == 1


def test_a_refused_push_is_reported_and_sent_by_the_next_run_in_order(pushing, clock):
    clock.advance(days=1)
    StandInXero.refuse = True
    failed = services.nightly_journals.run_nightly(pushing)
    assert failed.posted == (DAY,) and not failed.succeeded and not failed.pushed
    ((target, day, reason),) = [(f.target, f.day, f.reason) for f in failed.failures]
    assert (target, day) == ("xero", DAY) and "HTTP 400" in reason and TOKEN not in reason
    adjust(pushing, "NY", "W", -1, reason="lost")  # on NEXT
    clock.advance(days=1)
    StandInXero.refuse = False
    caught_up = services.nightly_journals.run_nightly(pushing)
    assert caught_up.posted == (NEXT,) and caught_up.succeeded
    assert [p.day for p in caught_up.pushed] == [DAY, NEXT]


def test_days_posted_before_the_first_run_are_pushed_from_since(pushing, clock):
    instance = pushing
    clock.advance(days=1)
    services.journals.post_journal(instance, PostJournal(day=DAY))
    assert services.nightly_journals.run_nightly(instance).pushed == ()  # nothing posted by the run, nothing sent
    run = services.nightly_journals.run_nightly(instance, since=DAY.isoformat())
    assert [p.day for p in run.pushed] == [DAY]


def test_without_an_accounting_system_the_run_only_posts(onhand: Onhand, clock):
    instance = with_pushers(onhand, clock, {})
    clock.advance(days=1)
    run = services.nightly_journals.run_nightly(instance)
    assert run.posted == (DAY,) and run.targets == () and run.succeeded
    assert services.journals.get_journal(instance, DAY).status == "posted"


def test_the_worker_runs_it_once_a_day_after_midnight_and_the_grace_period(pushing, clock):
    job = NightlyJournals(grace=timedelta(hours=2))
    clock.current = clock.current.replace(hour=1) + timedelta(days=1)  # 01:00 UTC, the next day
    assert job(pushing) == 0 and services.journals.get_journal(pushing, DAY).status == "open"
    clock.advance(hours=1, minutes=1)  # 02:01: due
    assert job(pushing) == 2  # DAY posted and pushed
    assert job(pushing) == 0  # done for today
    clock.advance(days=1)
    assert job(pushing) == 1  # NEXT posted (no lines: nothing to push)
    assert services.journals.get_journal(pushing, date(2026, 3, 3)).status == "posted"


def test_a_failed_nightly_run_in_the_worker_is_tried_again_after_the_retry_period(pushing, clock):
    job = NightlyJournals(grace=timedelta(0), retry=timedelta(minutes=30))
    clock.advance(days=1)
    StandInXero.refuse = True
    assert job(pushing) == 1  # DAY posted, its push refused
    StandInXero.refuse = False
    assert job(pushing) == 0  # not before the retry period
    clock.advance(minutes=31)
    assert job(pushing) == 1 and len(StandInXero.journals) == 1
