"""The unit of work as the services see it: one transaction and the repositories bound to it.

`onhand.adapters.db.uow.SqlUnitOfWork` implements it (tests/architecture/test_ports.py
proves that with mypy); the services never name the concrete class. Each repository is a
read-only property so that an implementation may hold any subtype.
"""

from __future__ import annotations

from typing import Protocol

from onhand.domain.actors import Actor
from onhand.services.ports.access import (
    ApiKeyRepository,
    AuditRepository,
    IdempotencyRepository,
    ImportRunRepository,
    SessionRepository,
    SignInFailureRepository,
    UserRepository,
)
from onhand.services.ports.accounting import JournalPushRepository, JournalRepository
from onhand.services.ports.assemblies import BomRepository, BuildRepository
from onhand.services.ports.catalog import (
    CompanyRepository,
    ItemRepository,
    LocationRepository,
    LotRepository,
    ReasonCodeRepository,
    UnitRepository,
)
from onhand.services.ports.channel_sync import ChannelSyncRepository
from onhand.services.ports.channels import ChannelRepository
from onhand.services.ports.cycle_counts import CycleCountRepository
from onhand.services.ports.feed import AvailabilityRepository, FeedRepository, FollowerRepository
from onhand.services.ports.ledger import BalanceRepository, IntegrityRepository, LedgerRepository, StockRowReader
from onhand.services.ports.orders import (
    CustomerRepository,
    OrderRepository,
    ReservationRepository,
    ShipmentRepository,
)
from onhand.services.ports.planning import PlanningRepository
from onhand.services.ports.purchasing import (
    PurchaseOrderRepository,
    ReceiptRepository,
    SupplierRepository,
    SupplierReturnRepository,
    SupplierShipmentRepository,
)
from onhand.services.ports.traceability import RecallRepository, TraceRepository
from onhand.services.ports.transfers import TransferRepository
from onhand.services.ports.valuation import (
    CheckpointRepository,
    CostingChangeRepository,
    OpeningValueRepository,
    ValuationHistoryRepository,
    ValuationRepository,
)
from onhand.services.ports.webhooks import WebhookRepository


class UnitOfWork(Protocol):
    # Who this transaction acts for: recorded on its postings and audit entries.
    @property
    def actor(self) -> Actor: ...

    def publish(self, event: object) -> None:
        """Hand `event` to its in-transaction subscribers (services/subscribers.py)."""
        ...

    def about_to_write(self) -> None:
        """Say that this transaction writes next: where writers take turns at the database, it
        waits for its turn now, so that what it reads after (the clock a posting is stamped
        with, above all) is read in turn, after every earlier writer's moves."""
        ...

    # access
    @property
    def api_keys(self) -> ApiKeyRepository: ...
    @property
    def idempotency(self) -> IdempotencyRepository: ...
    @property
    def import_runs(self) -> ImportRunRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def sign_in_failures(self) -> SignInFailureRepository: ...

    # catalog
    @property
    def company(self) -> CompanyRepository: ...
    @property
    def units(self) -> UnitRepository: ...
    @property
    def reasons(self) -> ReasonCodeRepository: ...
    @property
    def items(self) -> ItemRepository: ...
    @property
    def locations(self) -> LocationRepository: ...
    @property
    def lots(self) -> LotRepository: ...

    # ledger
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def balances(self) -> BalanceRepository: ...
    @property
    def stock_rows(self) -> StockRowReader: ...
    @property
    def integrity(self) -> IntegrityRepository: ...

    # orders
    @property
    def orders(self) -> OrderRepository: ...
    @property
    def reservations(self) -> ReservationRepository: ...
    @property
    def shipments(self) -> ShipmentRepository: ...

    # purchasing
    @property
    def suppliers(self) -> SupplierRepository: ...
    @property
    def purchase_orders(self) -> PurchaseOrderRepository: ...
    @property
    def receipts(self) -> ReceiptRepository: ...
    @property
    def supplier_returns(self) -> SupplierReturnRepository: ...

    @property
    def supplier_shipments(self) -> SupplierShipmentRepository: ...

    # assemblies
    @property
    def boms(self) -> BomRepository: ...
    @property
    def builds(self) -> BuildRepository: ...

    # transfers
    @property
    def transfers(self) -> TransferRepository: ...

    # valuation
    @property
    def valuation(self) -> ValuationRepository: ...
    @property
    def opening_values(self) -> OpeningValueRepository: ...
    @property
    def valuation_history(self) -> ValuationHistoryRepository: ...
    @property
    def checkpoints(self) -> CheckpointRepository: ...
    @property
    def costing_changes(self) -> CostingChangeRepository: ...

    # accounting
    @property
    def journals(self) -> JournalRepository: ...
    @property
    def journal_pushes(self) -> JournalPushRepository: ...

    # traceability
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def traces(self) -> TraceRepository: ...
    @property
    def recalls(self) -> RecallRepository: ...

    # the change feed
    @property
    def feed(self) -> FeedRepository: ...
    @property
    def followers(self) -> FollowerRepository: ...
    @property
    def availability(self) -> AvailabilityRepository: ...

    # channels
    @property
    def channels(self) -> ChannelRepository: ...
    @property
    def channel_sync(self) -> ChannelSyncRepository: ...
    # outbound webhooks
    @property
    def webhooks(self) -> WebhookRepository: ...
    # planning
    @property
    def planning(self) -> PlanningRepository: ...
    @property
    def cycle_counts(self) -> CycleCountRepository: ...
