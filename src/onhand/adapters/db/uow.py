"""The unit of work: one database transaction with the repositories bound to it.

Database exceptions are translated here, at the boundary, into the domain's
`TransientConflict` (safe to retry: a lock timeout, a deadlock, a concurrent insert of
the same unique key) so that no SQLAlchemy error reaches services or users.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from onhand.adapters.db.engine import WRITE_OPTION
from onhand.adapters.db.repositories.access import (
    ApiKeyRepository,
    IdempotencyRepository,
    ImportRunRepository,
)
from onhand.adapters.db.repositories.balances import BalanceRepository
from onhand.adapters.db.repositories.boms import BomRepository
from onhand.adapters.db.repositories.builds import BuildRepository
from onhand.adapters.db.repositories.catalog import (
    CompanyRepository,
    ItemRepository,
    ReasonCodeRepository,
    UnitRepository,
)
from onhand.adapters.db.repositories.cost_checkpoints import CheckpointRepository
from onhand.adapters.db.repositories.costing_changes import CostingChangeRepository
from onhand.adapters.db.repositories.integrity import IntegrityRepository
from onhand.adapters.db.repositories.journal_pushes import JournalPushRepository
from onhand.adapters.db.repositories.journals import JournalRepository
from onhand.adapters.db.repositories.ledger import LedgerRepository
from onhand.adapters.db.repositories.opening_values import OpeningValueRepository
from onhand.adapters.db.repositories.orders import OrderRepository
from onhand.adapters.db.repositories.places import LocationCache, LocationRepository, LotRepository
from onhand.adapters.db.repositories.purchase_orders import PurchaseOrderRepository
from onhand.adapters.db.repositories.receipts import ReceiptRepository
from onhand.adapters.db.repositories.reservations import ReservationRepository
from onhand.adapters.db.repositories.shipments import ShipmentRepository
from onhand.adapters.db.repositories.stock_rows import StockRowReader
from onhand.adapters.db.repositories.supplier_returns import SupplierReturnRepository
from onhand.adapters.db.repositories.suppliers import SupplierRepository
from onhand.adapters.db.repositories.transfers import TransferRepository
from onhand.adapters.db.repositories.valuation import ValuationRepository
from onhand.adapters.db.repositories.valuation_history import ValuationHistoryRepository
from onhand.domain.errors import TransientConflict

# PostgreSQL SQLSTATEs worth a retry: serialization failure, deadlock, lock not available.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


class SqlUnitOfWork:
    def __init__(self, conn: Connection, locations: LocationCache | None = None) -> None:
        self.connection = conn
        self.company = CompanyRepository(conn)
        self.units = UnitRepository(conn)
        self.reasons = ReasonCodeRepository(conn)
        self.items = ItemRepository(conn)
        self.locations = LocationRepository(conn, locations or LocationCache(), self.company)
        self.lots = LotRepository(conn)
        self.ledger = LedgerRepository(conn)
        self.balances = BalanceRepository(conn)
        self.api_keys = ApiKeyRepository(conn)
        self.idempotency = IdempotencyRepository(conn)
        self.import_runs = ImportRunRepository(conn)
        self.orders = OrderRepository(conn)
        self.reservations = ReservationRepository(conn)
        self.shipments = ShipmentRepository(conn)
        self.suppliers = SupplierRepository(conn)
        self.purchase_orders = PurchaseOrderRepository(conn)
        self.receipts = ReceiptRepository(conn)
        self.supplier_returns = SupplierReturnRepository(conn)
        self.boms = BomRepository(conn)
        self.builds = BuildRepository(conn)
        self.stock_rows = StockRowReader(conn)
        self.transfers = TransferRepository(conn)
        self.valuation = ValuationRepository(conn)
        self.opening_values = OpeningValueRepository(conn)
        self.valuation_history = ValuationHistoryRepository(conn)
        self.checkpoints = CheckpointRepository(conn)
        self.costing_changes = CostingChangeRepository(conn)
        self.journals = JournalRepository(conn)
        self.journal_pushes = JournalPushRepository(conn)
        self.integrity = IntegrityRepository(conn)


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

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.locations = LocationCache()

    @contextmanager
    def writing(self) -> Iterator[SqlUnitOfWork]:
        yield from self._transaction(write=True)

    @contextmanager
    def reading(self) -> Iterator[SqlUnitOfWork]:
        yield from self._transaction(write=False)

    def _transaction(self, *, write: bool) -> Iterator[SqlUnitOfWork]:
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield SqlUnitOfWork(conn, self.locations)
        except DBAPIError as exc:
            if _is_retryable(exc):
                raise TransientConflict(str(exc.orig).splitlines()[0]) from exc
            raise
