"""The unit of work: one database transaction with the repositories bound to it.

Database exceptions are translated here, at the boundary, into the domain's
`TransientConflict` (safe to retry: a lock timeout, a deadlock, a concurrent insert of
the same unique key) so that no SQLAlchemy error reaches services or users.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from onhand.adapters.db.engine import WRITE_OPTION, lock_wait, set_local_lock_timeout
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
        self.audit = AuditRepository(conn)
        self.company = CompanyRepository(conn)
        self.units = UnitRepository(conn)
        self.reasons = ReasonCodeRepository(conn)
        self.items = ItemRepository(conn, self.publish)
        self.locations = LocationRepository(conn, locations or LocationCache(), self.company, self.publish)
        self.lots = LotRepository(conn)
        self.ledger = LedgerRepository(conn)
        self.balances = BalanceRepository(conn)
        self.api_keys = ApiKeyRepository(conn)
        self.idempotency = IdempotencyRepository(conn)
        self.users = UserRepository(conn)
        self.sessions = SessionRepository(conn)
        self.sign_in_failures = SignInFailureRepository(conn)
        self.import_runs = ImportRunRepository(conn)
        self.orders = OrderRepository(conn, self.publish)
        self.reservations = ReservationRepository(conn, self.publish)
        self.shipments = ShipmentRepository(conn)
        self.suppliers = SupplierRepository(conn)
        self.purchase_orders = PurchaseOrderRepository(conn, self.publish)
        self.receipts = ReceiptRepository(conn)
        self.supplier_returns = SupplierReturnRepository(conn)
        self.boms = BomRepository(conn)
        self.builds = BuildRepository(conn, self.publish)
        self.stock_rows = StockRowReader(conn)
        self.transfers = TransferRepository(conn, self.publish)
        self.valuation = ValuationRepository(conn)
        self.opening_values = OpeningValueRepository(conn)
        self.valuation_history = ValuationHistoryRepository(conn)
        self.checkpoints = CheckpointRepository(conn)
        self.costing_changes = CostingChangeRepository(conn)
        self.journals = JournalRepository(conn)
        self.journal_pushes = JournalPushRepository(conn)
        self.integrity = IntegrityRepository(conn)
        self.customers = CustomerRepository(conn)
        self.traces = TraceRepository(conn)
        self.recalls = RecallRepository(conn)
        self.feed = FeedRepository(conn)
        self.followers = FollowerRepository(conn)
        self.availability = AvailabilityRepository(conn)
        self.channels = ChannelRepository(conn)
        self.channel_sync = ChannelSyncRepository(conn)
        self.webhooks = WebhookRepository(conn)
        self.planning = PlanningRepository(conn)

    def publish(self, event: object) -> None:
        """Hand `event` to its subscribers, in this transaction (a refusal rolls it all back)."""
        self._subscribers.publish(self, event)


def _is_retryable(exc: DBAPIError) -> bool:
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


class SqlDatabase:
    """Opens units of work on one engine."""

    def __init__(self, engine: Engine, subscribers: Subscribers | None = None) -> None:
        self.engine = engine
        self.locations = LocationCache()
        self.subscribers = subscribers
        # Called after a transaction of this process committed events (the worker's wake-up).
        self.feed_listeners: list[Callable[[], None]] = []

    @contextmanager
    def writing(self, actor: Actor = SYSTEM) -> Iterator[SqlUnitOfWork]:
        yield from self._transaction(write=True, actor=actor)

    @contextmanager
    def writing_briefly(self, actor: Actor = SYSTEM) -> Iterator[SqlUnitOfWork]:
        """A write that waits at most BRIEF_LOCK_WAIT_MS for locks; it fails only as transient."""
        yield from self._transaction(write=True, actor=actor, lock_wait_ms=BRIEF_LOCK_WAIT_MS)

    @contextmanager
    def reading(self) -> Iterator[SqlUnitOfWork]:
        yield from self._transaction(write=False)

    def _transaction(
        self, *, write: bool, actor: Actor = SYSTEM, lock_wait_ms: int | None = None
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
                    recorded = uow.feed.flush()  # the change feed's events, last, in this transaction
            if recorded:
                for listener in self.feed_listeners:
                    listener()
        except DBAPIError as exc:
            # A brief write is bookkeeping that may be skipped: any failure of it is one to skip.
            if lock_wait_ms is not None or _is_retryable(exc):
                raise TransientConflict(str(exc.orig).splitlines()[0]) from exc
            raise
