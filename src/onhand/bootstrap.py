"""The composition root: the one place that picks concrete adapters.

    onhand = open_onhand("sqlite:///stock.db")   # migrates the schema if needed
    services.stock.stock_levels(onhand, sku="TEA-1")
"""

from __future__ import annotations

import copy
import logging
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import Engine

from onhand.adapters.accounting.exports import JournalExporter, journal_exporters
from onhand.adapters.accounting.sdks import LazyPushers, load
from onhand.adapters.channels.gateways import ChannelAdapters
from onhand.adapters.db import wal_checkpoints
from onhand.adapters.db.database import SqlDatabase
from onhand.adapters.db.engine import make_engine
from onhand.adapters.db.group_commit import WINDOW_S, GroupWriter, Together
from onhand.adapters.db.migrate import upgrade
from onhand.adapters.db.uow import SqlUnitOfWork
from onhand.adapters.forecasting import smoothing
from onhand.adapters.webhooks.http import HttpWebhookPoster
from onhand.adapters.webhooks.keys import load_webhook_key
from onhand.config import DEFAULT_IDEMPOTENCY_TTL, Settings
from onhand.domain.actors import SYSTEM, Actor
from onhand.domain.catalog.events import LotStatusChanged, SellablePlacesChanged
from onhand.domain.ledger.events import PostingsToWrite, PostingsWritten
from onhand.domain.planning.forecasting import Forecaster
from onhand.services.access.passwords import DEFAULT_COST as DEFAULT_PASSWORD_COST
from onhand.services.accounting.journals import refuse_locked_period
from onhand.services.context import JournalPusher
from onhand.services.feed import recorder as change_feed
from onhand.services.key_cache import KeyCache
from onhand.services.limits import Limits
from onhand.services.orders import backorders
from onhand.services.ports import UnitOfWork
from onhand.services.ports.channels import ChannelGateways
from onhand.services.ports.webhooks import WebhookPoster
from onhand.services.subscribers import Subscriber, Subscribers
from onhand.services.tools import rehearsal
from onhand.services.valuation.posting_values import on_postings_written as value_postings_written

T = TypeVar("T")
log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def standard_subscribers() -> Subscribers:
    """Who acts, in the same transaction, on what the areas publish: in this order (a
    posting in a locked period is refused before anything else happens; its moves are
    valued before orders re-plan around what is on hand); the change feed records each
    change last (services/feed/recorder.py)."""
    table: dict[type, list[Subscriber]] = {
        PostingsToWrite: [refuse_locked_period],
        PostingsWritten: [value_postings_written, backorders.on_postings_written],
        LotStatusChanged: [backorders.on_lot_status_changed],
        SellablePlacesChanged: [backorders.on_sellable_places_changed],
    }
    for kind, record in change_feed.SUBSCRIPTIONS.items():
        table.setdefault(kind, []).append(record)
    return Subscribers(table)


class Onhand:
    """A running Onhand: a database, a clock, and who acts (the system unless told:
    `acting_as`). Pass it to any service function."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime] = utc_now,
        pushers: Mapping[str, JournalPusher] | None = None,
        *,
        idempotency_ttl: timedelta = DEFAULT_IDEMPOTENCY_TTL,
        limits: Limits | None = None,
        subscribers: Subscribers | None = None,
        channel_gateways: ChannelGateways | None = None,
        webhook_key: Callable[[], bytes] | bytes | None = None,
        webhook_poster: WebhookPoster | None = None,
        password_cost: int = DEFAULT_PASSWORD_COST,
    ) -> None:
        self.engine = engine
        self._password_cost = password_cost
        self._key_cache = KeyCache()  # shared with `acting_as` twins
        self._channel_gateways = channel_gateways or ChannelAdapters()
        self._limits = limits or Limits()
        self._database = SqlDatabase(engine, subscribers or standard_subscribers())
        self._clock = clock
        self._exporters = journal_exporters()
        self._pushers: Mapping[str, JournalPusher] = pushers if pushers is not None else {}
        self._actor = SYSTEM
        self._idempotency_ttl = idempotency_ttl
        # Without one given, a key for this instance only (tests, a throwaway database).
        # A list, shared with `acting_as` twins, so the key is read from the configuration once.
        self._webhook_key: list[Callable[[], bytes] | bytes] = [
            webhook_key if webhook_key is not None else secrets.token_bytes(32)]
        self._webhook_poster = webhook_poster or HttpWebhookPoster()
        self._changes = threading.Event()
        self._database.feed_listeners.append(self._changes.set)
        # The writer of a server's writes (`grouping_writes`); None: each write its own transaction.
        self._group: GroupWriter | None = None

    @property
    def actor(self) -> Actor:
        return self._actor

    def acting_as(self, actor: Actor) -> Onhand:
        """The same Onhand (engine, caches, clock) acting for `actor`: cheap, one per request."""
        twin = copy.copy(self)
        twin._actor = actor
        return twin

    @property
    def idempotency_ttl(self) -> timedelta:
        return self._idempotency_ttl

    @contextmanager
    def writing(self) -> Iterator[SqlUnitOfWork]:
        if self._group is not None and self._group.on_writer_thread():
            # The group's transaction holds the database: a transaction of its own would wait for itself.
            raise RuntimeError("a call run in a group writes through in_transaction only")
        with self._database.writing(self._actor) as uow:
            yield uow

    def transact(self, work: Callable[[UnitOfWork], T]) -> T:
        """`work` in a write transaction, once: its own, or its savepoint in a group's
        transaction when this Onhand groups its writes (`grouping_writes`)."""
        if self._group is not None:
            return self._group.run(self._actor, work)
        with self.writing() as uow:
            return work(uow)

    @property
    def writes_in_groups(self) -> bool:
        """Whether this Onhand's writes go through a group writer (`writing_through`)."""
        return self._group is not None

    def call_in_group(self, call: Callable[[], T], together: Together | None = None) -> Future[T]:
        """`call` run by the group writer in its next group (`GroupWriter.submit`): its writes
        there and then, each under a savepoint, none waiting in a thread of its own; with others
        of its kind at once, if `together` says how. Only when `writes_in_groups`. A
        `GroupFailed` error means nothing of it was kept."""
        if self._group is None:
            raise RuntimeError("this Onhand writes each write in a transaction of its own")
        return self._group.submit(call, together)

    def group_writer(self, *, writers: int | None = None, window: float = WINDOW_S) -> GroupWriter:
        """A writer for this database, many requests per transaction (adapters/db/group_commit.py):
        `writers` threads (SQLite: always one), each waiting `window` seconds for more after a
        group's first; the caller closes it."""
        return GroupWriter(self._database, writers=writers, window=window)

    def writing_through(self, writer: GroupWriter) -> Onhand:
        """This Onhand with every `in_transaction` write (and its `acting_as` twins') run by `writer`."""
        twin = copy.copy(self)
        twin._group = writer
        return twin

    @contextmanager
    def grouping_writes(self) -> Iterator[Onhand]:
        """This Onhand writing through a group writer while the block runs: for a server, where
        many requests write at once. This Onhand itself (the worker, the CLI) keeps a
        transaction per write."""
        writer = self.group_writer()
        try:
            yield self.writing_through(writer)
        finally:
            writer.close()

    @contextmanager
    def writing_briefly(self) -> Iterator[SqlUnitOfWork]:
        with self._database.writing_briefly(self._actor) as uow:
            yield uow

    @contextmanager
    def reading(self) -> Iterator[SqlUnitOfWork]:
        with self._database.reading() as uow:
            yield uow

    @contextmanager
    def reading_once(self) -> Iterator[SqlUnitOfWork]:
        with self._database.reading_once() as uow:
            yield uow

    def reads_without_waiting(self) -> bool:
        """Whether `reading_once` can run now on an event loop without holding it up (SQLite,
        a pooled connection idle: `SqlDatabase.reads_without_waiting`)."""
        return self._database.reads_without_waiting()

    def rehearse_writes(self) -> None:
        """A server's rehearsal before its first request (`services.rehearsal`): orders too on
        SQLite, where a transaction rolled back leaves no gap in the ids that number orders;
        not on PostgreSQL, whose sequences move on."""
        try:
            rehearsal.rehearse_writes(self, orders=self.engine.dialect.name == "sqlite")
        except rehearsal.RehearsalFailed as failed:
            log.warning("%s; the first requests compile their statements themselves", failed)

    def now(self) -> datetime:
        return self._clock()

    @property
    def journal_exporters(self) -> Mapping[str, JournalExporter]:
        return self._exporters

    @property
    def journal_pushers(self) -> Mapping[str, JournalPusher]:
        """The accounting systems configured to receive posted journals (none: exports only)."""
        return self._pushers

    @property
    def limits(self) -> Limits:
        """How big one request may be (ONHAND_MAX_POSTING_LINES)."""
        return self._limits

    @property
    def key_cache(self) -> KeyCache:
        return self._key_cache

    @property
    def password_cost(self) -> int:
        """scrypt's work factor for new passwords, N = 2^cost (ONHAND_PASSWORD_COST)."""
        return self._password_cost

    @property
    def channel_gateways(self) -> ChannelGateways:
        """Sales channels' APIs (Shopify…), their secrets read where each channel's point."""
        return self._channel_gateways

    @property
    def webhook_key(self) -> bytes:
        """The key webhook secrets are derived from (read from the configuration when first needed)."""
        key = self._webhook_key[0]
        if callable(key):
            key = self._webhook_key[0] = key()
        return key

    @property
    def webhook_poster(self) -> WebhookPoster:
        return self._webhook_poster

    def demand_smoothing(self) -> Forecaster:
        """Holt's damped-trend exponential smoothing by statsmodels (`onhand[forecast]`)."""
        return smoothing.load()

    def wait_for_changes(self, timeout: float) -> bool:
        """Wait until a transaction commits events to the feed (or `wake`), at most `timeout`
        seconds; whether one did. The worker's wake-up: this process's commits, and on
        PostgreSQL every process's (LISTEN/NOTIFY, `adapters/db/feed_signals.py`)."""
        self._database.listen_for_feed(self._changes.set)
        changed = self._changes.wait(timeout)
        self._changes.clear()
        return changed

    def wake(self) -> None:
        """End a `wait_for_changes` now (a stop request)."""
        self._changes.set()

    def close(self) -> None:
        self._database.stop_listening()
        self.engine.dispose()


@contextmanager
def serving(onhand: Onhand) -> Iterator[Onhand]:
    """The Onhand a server hands its requests while the block runs: its writes group-committed
    (`Onhand.grouping_writes`) unless ONHAND_GROUP_COMMIT is off, and on SQLite its WAL
    checkpoints in the background (`checkpoints_in_background`). On PostgreSQL too, each
    server process's groups cost a third to a half of the CPU a transaction per write does
    (docs/architecture.md, "Group commit in the server")."""
    with checkpoints_in_background(onhand.engine):
        if not Settings.from_env(str(onhand.engine.url)).group_commit:
            yield onhand
            return
        with onhand.grouping_writes() as grouped:
            yield grouped


@contextmanager
def checkpoints_in_background(engine: Engine) -> Iterator[None]:
    """On a SQLite database file, its WAL checkpoints run in a thread of their own while the
    block runs, not in the commits of the requests (adapters/db/wal_checkpoints.py)."""
    if not wal_checkpoints.on_a_file(engine):
        yield
        return
    checkpoints = wal_checkpoints.WalCheckpoints(engine).start()
    try:
        yield
    finally:
        checkpoints.close()


def open_onhand(
    url: str | None = None,
    *,
    clock: Callable[[], datetime] = utc_now,
    migrate: bool = True,
    webhook_poster: WebhookPoster | None = None,
) -> Onhand:
    """Connect to the database at `url` (default: settings), bringing its schema up to date."""
    settings = Settings.from_env(url)
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    if migrate:
        upgrade(engine)
    # The SDKs are optional extras: a pusher is made (its SDK imported) when first asked for.
    xero, quickbooks = settings.xero, settings.quickbooks
    factories: dict[str, Callable[[], JournalPusher]] = {}
    if xero is not None:
        factories["xero"] = lambda: load("onhand.adapters.accounting.xero_push", "xero", "target").xero_pusher(xero)
    if quickbooks is not None:
        factories["quickbooks"] = lambda: load("onhand.adapters.accounting.quickbooks_push", "quickbooks",
                                               "target").quickbooks_pusher(quickbooks)
    pushers = LazyPushers(factories)
    return Onhand(engine, clock, pushers, idempotency_ttl=settings.idempotency_ttl,
                  limits=Limits(max_posting_lines=settings.max_posting_lines),
                  webhook_key=lambda: load_webhook_key(settings.webhook_key, settings.webhook_key_file),
                  webhook_poster=webhook_poster, password_cost=settings.password_cost)
