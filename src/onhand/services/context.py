"""What a service needs from the outside world, and how a write is run.

`ServiceContext` is implemented by `onhand.bootstrap.Onhand`; the unit of work it opens is
the port `services.ports.UnitOfWork` (re-exported here), never the concrete adapter. `run_write` gives every
write the same life: one transaction, an optional idempotency key (scoped to the actor,
remembered for `idempotency_ttl`), its audit entry, and a few retries when a concurrent
transaction got in the way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import Any, Protocol, SupportsInt, TypeVar

from onhand.domain.accounting.charts import ChartAccount
from onhand.domain.accounting.journal import Journal
from onhand.domain.accounting.regions import Conventions
from onhand.domain.actors import Actor
from onhand.domain.audit import AuditObject
from onhand.domain.calendar import business_day, time_zone
from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import IdempotencyConflict, InvalidInput, OnhandError, TransientConflict
from onhand.domain.planning.forecasting import Forecaster
from onhand.services.audit import record_action, record_actions, record_change
from onhand.services.key_cache import KeyCache
from onhand.services.limits import Limits
from onhand.services.ports import UnitOfWork  # the port; adapters/db/uow.py implements it
from onhand.services.ports.channels import ChannelGateways
from onhand.services.ports.webhooks import WebhookPoster

T = TypeVar("T")
W = TypeVar("W", bound=SupportsInt)  # what a write gives its `load`: an id, or more
MAX_ATTEMPTS = 5
log = logging.getLogger(__name__)


class JournalPusher(Protocol):
    """An accounting system that takes posted journals (the adapters in adapters/accounting/)."""

    def send(self, journal: Journal) -> str:
        """Create the journal there (its reference is the idempotency key); return its id there."""
        ...

    def find(self, journal: Journal) -> str | None:
        """The id there of a journal carrying this one's reference, if one exists."""
        ...

    def accounts(self) -> list[ChartAccount]:
        """The system's chart of accounts (active accounts), as the domain reads a chart."""
        ...


class ServiceContext(Protocol):
    def writing(self) -> AbstractContextManager[UnitOfWork]: ...

    # `work` in a write transaction, once (`in_transaction` retries): a transaction of its
    # own, or in a server its savepoint in a group's transaction (adapters/db/group_commit.py).
    def transact(self, work: Callable[[UnitOfWork], T]) -> T: ...

    # A write that gives up at once (TransientConflict) rather than wait for a lock: for
    # bookkeeping a request may skip (a key's last use), never for a business action.
    def writing_briefly(self) -> AbstractContextManager[UnitOfWork]: ...

    def reading(self) -> AbstractContextManager[UnitOfWork]: ...

    # A read of ONE statement outside a transaction (one statement sees one state by itself):
    # on PostgreSQL one round trip instead of three. Any more statements need `reading`.
    def reading_once(self) -> AbstractContextManager[UnitOfWork]: ...

    def now(self) -> datetime: ...

    # Who acts: recorded on every posting and audit entry, and the scope of idempotency keys.
    @property
    def actor(self) -> Actor: ...

    def acting_as(self, actor: Actor) -> ServiceContext: ...

    # How long an idempotency key is remembered (settings); a repeat after that is new.
    @property
    def idempotency_ttl(self) -> timedelta: ...

    # Journal export formats (see services/journals.ExportFormat) → (journals, status, the
    # region's tax rate and date format) → text; the adapters are chosen by the composition root.
    @property
    def journal_exporters(self) -> Mapping[str, Callable[[list[Journal], str, Conventions], str]]: ...

    # Accounting systems configured to receive posted journals, by name (xero, quickbooks).
    @property
    def journal_pushers(self) -> Mapping[str, JournalPusher]: ...

    # How big one request may be (lines per posting); from the settings.
    @property
    def limits(self) -> Limits: ...

    # API keys that authenticated a moment ago (services/key_cache.py), one per process.
    @property
    def key_cache(self) -> KeyCache: ...

    # scrypt's work factor (N = 2^cost) for new passwords and unknown emails; from the settings.
    @property
    def password_cost(self) -> int: ...

    # Sales channels' APIs (adapters/channels/), by the channel's kind.
    @property
    def channel_gateways(self) -> ChannelGateways: ...

    # The installation's key that webhook secrets are derived from (configuration; never stored).
    @property
    def webhook_key(self) -> bytes: ...

    # Sends one signed webhook delivery (the adapter in adapters/webhooks/).
    @property
    def webhook_poster(self) -> WebhookPoster: ...

    # Exponential smoothing of daily demand (adapters/forecasting/, a numerical library),
    # loaded when first asked for: MissingExtra('demand_method') when it is not installed.
    def demand_smoothing(self) -> Forecaster: ...


def today(ctx: ServiceContext, uow: UnitOfWork) -> date:
    """The business day now, in the company's time zone."""
    return business_day(ctx.now(), time_zone(uow.company.get().timezone))


def validate_idempotency_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200:
        raise InvalidInput("idempotency_key", "must be 1-200 characters")
    return key


def run_write(
    ctx: ServiceContext,
    work: Callable[[UnitOfWork], W],
    load: Callable[[UnitOfWork, W | int], T],
    *,
    action: str,
    subject: Callable[[T], AuditObject],
    idempotency_key: str | None = None,
    request: object | None = None,
    before: Callable[[UnitOfWork], object | None] | None = None,
) -> T:
    """Run `work` in one write transaction and return `load` of the id it produced (an int,
    or what the write knows of its document, which `load` need not read again: `int()` of it
    is the id).

    The audit entry names `subject(result)`; an update passes `before` (the record as it
    was, None if it did not exist yet, of the same kind as `load`'s) so that the entry holds
    the fields that changed, a create or an action records `request`: its command (a frozen
    dataclass, see domain/commands.py), whose canonical form is also the fingerprint.
    With an idempotency key, a repeat of the same request by the same actor within the
    idempotency TTL returns the first result and writes nothing; the same key with a
    different request is a conflict.
    """
    key = validate_idempotency_key(idempotency_key)
    fields = canonical(request)
    signature = fingerprint(action, fields) if key else ""
    scope = ctx.actor.reference

    def attempt(uow: UnitOfWork) -> T:
        now = ctx.now()
        expired_at = now - ctx.idempotency_ttl  # records this old or older are forgotten
        if key:
            seen = uow.idempotency.get(scope, key, expired_at=expired_at)
            if seen is not None:
                seen_action, seen_print, resource_id = seen
                if (seen_action, seen_print) != (action, signature):
                    raise IdempotencyConflict(key)
                return load(uow, resource_id)
        old = before(uow) if before is not None else None
        written = work(uow)
        if key:
            uow.idempotency.add(scope, key, action=action, fingerprint=signature, resource_id=int(written),
                                at=now, expired_at=expired_at)
        result = load(uow, written)
        if old is not None:
            record_change(uow, now, action, subject(result), old, result)
        else:
            record_action(uow, now, action, subject(result), fields)
        return result

    return in_transaction(ctx, attempt)


# A write's outcome when several are run at once: (True, its result) or (False, its error).
Outcome = tuple[bool, Any]


def run_writes(
    ctx: ServiceContext,
    requests: Sequence[tuple[object, str | None]],
    work: Callable[[UnitOfWork, list[int]], Mapping[int, W]],
    alone: Callable[[int], T],
    load: Callable[[UnitOfWork, W | int], T],
    *,
    action: str,
    subject: Callable[[T], AuditObject],
) -> list[Outcome]:
    """Several writes of one action by the actor (a server's group of requests: each a command
    and its idempotency key), each with the outcome it would have had alone.

    `work` writes in one transaction those it can of the requests it is given (by index), in
    few statements, and gives each one's result (as `run_write`'s `work`); they get their
    idempotency records and audit entries as `run_write` gives them, a statement for all.
    Each of the others is then run `alone` (`run_write`, a transaction of its own): one that
    `work` left out, a repeat of a key already used (answered as a repeat is) or given twice,
    and every one if the transaction failed, so that no request's error is another's.
    """
    keys: list[str | None] = []
    for _command, key in requests:
        try:
            keys.append(validate_idempotency_key(key))
        except InvalidInput:
            keys.append("")  # refused by `alone`
    given = [key for key in keys if key]
    twice = {key for key in given if given.count(key) > 1}
    candidates = [index for index, key in enumerate(keys) if key is None or (key and key not in twice)]
    fields = {index: canonical(requests[index][0]) for index in candidates}
    scope = ctx.actor.reference

    def attempt(uow: UnitOfWork) -> dict[int, T]:
        now = ctx.now()
        expired_at = now - ctx.idempotency_ttl  # as `run_write`
        seen = uow.idempotency.seen(scope, {keys[index] for index in candidates if keys[index]},
                                    expired_at=expired_at)
        written = work(uow, [index for index in candidates if keys[index] not in seen])
        uow.idempotency.add_many(scope, [
            (key, action, fingerprint(action, fields[index]), int(result))
            for index, result in written.items() if (key := keys[index])
        ], at=now, expired_at=expired_at)
        results = {index: load(uow, result) for index, result in written.items()}
        record_actions(uow, now, [(action, subject(results[index]), fields[index]) for index in sorted(results)])
        return results

    done: dict[int, T] = {}
    if len(candidates) > 1:
        try:
            done = in_transaction(ctx, attempt)
        except OnhandError:  # one was refused: each is run alone, and gets its own error there
            done = {}
        except Exception:  # a fault of the database or of the code: said, then each alone all the same
            log.warning("%s: the writes run together failed; each is run alone", action, exc_info=True)
            done = {}
    outcomes: list[Outcome] = []
    for index in range(len(requests)):
        if index in done:
            outcomes.append((True, done[index]))
            continue
        try:
            outcomes.append((True, alone(index)))
        except Exception as exc:  # the request's own error, for its caller
            outcomes.append((False, exc))
    return outcomes


def in_transaction(ctx: ServiceContext, work: Callable[[UnitOfWork], T]) -> T:
    """Run `work` in one write transaction, again (a few times) when a concurrent
    transaction got in the way; `work` must start from scratch each time."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            return ctx.transact(work)
        except TransientConflict:
            if attempt == MAX_ATTEMPTS - 1:
                raise
            time.sleep(0.005 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover
