"""What a service needs from the outside world, and how a write is run.

`ServiceContext` is implemented by `onhand.bootstrap.Onhand`. `run_write` gives every
write the same life: one transaction, an optional idempotency key, and a few retries
when a concurrent transaction got in the way.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from onhand.domain.calendar import business_day, time_zone
from onhand.domain.errors import IdempotencyConflict, InvalidInput, TransientConflict
from onhand.domain.journal import Journal
from onhand.services.limits import Limits

if TYPE_CHECKING:  # the concrete unit of work, for type checkers only
    from onhand.adapters.db.uow import SqlUnitOfWork as UnitOfWork

T = TypeVar("T")
MAX_ATTEMPTS = 5


class JournalPusher(Protocol):
    """An accounting system that takes posted journals (the adapters in adapters/accounting/)."""

    def send(self, journal: Journal) -> str:
        """Create the journal there (its reference is the idempotency key); return its id there."""
        ...

    def find(self, journal: Journal) -> str | None:
        """The id there of a journal carrying this one's reference, if one exists."""
        ...


class ServiceContext(Protocol):
    def writing(self) -> AbstractContextManager[UnitOfWork]: ...

    def reading(self) -> AbstractContextManager[UnitOfWork]: ...

    def now(self) -> datetime: ...

    # Journal export formats (see services/journals.ExportFormat) → (journals, status) → text;
    # the adapters are chosen by the composition root.
    @property
    def journal_exporters(self) -> Mapping[str, Callable[[list[Journal], str], str]]: ...

    # Accounting systems configured to receive posted journals, by name (xero, quickbooks).
    @property
    def journal_pushers(self) -> Mapping[str, JournalPusher]: ...

    # How big one request may be (lines per posting); from the settings.
    @property
    def limits(self) -> Limits: ...


def today(ctx: ServiceContext, uow: UnitOfWork) -> date:
    """The business day now, in the company's time zone."""
    return business_day(ctx.now(), time_zone(uow.company.get().timezone))


def fingerprint(action: str, request: Mapping[str, Any] | None) -> str:
    canonical = json.dumps({"action": action, "request": request}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate_idempotency_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200:
        raise InvalidInput("idempotency_key", "must be 1-200 characters")
    return key


def run_write(
    ctx: ServiceContext,
    work: Callable[[UnitOfWork], int],
    load: Callable[[UnitOfWork, int], T],
    *,
    action: str,
    idempotency_key: str | None = None,
    request: Mapping[str, Any] | None = None,
) -> T:
    """Run `work` in one write transaction and return `load` of the id it produced.

    With an idempotency key, a repeat of the same request returns the first result and
    writes nothing; the same key with a different request is a conflict.
    """
    key = validate_idempotency_key(idempotency_key)
    signature = fingerprint(action, request) if key else ""

    def attempt(uow: UnitOfWork) -> T:
        if key:
            seen = uow.idempotency.get(key)
            if seen is not None:
                seen_action, seen_print, resource_id = seen
                if (seen_action, seen_print) != (action, signature):
                    raise IdempotencyConflict(key)
                return load(uow, resource_id)
        resource_id = work(uow)
        if key:
            uow.idempotency.add(key, action=action, fingerprint=signature, resource_id=resource_id, at=ctx.now())
        return load(uow, resource_id)

    return in_transaction(ctx, attempt)


def in_transaction(ctx: ServiceContext, work: Callable[[UnitOfWork], T]) -> T:
    """Run `work` in one write transaction, again (a few times) when a concurrent
    transaction got in the way; `work` must start from scratch each time."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            with ctx.writing() as uow:
                return work(uow)
        except TransientConflict:
            if attempt == MAX_ATTEMPTS - 1:
                raise
            time.sleep(0.005 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover
