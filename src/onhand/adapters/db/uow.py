"""The unit of work: one database transaction with the repositories bound to it.

Database exceptions are translated here, at the boundary, into the domain's
`TransientConflict` (safe to retry: a lock timeout, a deadlock, a concurrent insert of
the same unique key) so that no SQLAlchemy error reaches services or users.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any, Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from onhand.adapters.db.engine import SQLITE_BUSY_TIMEOUT_MS, WRITE_OPTION, lock_wait, set_local_lock_timeout
from onhand.adapters.db.feed_signals import FeedSignals
from onhand.adapters.db.read_turns import ReadTurns
from onhand.adapters.db.repositories.access import (
    ApiKeyRepository,
    IdempotencyRepository,
    ImportRunRepository,
)
from onhand.adapters.db.repositories.audit import AuditRepository
from onhand.adapters.db.repositories.balances import BalanceRepository
from onhand.adapters.db.repositories.boms import BomRepository
from onhand.adapters.db.repositories.builds import BuildRepository
from onhand.adapters.db.repositories.catalog import (
    CompanyRepository,
    ItemRepository,
    ReasonCodeRepository,
    UnitRepository,
)
from onhand.adapters.db.repositories.channel_sync import ChannelSyncRepository
from onhand.adapters.db.repositories.channels import ChannelRepository
from onhand.adapters.db.repositories.cost_checkpoints import CheckpointRepository
from onhand.adapters.db.repositories.costing_changes import CostingChangeRepository
from onhand.adapters.db.repositories.customers import CustomerRepository
from onhand.adapters.db.repositories.cycle_counts import CycleCountRepository
from onhand.adapters.db.repositories.feed import AvailabilityRepository, FeedRepository, FollowerRepository
from onhand.adapters.db.repositories.integrity import IntegrityRepository
from onhand.adapters.db.repositories.journal_pushes import JournalPushRepository
from onhand.adapters.db.repositories.journals import JournalRepository
from onhand.adapters.db.repositories.ledger import LedgerRepository
from onhand.adapters.db.repositories.opening_values import OpeningValueRepository
from onhand.adapters.db.repositories.orders import OrderRepository
from onhand.adapters.db.repositories.places import LocationCache, LocationRepository, LotRepository
from onhand.adapters.db.repositories.planning import PlanningRepository
from onhand.adapters.db.repositories.purchase_orders import PurchaseOrderRepository
from onhand.adapters.db.repositories.receipts import ReceiptRepository
from onhand.adapters.db.repositories.reservations import ReservationRepository
from onhand.adapters.db.repositories.shipments import ShipmentRepository
from onhand.adapters.db.repositories.stock_rows import StockRowReader
from onhand.adapters.db.repositories.supplier_returns import SupplierReturnRepository
from onhand.adapters.db.repositories.supplier_shipments import SupplierShipmentRepository
from onhand.adapters.db.repositories.suppliers import SupplierRepository
from onhand.adapters.db.repositories.traceability import RecallRepository, TraceRepository
from onhand.adapters.db.repositories.transfers import TransferRepository
from onhand.adapters.db.repositories.users import SessionRepository, SignInFailureRepository, UserRepository
from onhand.adapters.db.repositories.valuation import ValuationRepository
from onhand.adapters.db.repositories.valuation_history import ValuationHistoryRepository
from onhand.adapters.db.repositories.webhooks import WebhookRepository
from onhand.domain.actors import SYSTEM, Actor
from onhand.domain.errors import TransientConflict

# How long a brief write (bookkeeping that may be skipped) waits for a lock.
BRIEF_LOCK_WAIT_MS = 100
# PostgreSQL SQLSTATEs worth a retry: serialization failure, deadlock, lock not available.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


class Subscribers(Protocol):
    """Who acts on what a service publishes, in the same transaction (services/subscribers.py)."""

    def publish(self, uow: Any, event: object) -> None: ...


class _NoSubscribers:
    def publish(self, uow: Any, event: object) -> None:
        pass


class SqlUnitOfWork:
    def __init__(
        self,
        conn: Connection,
        locations: LocationCache | None = None,
        actor: Actor = SYSTEM,
        subscribers: Subscribers | None = None,
    ) -> None:
        self.connection = conn
        # Who this transaction acts for: recorded on its postings and audit entries.
        self.actor = actor
        self._subscribers = subscribers or _NoSubscribers()
        self._location_cache = locations or LocationCache()
        # Repositories are made when a transaction first uses one: most use a few, and
        # building all of them (their statements) cost ~10 ms per transaction.

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.connection)

    @cached_property
    def company(self) -> CompanyRepository:
        return CompanyRepository(self.connection)

    @cached_property
    def units(self) -> UnitRepository:
        return UnitRepository(self.connection)

    @cached_property
    def reasons(self) -> ReasonCodeRepository:
        return ReasonCodeRepository(self.connection)

    @cached_property
    def items(self) -> ItemRepository:
        return ItemRepository(self.connection, self.publish)

    @cached_property
    def locations(self) -> LocationRepository:
        return LocationRepository(self.connection, self._location_cache, self.company, self.publish)

    @cached_property
    def lots(self) -> LotRepository:
        return LotRepository(self.connection)

    @cached_property
    def ledger(self) -> LedgerRepository:
        return LedgerRepository(self.connection)

    @cached_property
    def balances(self) -> BalanceRepository:
        return BalanceRepository(self.connection)

    @cached_property
    def api_keys(self) -> ApiKeyRepository:
        return ApiKeyRepository(self.connection)

    @cached_property
    def idempotency(self) -> IdempotencyRepository:
        return IdempotencyRepository(self.connection)

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.connection)

    @cached_property
    def sessions(self) -> SessionRepository:
        return SessionRepository(self.connection)

    @cached_property
    def sign_in_failures(self) -> SignInFailureRepository:
        return SignInFailureRepository(self.connection)

    @cached_property
    def import_runs(self) -> ImportRunRepository:
        return ImportRunRepository(self.connection)

    @cached_property
    def orders(self) -> OrderRepository:
        return OrderRepository(self.connection, self.publish)

    @cached_property
    def reservations(self) -> ReservationRepository:
        return ReservationRepository(self.connection, self.publish)

    @cached_property
    def shipments(self) -> ShipmentRepository:
        return ShipmentRepository(self.connection, self.orders.packed)

    @cached_property
    def suppliers(self) -> SupplierRepository:
        return SupplierRepository(self.connection)

    @cached_property
    def purchase_orders(self) -> PurchaseOrderRepository:
        return PurchaseOrderRepository(self.connection, self.publish)

    @cached_property
    def receipts(self) -> ReceiptRepository:
        return ReceiptRepository(self.connection)

    @cached_property
    def supplier_returns(self) -> SupplierReturnRepository:
        return SupplierReturnRepository(self.connection)

    @cached_property
    def supplier_shipments(self) -> SupplierShipmentRepository:
        return SupplierShipmentRepository(self.connection)

    @cached_property
    def boms(self) -> BomRepository:
        return BomRepository(self.connection)

    @cached_property
    def builds(self) -> BuildRepository:
        return BuildRepository(self.connection, self.publish)

    @cached_property
    def stock_rows(self) -> StockRowReader:
        return StockRowReader(self.connection)

    @cached_property
    def transfers(self) -> TransferRepository:
        return TransferRepository(self.connection, self.publish)

    @cached_property
    def valuation(self) -> ValuationRepository:
        return ValuationRepository(self.connection)

    @cached_property
    def opening_values(self) -> OpeningValueRepository:
        return OpeningValueRepository(self.connection)

    @cached_property
    def valuation_history(self) -> ValuationHistoryRepository:
        return ValuationHistoryRepository(self.connection)

    @cached_property
    def checkpoints(self) -> CheckpointRepository:
        return CheckpointRepository(self.connection)

    @cached_property
    def costing_changes(self) -> CostingChangeRepository:
        return CostingChangeRepository(self.connection)

    @cached_property
    def journals(self) -> JournalRepository:
        return JournalRepository(self.connection)

    @cached_property
    def journal_pushes(self) -> JournalPushRepository:
        return JournalPushRepository(self.connection)

    @cached_property
    def integrity(self) -> IntegrityRepository:
        return IntegrityRepository(self.connection)

    @cached_property
    def customers(self) -> CustomerRepository:
        return CustomerRepository(self.connection)

    @cached_property
    def traces(self) -> TraceRepository:
        return TraceRepository(self.connection)

    @cached_property
    def recalls(self) -> RecallRepository:
        return RecallRepository(self.connection)

    @cached_property
    def feed(self) -> FeedRepository:
        return FeedRepository(self.connection)

    @cached_property
    def followers(self) -> FollowerRepository:
        return FollowerRepository(self.connection)

    @cached_property
    def availability(self) -> AvailabilityRepository:
        return AvailabilityRepository(self.connection)

    @cached_property
    def channels(self) -> ChannelRepository:
        return ChannelRepository(self.connection)

    @cached_property
    def channel_sync(self) -> ChannelSyncRepository:
        return ChannelSyncRepository(self.connection)

    @cached_property
    def webhooks(self) -> WebhookRepository:
        return WebhookRepository(self.connection)

    @cached_property
    def planning(self) -> PlanningRepository:
        return PlanningRepository(self.connection)

    @cached_property
    def cycle_counts(self) -> CycleCountRepository:
        return CycleCountRepository(self.connection)

    def publish(self, event: object) -> None:
        """Hand `event` to its subscribers, in this transaction (a refusal rolls it all back)."""
        self._subscribers.publish(self, event)


def is_retryable(exc: DBAPIError) -> bool:
    """Whether a database error is one a retry of the whole write may not meet again."""
    if exc.connection_invalidated:
        # The server closed the connection (restart, idle timeout): the pool has dropped
        # it, and nothing of the transaction was committed, so a retry is safe.
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if isinstance(exc, IntegrityError):
        # Two transactions inserted the same unique key: the retry sees the winner's row.
        return sqlstate == "23505" or "UNIQUE constraint failed" in str(exc.orig)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


def as_transient(exc: DBAPIError) -> TransientConflict:
    """A database error as the transient conflict a retry of the whole write may not meet
    again, saying what the driver said (its first line)."""
    return TransientConflict(str(exc.orig).splitlines()[0])


class SqlDatabase:
    """Opens units of work on one engine."""

    def __init__(self, engine: Engine, subscribers: Subscribers | None = None) -> None:
        self.engine = engine
        self.locations = LocationCache()
        self.subscribers = subscribers
        # Called after a transaction of this process committed events (the worker's wake-up).
        self.feed_listeners: list[Callable[[], None]] = []
        # SQLite has one writer at a time: this process's writers take turns here.
        self._writer = threading.Lock() if engine.dialect.name == "sqlite" else None
        # SQLite's reads take turns (read_turns.py); PostgreSQL's do not.
        self._read_turns = ReadTurns() if engine.dialect.name == "sqlite" else None
        # Other processes' commits to the feed (PostgreSQL), once a worker waits for them.
        self._signals: FeedSignals | None = None
        self._signals_lock = threading.Lock()

    def listen_for_feed(self, on_signal: Callable[[], None]) -> None:
        """Call `on_signal` whenever another process commits events (PostgreSQL; from the
        first call on, until `stop_listening`). SQLite: one process writes, its own commits
        call the feed listeners."""
        if self.engine.dialect.name != "postgresql" or self._signals is not None:
            return
        with self._signals_lock:
            if self._signals is None:
                self._signals = FeedSignals(self.engine, on_signal)
                self._signals.start()

    def stop_listening(self) -> None:
        if self._signals is not None:
            self._signals.stop()

    @contextmanager
    def writing(self, actor: Actor = SYSTEM) -> Iterator[SqlUnitOfWork]:
        yield from self._transaction(write=True, actor=actor)

    @contextmanager
    def writing_briefly(self, actor: Actor = SYSTEM) -> Iterator[SqlUnitOfWork]:
        """A write that waits at most BRIEF_LOCK_WAIT_MS for locks; it fails only as transient."""
        yield from self._transaction(write=True, actor=actor, lock_wait_ms=BRIEF_LOCK_WAIT_MS)

    @contextmanager
    def reading(self) -> Iterator[SqlUnitOfWork]:
        with self._read_turn():
            yield from self._transaction(write=False)

    def reads_without_waiting(self) -> bool:
        """Whether a one-statement read (`reading_once`) can run now without waiting: on
        SQLite (no network; a reader never waits for the writer) with a pooled connection
        idle. An event loop may then read on its own thread (read_turns.py)."""
        idle = getattr(self.engine.pool, "checkedin", None)
        return self._read_turns is not None and idle is not None and idle() > 0

    @contextmanager
    def _read_turn(self) -> Iterator[None]:
        if self._read_turns is None:
            yield
            return
        with self._read_turns.turn():
            yield

    @contextmanager
    def reading_once(self) -> Iterator[SqlUnitOfWork]:
        """A unit of work for one read statement, outside a transaction (one statement sees
        one state of the data by itself): on PostgreSQL one round trip where a transaction
        takes three (BEGIN, the read, COMMIT)."""
        try:
            with self._read_turn(), self.engine.connect() as conn:
                if conn.dialect.name == "postgresql":  # SQLite's connections run outside one already
                    conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                yield SqlUnitOfWork(conn, self.locations, SYSTEM, self.subscribers)
        except DBAPIError as exc:
            if is_retryable(exc):
                raise as_transient(exc) from exc
            raise

    @contextmanager
    def _write_turn(self, write: bool, lock_wait_ms: int | None) -> Iterator[None]:
        """On SQLite, wait for this process's other writers here: the one waiting is woken
        the moment the turn is free, where SQLite's busy handler polls in growing sleeps
        (up to 100 ms each: the long tail of concurrent requests). Other processes still
        meet BEGIN IMMEDIATE and its busy timeout."""
        if not write or self._writer is None:
            yield
            return
        wait = SQLITE_BUSY_TIMEOUT_MS if lock_wait_ms is None else lock_wait_ms
        if not self._writer.acquire(timeout=wait / 1000):
            raise TransientConflict("another write of this process held the database too long")
        try:
            yield
        finally:
            self._writer.release()

    @contextmanager
    def group_transaction(self) -> Iterator[Connection]:
        """One write transaction for a group of requests (adapters/db/group_commit.py), which
        opens a unit of work per request on it; this process's other writers wait their turn
        on SQLite as for any write. A failure to begin or commit is a TransientConflict: nothing
        of the group was committed, and each of its requests may be run again."""
        try:
            with self._write_turn(True, None), self.engine.connect() as conn:
                conn = conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            raise as_transient(exc) from exc

    def _transaction(
        self, *, write: bool, actor: Actor = SYSTEM, lock_wait_ms: int | None = None
    ) -> Iterator[SqlUnitOfWork]:
        with self._write_turn(write, lock_wait_ms):
            yield from self._in_transaction(write=write, actor=actor, lock_wait_ms=lock_wait_ms)

    def _in_transaction(
        self, *, write: bool, actor: Actor, lock_wait_ms: int | None
    ) -> Iterator[SqlUnitOfWork]:
        recorded = False
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(**{WRITE_OPTION: True})
                with lock_wait(conn, lock_wait_ms), conn.begin():
                    if lock_wait_ms is not None:
                        set_local_lock_timeout(conn, lock_wait_ms)
                    uow = SqlUnitOfWork(conn, self.locations, actor, self.subscribers)
                    yield uow
                    # The change feed's events, last, in this transaction (if any was recorded).
                    recorded = "feed" in vars(uow) and uow.feed.flush()
            if recorded:
                for listener in self.feed_listeners:
                    listener()
        except DBAPIError as exc:
            # A brief write is bookkeeping that may be skipped: any failure of it is one to skip.
            if lock_wait_ms is not None or is_retryable(exc):
                raise as_transient(exc) from exc
            raise
