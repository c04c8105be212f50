"""The snapshot planning reads: the set-based queries that gather an item's stock, open
documents, demand and supplier offers in a few statements for any number of items
(`item_ids=None`: every item); part of `PlanningRepository`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Date, Float, case, cast, func, literal, or_, select, type_coerce
from sqlalchemy.sql import Select

from onhand.adapters.db import bulk_reads
from onhand.adapters.db.tables import balances, locations, reservations, sales_order_lines, sales_orders
from onhand.adapters.db.tables.core import moves, postings
from onhand.adapters.db.tables.orders import shipment_lines
from onhand.adapters.db.tables.purchasing import (
    purchase_order_lines,
    purchase_orders,
    receipt_lines,
    supplier_prices,
    suppliers,
)
from onhand.adapters.db.tables.supplier_shipments import supplier_shipment_lines, supplier_shipments
from onhand.adapters.db.tables.transfers import transfer_event_lines, transfer_events, transfer_lines, transfers
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.orders.sales_orders import ACTIVE
from onhand.domain.planning.projection import DocumentKind
from onhand.domain.planning.records import DailyDemand, DemandSums, OpenDocument, StockAt, SupplierOffer
from onhand.domain.purchasing.purchase_orders import PurchaseOrderStatus
from onhand.domain.transfers.transfer_orders import SHIPPABLE

ZERO = Decimal(0)
# Places whose stock a site counts: the site itself and its bins (transit is its own place).
_HOLDING_KINDS = ("warehouse", "store", "3pl", "bin")
_ACTIVE_ORDERS = sorted(status.value for status in ACTIVE)
# Drafts count: a suggestion turned into a draft must not be suggested again tomorrow.
_PLANNED_PURCHASES = sorted(
    s.value for s in (PurchaseOrderStatus.DRAFT, PurchaseOrderStatus.ORDERED, PurchaseOrderStatus.PARTIALLY_RECEIVED)
)
_OPEN_TRANSFERS = sorted(status.value for status in SHIPPABLE)
_SHIPMENT = "shipment"  # transfer_events.kind of goods leaving the source


def _q(expression: Any) -> Any:
    return type_coerce(expression, ScaledDecimal())


def _items(query: Select[Any], column: Any, item_ids: list[int] | None) -> Select[Any]:
    return query if item_ids is None else query.where(column.in_(item_ids))


class PlanningSnapshot:
    _conn: Connection

    # --- what there is and what is coming --------------------------------------------

    def stock(self, *, item_ids: list[int] | None) -> list[StockAt]:
        query = (
            select(balances.c.item_id, balances.c.location_id,
                   _q(func.sum(balances.c.on_hand)), _q(func.sum(balances.c.reserved)))
            .join(locations, balances.c.location_id == locations.c.id)
            .where(locations.c.kind.in_(_HOLDING_KINDS))
            .group_by(balances.c.item_id, balances.c.location_id)
        )
        return bulk_reads.rows(self._conn, _items(query, balances.c.item_id, item_ids), StockAt._make)

    def documents(self, *, item_ids: list[int] | None) -> list[OpenDocument]:
        found: list[OpenDocument] = []
        found += self._purchases(item_ids)
        found += self._supplier_shipments(item_ids)
        found += self._transfers(item_ids)
        found += self._reservations(item_ids)
        found += self._backorders(item_ids)
        return found

    def _purchases(self, item_ids: list[int] | None) -> list[OpenDocument]:
        received = (
            select(receipt_lines.c.order_line_id, _q(func.sum(receipt_lines.c.quantity)).label("received"))
            .group_by(receipt_lines.c.order_line_id)
            .subquery()
        )
        query = (
            select(purchase_order_lines.c.item_id, purchase_orders.c.destination_id, purchase_orders.c.reference,
                   purchase_orders.c.expected_date, purchase_order_lines.c.quantity, received.c.received)
            .join_from(purchase_order_lines, purchase_orders,
                       purchase_order_lines.c.order_id == purchase_orders.c.id)
            .outerjoin(received, received.c.order_line_id == purchase_order_lines.c.id)
            .where(purchase_orders.c.status.in_(_PLANNED_PURCHASES))
        )
        out = []
        for row in self._conn.execute(_items(query, purchase_order_lines.c.item_id, item_ids)):
            still = row.quantity - (row.received or ZERO)
            if still > 0:
                out.append(OpenDocument(row.item_id, row.destination_id, DocumentKind.PURCHASE_ORDER, row.reference,
                                        row.expected_date, still))
        return out

    def _supplier_shipments(self, item_ids: list[int] | None) -> list[OpenDocument]:
        """What supplier shipments still carry, at the order's destination on the ETA: a
        receipt into transit left the order's open quantity above, the goods still come."""
        left = supplier_shipment_lines.c.quantity - supplier_shipment_lines.c.received \
            - supplier_shipment_lines.c.written_off
        query = (
            select(supplier_shipment_lines.c.item_id, purchase_orders.c.destination_id,
                   supplier_shipments.c.reference, supplier_shipments.c.eta, _q(func.sum(left)).label("quantity"))
            .join_from(supplier_shipment_lines, supplier_shipments,
                       supplier_shipment_lines.c.shipment_id == supplier_shipments.c.id)
            .join(purchase_orders, supplier_shipments.c.order_id == purchase_orders.c.id)
            .where(left > 0)
            .group_by(supplier_shipment_lines.c.item_id, purchase_orders.c.destination_id,
                      supplier_shipments.c.reference, supplier_shipments.c.eta)
        )
        return [
            OpenDocument(row.item_id, row.destination_id, DocumentKind.PURCHASE_ORDER, row.reference, row.eta,
                         row.quantity)
            for row in self._conn.execute(_items(query, supplier_shipment_lines.c.item_id, item_ids))
        ]

    def _transfers(self, item_ids: list[int] | None) -> list[OpenDocument]:
        shipped = _q(func.coalesce(func.sum(case(
            (transfer_events.c.kind == _SHIPMENT, transfer_event_lines.c.quantity), else_=0)), 0))
        arrived = _q(func.coalesce(func.sum(case(
            (transfer_events.c.kind != _SHIPMENT, transfer_event_lines.c.quantity), else_=0)), 0))
        query = (
            select(transfer_lines.c.item_id, transfers.c.source_id, transfers.c.destination_id,
                   transfers.c.reference, transfers.c.expected_date, transfer_lines.c.quantity,
                   shipped.label("shipped"), arrived.label("arrived"))
            .join_from(transfer_lines, transfers, transfer_lines.c.transfer_id == transfers.c.id)
            .outerjoin(transfer_event_lines, transfer_event_lines.c.transfer_line_id == transfer_lines.c.id)
            .outerjoin(transfer_events, transfer_event_lines.c.event_id == transfer_events.c.id)
            .where(transfers.c.status.in_(_OPEN_TRANSFERS))
            .group_by(transfer_lines.c.id, transfer_lines.c.item_id, transfers.c.source_id,
                      transfers.c.destination_id, transfers.c.reference, transfers.c.expected_date,
                      transfer_lines.c.quantity)
        )
        out = []
        for row in self._conn.execute(_items(query, transfer_lines.c.item_id, item_ids)):
            to_ship = row.quantity - row.shipped
            to_arrive = row.quantity - row.arrived
            if to_ship > 0:
                out.append(OpenDocument(row.item_id, row.source_id, DocumentKind.TRANSFER_OUT, row.reference,
                                        None, -to_ship))
            if to_arrive > 0:
                out.append(OpenDocument(row.item_id, row.destination_id, DocumentKind.TRANSFER_IN, row.reference,
                                        row.expected_date, to_arrive))
        return out

    def _reservations(self, item_ids: list[int] | None) -> list[OpenDocument]:
        query = (
            select(reservations.c.item_id, reservations.c.location_id, sales_orders.c.reference,
                   sales_orders.c.requested_ship_date, _q(func.sum(reservations.c.quantity)).label("quantity"))
            .join_from(reservations, sales_order_lines, reservations.c.order_line_id == sales_order_lines.c.id)
            .join(sales_orders, sales_order_lines.c.order_id == sales_orders.c.id)
            .where(sales_orders.c.status.in_(_ACTIVE_ORDERS), reservations.c.quantity > 0)
            .group_by(reservations.c.item_id, reservations.c.location_id, sales_orders.c.reference,
                      sales_orders.c.requested_ship_date)
        )
        return [
            OpenDocument(row.item_id, row.location_id, DocumentKind.RESERVATION, row.reference,
                         row.requested_ship_date, -row.quantity)
            for row in self._conn.execute(_items(query, reservations.c.item_id, item_ids))
        ]

    def _backorders(self, item_ids: list[int] | None) -> list[OpenDocument]:
        held = (
            select(reservations.c.order_line_id, _q(func.sum(reservations.c.quantity)).label("held"))
            .group_by(reservations.c.order_line_id).subquery()
        )
        sent = (
            select(shipment_lines.c.order_line_id, _q(func.sum(shipment_lines.c.quantity)).label("sent"))
            .group_by(shipment_lines.c.order_line_id).subquery()
        )
        query = (
            select(sales_order_lines.c.item_id, sales_order_lines.c.location_id, sales_orders.c.reference,
                   sales_orders.c.requested_ship_date, sales_order_lines.c.quantity, held.c.held, sent.c.sent)
            .join_from(sales_order_lines, sales_orders, sales_order_lines.c.order_id == sales_orders.c.id)
            .outerjoin(held, held.c.order_line_id == sales_order_lines.c.id)
            .outerjoin(sent, sent.c.order_line_id == sales_order_lines.c.id)
            .where(sales_orders.c.status.in_(_ACTIVE_ORDERS), sales_order_lines.c.location_id.is_not(None))
        )
        out = []
        for row in self._conn.execute(_items(query, sales_order_lines.c.item_id, item_ids)):
            waiting = row.quantity - (row.held or ZERO) - (row.sent or ZERO)
            if waiting > 0:
                out.append(OpenDocument(row.item_id, row.location_id, DocumentKind.BACKORDER, row.reference,
                                        row.requested_ship_date, -waiting))
        return out

    # --- demand ----------------------------------------------------------------------

    def demand(
        self, *, item_ids: list[int] | None, since: datetime, until: datetime, utc_offset_minutes: int,
        sites: dict[int, int],
    ) -> list[DemandSums]:
        """Net shipments per item and site (`sites`: location → its site; others are left out)."""
        if not sites:
            return []
        daily_q = self._daily(item_ids, since, until, utc_offset_minutes, sites).subquery()
        # The squares are a statistic, not a book: a float keeps them from overflowing 64 bits.
        units = cast(daily_q.c.q, Float) / literal(1_000_000.0)
        query = select(
            daily_q.c.item_id, daily_q.c.location_id, _q(func.sum(daily_q.c.q)), func.sum(units * units),
        ).group_by(daily_q.c.item_id, daily_q.c.location_id)
        # A quarter-year of daily sums (900,000 groups at PL1's scale) overflows PostgreSQL's
        # hash table in work_mem and spills in 65 batches; sorted once, both levels group in
        # order: 2.05 s -> 1.6 s.
        with self._planned(enable_hashagg="off"):
            rows = bulk_reads.rows(self._conn, query)
        return [DemandSums(row[0], row[1], row[2], Decimal(repr(float(row[3] or 0.0)))) for row in rows]

    @contextmanager
    def _planned(self, **settings: str) -> Iterator[None]:
        """PostgreSQL planner settings for the demand statements only, put back after.
        Always a custom plan: psycopg prepares a statement run five times, and PostgreSQL's
        generic plan of the window read (its dates and items unknown) took one projection
        from 13 ms to 42 ms."""
        if self._conn.dialect.name != "postgresql":
            yield
            return
        settings = {"plan_cache_mode": "force_custom_plan", **settings}
        names = sorted(settings)
        # set_config(…, is_local) is SET LOCAL, all in one round trip; then back to the
        # session's values (Onhand sets none of its own: only SET LOCAL). Not after a failed
        # statement: its transaction (or savepoint) is aborted, and rolling it back undoes them.
        self._conn.execute(select(*(func.set_config(name, settings[name], True) for name in names)))
        yield
        for name in names:
            self._conn.exec_driver_sql(f"SET LOCAL {name} TO DEFAULT")

    def daily_demand(
        self, *, item_ids: list[int] | None, since: datetime, until: datetime, utc_offset_minutes: int,
        sites: dict[int, int],
    ) -> list[DailyDemand]:
        """Net shipments per item, site and day (the company's day: `utc_offset_minutes`)."""
        if not sites:
            return []
        daily_q = self._daily(item_ids, since, until, utc_offset_minutes, sites).subquery()
        query = select(daily_q.c.item_id, daily_q.c.location_id, daily_q.c.day, _q(daily_q.c.q))
        with self._planned():
            rows = self._conn.execute(query).all()
        return [
            DailyDemand(row[0], row[1], row[2] if isinstance(row[2], date) else date.fromisoformat(row[2]), row[3])
            for row in rows
        ]

    def _daily(
        self, item_ids: list[int] | None, since: datetime, until: datetime, utc_offset_minutes: int,
        sites: dict[int, int],
    ) -> Select[Any]:
        customer = select(locations.c.id).where(locations.c.kind == "customer").scalar_subquery()
        out = moves.c.to_location_id == customer
        if self._conn.dialect.name == "sqlite":
            day = func.date(postings.c.effective_at, f"{utc_offset_minutes:+d} minutes")
        else:
            day = cast(postings.c.effective_at + func.make_interval(0, 0, 0, 0, 0, utc_offset_minutes), Date)
        # The window's postings with their company day, computed once per posting rather than
        # once per move (a posting holds many): a quarter-year of shipments read in about half
        # the time on SQLite. Kept apart (MATERIALIZED) so that the day is not folded back in.
        window = (
            select(postings.c.id, day.label("day"))
            .where(postings.c.effective_at >= since, postings.c.effective_at < until)
            .cte("window_postings")
        )
        if self._materializes():
            window = window.prefix_with("MATERIALIZED")
        # The internal side of the move, mapped to its site here so that a site's bins add
        # into one daily sum before it is squared.
        place = case(sites, value=case((out, moves.c.from_location_id), else_=moves.c.to_location_id))
        signed = case((out, moves.c.quantity), else_=-moves.c.quantity)
        daily = (
            select(moves.c.item_id, place.label("location_id"), window.c.day, func.sum(signed).label("q"))
            .join_from(window, moves, moves.c.posting_id == window.c.id)
            .where(or_(out, moves.c.from_location_id == customer), place.is_not(None))
            .group_by(moves.c.item_id, place, window.c.day)
        )
        return _items(daily, moves.c.item_id, item_ids)

    def _materializes(self) -> bool:
        """Whether the database takes `AS MATERIALIZED` (PostgreSQL 12, SQLite 3.35 and later)."""
        if self._conn.dialect.name != "sqlite":
            return True
        return tuple(self._conn.dialect.dbapi.sqlite_version_info) >= (3, 35, 0)

    # --- suppliers -------------------------------------------------------------------

    def offers(self, *, item_ids: list[int] | None) -> list[SupplierOffer]:
        query = (
            select(supplier_prices.c.item_id, suppliers.c.id, suppliers.c.code, suppliers.c.currency,
                   suppliers.c.lead_time_days, supplier_prices.c.unit_cost, supplier_prices.c.min_order_quantity,
                   supplier_prices.c.pack_size)
            .join_from(supplier_prices, suppliers, supplier_prices.c.supplier_id == suppliers.c.id)
            .order_by(supplier_prices.c.item_id, supplier_prices.c.unit_cost, suppliers.c.code)
        )
        return bulk_reads.rows(self._conn, _items(query, supplier_prices.c.item_id, item_ids), SupplierOffer._make)
