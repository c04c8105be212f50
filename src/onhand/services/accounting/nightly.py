"""The nightly run: post every business day that is over and not yet posted, then push the
posted journals to each configured accounting system. Run it from cron (`onhand journal
run-nightly`) or let the worker do it once a day (`NightlyJournals`, services/worker).

Both halves are idempotent, so running it twice, or after a failure, does only what is left:

- **posting**: the days from the first with anything to journal (a valued move, an opening
  valuation) through yesterday (company time zone) that are not posted; days without
  lines are posted too (frozen empty), so later corrections land in the next open day;
- **pushing**, per configured target: the posted days with lines from the day after the
  last day sent there (a target sent nothing yet: from the first day it was tried, else
  the first day this run posted; or from `since`), never
  on or before the period lock date, that have no sent push — so a day that failed last
  night is sent tonight. A target stops at its first failure (the days after it wait for
  the next run, in order); the other targets go on. Failures are returned, not raised:
  the caller reports them (the CLI exits non-zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from onhand.domain.accounting.commands import PostJournal
from onhand.domain.calendar import business_day
from onhand.domain.errors import MissingExtra, PushFailed
from onhand.services.accounting.journal_book import JournalBook, day_bounds
from onhand.services.accounting.journal_pushes import SENT, JournalPush, push_journal
from onhand.services.accounting.journals import post_journal
from onhand.services.accounting.reconciliation import EPOCH
from onhand.services.catalog.lots import parse_date
from onhand.services.context import ServiceContext, today

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


@dataclass(frozen=True)
class PushFailure:
    target: str
    day: date
    reason: str  # the adapter's reason: never a token or secret


@dataclass(frozen=True)
class NightlyRun:
    posted: tuple[date, ...]  # the days this run posted
    pushed: tuple[JournalPush, ...]  # the pushes this run sent
    failures: tuple[PushFailure, ...]
    targets: tuple[str, ...]  # the accounting systems configured

    @property
    def succeeded(self) -> bool:
        return not self.failures


def _first_day(uow: UnitOfWork, book: JournalBook, end_day: date) -> date | None:
    """The first business day with anything to journal, up to `end_day`."""
    _, end = day_bounds(end_day, book.zone)
    moments = [m for m in [uow.journals.next_valued_time(EPOCH, end), *uow.journals.opening_times(end)] if m]
    return min(business_day(m, book.zone) for m in moments) if moments else None


def _days_to_post(uow: UnitOfWork, yesterday: date) -> list[date]:
    book = JournalBook(uow)
    first = _first_day(uow, book, yesterday)
    if first is None:
        return []
    return [d for n in range((yesterday - first).days + 1) if (d := first + timedelta(days=n)) not in book.posted]


def _days_to_push(uow: UnitOfWork, target: str, start: date | None, yesterday: date) -> list[date]:
    """The posted days with lines from `start` (or after the last day sent) that the target has not got."""
    book = JournalBook(uow)
    last_sent = uow.journal_pushes.last_sent_day(target)
    first = start or (last_sent + timedelta(days=1) if last_sent else None)
    if first is None:
        return []
    if book.lock_date is not None:
        first = max(first, book.lock_date + timedelta(days=1))
    if first > yesterday:
        return []
    sent = {r.day for r in uow.journal_pushes.between(first, yesterday, target) if r.status == SENT}
    wanted = sorted(d for d in book.posted if first <= d <= yesterday and d not in sent)
    journals = book.frozen(wanted)
    return [d for d in wanted if journals[d][0].lines]


def _first_of_new_target(uow: UnitOfWork, target: str, to_post: list[date]) -> date | None:
    """For a target sent nothing yet: the first day it was tried, or else the first day this run posts."""
    if uow.journal_pushes.last_sent_day(target) is not None:
        return None
    tried = uow.journal_pushes.first_day(target)
    return min(d for d in (tried, to_post[0] if to_post else None) if d is not None) if tried or to_post else None


def run_nightly(ctx: ServiceContext, *, since: date | str | None = None) -> NightlyRun:
    """Post the days that are over, then push them (see module). `since`: push every posted day from
    this one that a target has not got (default: from the day after the last day sent there)."""
    first_push = parse_date(since, "since")
    with ctx.reading() as uow:
        yesterday = today(ctx, uow) - timedelta(days=1)
        to_post = _days_to_post(uow, yesterday)
    for day in to_post:
        post_journal(ctx, PostJournal(day=day))
    targets = tuple(sorted(ctx.journal_pushers))
    pushed: list[JournalPush] = []
    failures: list[PushFailure] = []
    for target in targets:
        with ctx.reading() as uow:
            days = _days_to_push(uow, target, first_push or _first_of_new_target(uow, target, to_post), yesterday)
        for day in days:
            try:
                pushed.append(push_journal(ctx, day, target=target))
            except (PushFailed, MissingExtra) as exc:  # MissingExtra: the target's SDK is not installed
                failures.append(PushFailure(target, day, exc.reason))
                break
    return NightlyRun(tuple(to_post), tuple(pushed), tuple(failures), targets)
