"""The worker's nightly journal job (a sender): `run_nightly` once a day, after the company's
midnight plus a grace period (late scans and the last shipments of the day are in by then).

A run whose pushes failed, or that raised, is tried again after `retry`; a day's run that
succeeded is not repeated. Several workers may run it at once: posting a day and pushing it
are idempotent (a push claims its day), so the work is done once.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from onhand.domain.calendar import time_zone
from onhand.services.accounting.nightly import run_nightly

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext

NAME = "nightly-journals"
DEFAULT_GRACE = timedelta(hours=1)
RETRY = timedelta(hours=1)
log = logging.getLogger("onhand.worker")


class NightlyJournals:
    def __init__(self, grace: timedelta = DEFAULT_GRACE, retry: timedelta = RETRY) -> None:
        self._grace = grace
        self._retry = retry
        self._done: date | None = None  # the business day whose run succeeded
        self._retry_at: datetime | None = None

    def due(self, ctx: ServiceContext) -> date | None:
        """The business day whose run is due now, if one is."""
        now = ctx.now()
        with ctx.reading() as uow:
            zone = time_zone(uow.company.get().timezone)
        local = now.astimezone(zone)
        day = local.date()
        if self._done == day or local < datetime.combine(day, time(0), zone) + self._grace:
            return None
        if self._retry_at is not None and now < self._retry_at:
            return None
        return day

    def __call__(self, ctx: ServiceContext) -> int:
        day = self.due(ctx)
        if day is None:
            return 0
        self._retry_at = ctx.now() + self._retry  # until it succeeds
        run = run_nightly(ctx)
        for failure in run.failures:
            log.warning("nightly journals: the journal of %s was not sent to %s: %s; tried again after %s",
                        failure.day, failure.target, failure.reason, self._retry_at)
        if run.succeeded:
            self._done, self._retry_at = day, None
        return len(run.posted) + len(run.pushed)
