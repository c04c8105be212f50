"""Pushing posted journals to Xero and QuickBooks Online, and the record of every push.

Only a posted day is pushed: its journal is frozen, so what is sent never changes (a
later correction lands in the next open day's journal, which is pushed in its turn).
Each push is one row of `journal_pushes`, written `pending` in its own transaction
before anything is sent, and `sent` (with the id the system gave it) or `failed` after:

- a day sent to a target is not sent there again: pushing it returns the recorded push;
  `push_journal_again` sends it anew (after it was voided or deleted there);
- every push has its own *reference* — the journal's (`ONHAND-20260302`) for the first,
  `ONHAND-20260302-2`, `-3` … for later ones — which the system sees (Xero: the
  Idempotency-Key and the narration; QBO: the requestid and the DocNumber), so a new
  attempt after a refusal is never answered from the system's idempotency cache;
- a push left `pending` (the process stopped, or the request went out and no answer
  came) is finished by the next push of that day: the system is asked for a journal
  with the push's reference; found, the push is recorded sent with that id; not found,
  it is sent under the same reference (also its idempotency key, so two processes
  finishing it at once still make one journal).

The tokens and secrets stay in the adapters: an error recorded here is the adapter's
reason, which never carries one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from onhand.domain.accounting.journal import Journal
from onhand.domain.audit import AuditObject
from onhand.domain.errors import Conflict, InvalidInput, PushFailed
from onhand.services.accounting.charts import journal_for
from onhand.services.accounting.journal_book import JournalBook
from onhand.services.accounting.journals import day_range, parse_day
from onhand.services.audit import record_action
from onhand.services.catalog.lots import parse_date
from onhand.services.context import JournalPusher, ServiceContext, in_transaction, today

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

PENDING, SENT, FAILED = "pending", "sent", "failed"
ERROR_MAX = 300
LIST_DAYS = 31


@dataclass(frozen=True)
class JournalPush:
    id: int
    day: date
    target: str
    status: str  # pending, sent, failed
    reference: str  # what the accounting system sees (idempotency key, narration / DocNumber)
    content_hash: str  # sha256 of the posted journal (its own reference): the same for every push of the day
    remote_id: str | None  # Xero's ManualJournalID, QBO's JournalEntry Id
    error: str | None
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class _Claim:
    push: JournalPush
    journal: Journal  # the posted journal under the push's reference
    resumed: bool  # a pending push: ask the system before sending


def content_hash(journal: Journal) -> str:
    """The sha256 of a journal's content (day, currency, reference, lines), canonical JSON."""
    lines = [[ln.account, ln.role.value, str(ln.amount), ln.description, ln.effective_day.isoformat(),
              ln.tracking_option] for ln in journal.lines]
    content = {"day": journal.day.isoformat(), "currency": journal.currency, "narration": journal.narration,
               "reference": journal.reference, "tracking_category": journal.tracking_category, "lines": lines}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _push_of(row: Any) -> JournalPush:
    return JournalPush(int(row.id), row.day, row.target, row.status, row.reference, row.content_hash,
                       row.remote_id, row.error, row.started_at, row.finished_at)


def _pusher(ctx: ServiceContext, target: str) -> JournalPusher:
    pusher = ctx.journal_pushers.get(target)
    if pusher is None:
        configured = ", ".join(sorted(ctx.journal_pushers)) or "none"
        raise InvalidInput("target", f"{target!r} is not configured to receive journals (configured: {configured})")
    return pusher


def _posted_journal(uow: UnitOfWork, day: date) -> Journal:
    view = JournalBook(uow).view(day)
    if view.status != "posted":
        raise Conflict(f"day: the journal of {day} is open; post it before pushing it")
    if not view.journal.lines:
        raise InvalidInput("day", f"the journal of {day} has no lines; nothing to push")
    return view.journal


def _start(ctx: ServiceContext, uow: UnitOfWork, journal: Journal, target: str) -> _Claim:
    """Record a new pending push of the journal, under the next reference of its day and target."""
    earlier = uow.journal_pushes.count(journal.day, target)
    sent = journal if not earlier else replace(journal, reference=f"{journal.reference}-{earlier + 1}")
    push_id = uow.journal_pushes.add({
        "day": journal.day, "target": target, "status": PENDING, "reference": sent.reference,
        "content_hash": content_hash(journal), "started_at": ctx.now()})
    record_action(uow, ctx.now(), "start_journal_push", AuditObject("journal_push", str(push_id)),
                  {"day": journal.day, "target": target, "reference": sent.reference})
    return _Claim(_push_of(uow.journal_pushes.get(push_id)), sent, resumed=False)


def _claim_once(ctx: ServiceContext, uow: UnitOfWork, day: date, target: str) -> _Claim | JournalPush:
    uow.journal_pushes.lock_day(day)  # a concurrent claim reads what this one records
    journal = _posted_journal(uow, day)
    pushes = uow.journal_pushes.of_day(day, target)
    pending = [p for p in pushes if p.status == PENDING]
    if pending:  # finished first, also when it was an `again` after a push that was sent
        return _Claim(_push_of(pending[-1]), replace(journal, reference=pending[-1].reference), resumed=True)
    sent = [p for p in pushes if p.status == SENT]
    if sent:
        return _push_of(sent[-1])
    return _start(ctx, uow, journal, target)


def _claim_again(ctx: ServiceContext, uow: UnitOfWork, day: date, target: str) -> _Claim | JournalPush:
    uow.journal_pushes.lock_day(day)
    journal = _posted_journal(uow, day)
    pending = [p for p in uow.journal_pushes.of_day(day, target) if p.status == PENDING]
    if pending:
        raise Conflict(f"day: the push of {day} to {target} as {pending[-1].reference} is pending; "
                       "push the day (not again) to finish it first")
    return _start(ctx, uow, journal, target)


def _finish(ctx: ServiceContext, push_id: int, **outcome: Any) -> JournalPush:
    def work(uow: UnitOfWork) -> JournalPush:
        uow.journal_pushes.finish(push_id, **outcome)
        record_action(uow, ctx.now(), "finish_journal_push", AuditObject("journal_push", str(push_id)), outcome)
        return _push_of(uow.journal_pushes.get(push_id))

    return in_transaction(ctx, work)


def _as_taken(uow: UnitOfWork, claimed: _Claim | JournalPush, target: str) -> _Claim | JournalPush:
    """The claimed journal checked against the chart loaded from the target, with its Ids
    (QuickBooks); refused, nothing of the claim is kept."""
    if isinstance(claimed, JournalPush):
        return claimed
    return replace(claimed, journal=journal_for(uow, claimed.journal, target))


Claim = Callable[[ServiceContext, "UnitOfWork", date, str], "_Claim | JournalPush"]


def _push(ctx: ServiceContext, day: date | str, target: str, claim: Claim) -> JournalPush:
    wanted = parse_day(day)
    pusher = _pusher(ctx, target)
    claimed = in_transaction(ctx, lambda uow: _as_taken(uow, claim(ctx, uow, wanted, target), target))
    if isinstance(claimed, JournalPush):
        return claimed  # sent before: not sent again
    push_id, journal = claimed.push.id, claimed.journal
    try:
        remote_id = pusher.find(journal) if claimed.resumed else None
    except PushFailed as exc:  # still unknown whether it is there: it stays pending
        _finish(ctx, push_id, error=exc.reason[:ERROR_MAX])
        raise
    if remote_id is None:
        try:
            remote_id = pusher.send(journal)
        except PushFailed as exc:
            if exc.uncertain:
                _finish(ctx, push_id, error=exc.reason[:ERROR_MAX])
            else:
                _finish(ctx, push_id, status=FAILED, error=exc.reason[:ERROR_MAX], finished_at=ctx.now())
            raise
    return _finish(ctx, push_id, status=SENT, remote_id=remote_id, error=None, finished_at=ctx.now())


def push_journal(ctx: ServiceContext, day: date | str, *, target: str = "xero") -> JournalPush:
    """Send a posted day's journal to a configured accounting system, once.

    A day already sent there returns its recorded push and sends nothing; a pending push
    of the day is finished (found there, or sent under its own reference)."""
    return _push(ctx, day, target, _claim_once)


def push_journal_again(ctx: ServiceContext, day: date | str, *, target: str = "xero") -> JournalPush:
    """Send a posted day's journal to a system again, under a new reference — after the journal
    sent before was voided or deleted there. A pending push must be finished first."""
    return _push(ctx, day, target, _claim_again)


def journal_pushes(
    ctx: ServiceContext, *, start: date | str | None = None, end: date | str | None = None,
    target: str | None = None,
) -> list[JournalPush]:
    """The pushes of the days from `start` to `end` (default: the last 31 days), by day, target, time."""
    with ctx.reading() as uow:
        last = parse_date(end, "to") or today(ctx, uow)
        first, last = day_range(start or last - timedelta(days=LIST_DAYS - 1), last, last)
        return [_push_of(r) for r in uow.journal_pushes.between(first, last, target)]
