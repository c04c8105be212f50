"""The unit of work: one database transaction with the repositories bound to it
(`SqlDatabase`, database.py, opens it; transient.py translates what fails)."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Protocol

from sqlalchemy import Connection

from onhand.adapters.db.group_turn import take_turn_now
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

    def about_to_write(self) -> None:
        take_turn_now(self.connection)
