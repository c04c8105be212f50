"""Services composed into one transaction already open: `Joined(ctx, uow)` is a service
context whose every transaction is that one, so a caller can run several business actions
(create an order, allocate it, record where it came from) and commit them together — one
writer turn and one commit where each action alone takes its own.

The actions have no savepoints of their own: one that fails inside may have written part of
its work, which cannot be undone alone. So the first failure *spoils* the joined context:
every later transaction through it is refused at once (`Spoiled`, which no service catches
or retries), and the caller rolls the whole transaction back and takes the path of one
transaction per action, where each failure is handled as it always was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TypeVar

from onhand.domain.accounting.journal import Journal
from onhand.domain.actors import Actor
from onhand.domain.planning.forecasting import Forecaster
from onhand.services.context import JournalPusher, ServiceContext, UnitOfWork
from onhand.services.limits import Limits
from onhand.services.ports.channels import ChannelGateways
from onhand.services.ports.webhooks import WebhookPoster

T = TypeVar("T")


class Spoiled(Exception):
    """An action failed inside a joined transaction: roll it all back and go one by one."""


class Joined:
    def __init__(self, ctx: ServiceContext, uow: UnitOfWork) -> None:
        self._ctx = ctx
        self._uow = uow
        self.spoiled = False

    @contextmanager
    def writing(self) -> Iterator[UnitOfWork]:
        if self.spoiled:
            raise Spoiled("an earlier action in this transaction failed")
        try:
            yield self._uow
        except BaseException:
            self.spoiled = True
            raise

    writing_briefly = writing

    def transact(self, work: Callable[[UnitOfWork], T]) -> T:
        with self.writing() as uow:
            return work(uow)
    reading = writing

    def now(self) -> datetime:
        return self._ctx.now()

    @property
    def actor(self) -> Actor:
        return self._ctx.actor

    def acting_as(self, actor: Actor) -> ServiceContext:
        # The open transaction records one actor (it was opened for it).
        if actor != self._ctx.actor:
            raise Spoiled("a joined transaction acts for one actor")
        return self

    @property
    def idempotency_ttl(self) -> timedelta:
        return self._ctx.idempotency_ttl

    @property
    def journal_exporters(self) -> Mapping[str, Callable[[list[Journal], str], str]]:
        return self._ctx.journal_exporters

    @property
    def journal_pushers(self) -> Mapping[str, JournalPusher]:
        return self._ctx.journal_pushers

    @property
    def limits(self) -> Limits:
        return self._ctx.limits

    @property
    def channel_gateways(self) -> ChannelGateways:
        return self._ctx.channel_gateways

    @property
    def webhook_key(self) -> bytes:
        return self._ctx.webhook_key

    @property
    def webhook_poster(self) -> WebhookPoster:
        return self._ctx.webhook_poster

    def demand_smoothing(self) -> Forecaster:
        return self._ctx.demand_smoothing()
