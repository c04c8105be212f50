"""Transfer orders, their lines and events (shipments, receipts, write-offs), routes, and
what is in transit to each destination — always summed from the events, never a counter."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, func, insert, select, type_coerce, update

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.repositories.publishing import Publish, ignore, status_changes
from onhand.adapters.db.tables import items, locations, lots
from onhand.adapters.db.tables.transfers import (
    transfer_event_lines,
    transfer_events,
    transfer_lines,
    transfer_routes,
    transfers,
)
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.transfers.events import TransferStatusChanged
from onhand.domain.transfers.records import TransferLineRecord, TransferRecord
from onhand.domain.transfers.transfer_orders import UNDER_WAY

ZERO = Decimal(0)
SHIPMENT, RECEIPT, WRITE_OFF = "shipment", "receipt", "write_off"

_TRANSFER = bindparam("transfer_key")
_ADD = insert(transfers)
_ADD_LINE = insert(transfer_lines)
_ADD_EVENT = insert(transfer_events)
_ADD_EVENT_LINE = insert(transfer_event_lines)
_UPDATE = update(transfers).where(transfers.c.id == _TRANSFER)
_DELETE_LINES = delete(transfer_lines).where(transfer_lines.c.transfer_id == _TRANSFER)
_LOCK = select(transfers.c.id).where(transfers.c.id == _TRANSFER).with_for_update()
_GET = select(transfers).where(transfers.c.id == _TRANSFER)
_BY_REFERENCE = select(transfers).where(transfers.c.reference == bindparam("reference"))
_LINES = (
    select(transfer_lines, items.c.sku, lots.c.code.label("lot_code"))
    .join_from(transfer_lines, items, transfer_lines.c.item_id == items.c.id)
    .outerjoin(lots, transfer_lines.c.lot_id == lots.c.id)
    .where(transfer_lines.c.transfer_id == _TRANSFER)
    .order_by(transfer_lines.c.line_no)
)
_PROGRESS = (
    select(
        transfer_event_lines.c.transfer_line_id, transfer_event_lines.c.lot_id, transfer_events.c.kind,
        func.sum(transfer_event_lines.c.quantity).label("quantity"),
    )
    .join_from(transfer_event_lines, transfer_events, transfer_event_lines.c.event_id == transfer_events.c.id)
    .where(transfer_events.c.transfer_id == _TRANSFER)
    .group_by(transfer_event_lines.c.transfer_line_id, transfer_event_lines.c.lot_id, transfer_events.c.kind)
)
_EVENTS = (
    select(
        transfer_events.c.id, transfer_events.c.kind, transfer_events.c.posting_id, transfer_events.c.created_at,
        transfer_lines.c.line_no, items.c.sku, lots.c.code.label("lot"), locations.c.code.label("location"),
        transfer_event_lines.c.quantity,
    )
    .join_from(transfer_events, transfer_event_lines, transfer_event_lines.c.event_id == transfer_events.c.id)
    .join(transfer_lines, transfer_event_lines.c.transfer_line_id == transfer_lines.c.id)
    .join(items, transfer_lines.c.item_id == items.c.id)
    .join(locations, transfer_event_lines.c.location_id == locations.c.id)
    .outerjoin(lots, transfer_event_lines.c.lot_id == lots.c.id)
    .where(transfer_events.c.transfer_id == _TRANSFER)
    .order_by(transfer_events.c.id, transfer_lines.c.line_no, transfer_event_lines.c.id)
)
_LAST_ID = select(func.coalesce(func.max(transfers.c.id), 0))
# Shipped minus arrived or written off, per transfer, item and lot, of transfers under way.
_SIGNED = type_coerce(
    case(
        (transfer_events.c.kind == SHIPMENT, transfer_event_lines.c.quantity),
        else_=-transfer_event_lines.c.quantity,
    ),
    ScaledDecimal(),
)
_IN_TRANSIT = (
    select(
        transfers.c.id, transfers.c.destination_id, transfers.c.expected_date, transfer_lines.c.item_id,
        items.c.sku, transfer_event_lines.c.lot_id, lots.c.code.label("lot_code"),
        lots.c.status.label("lot_status"), lots.c.expiry_date.label("lot_expiry"),
        type_coerce(func.sum(_SIGNED), ScaledDecimal()).label("quantity"),
    )
    .join_from(transfer_event_lines, transfer_events, transfer_event_lines.c.event_id == transfer_events.c.id)
    .join(transfers, transfer_events.c.transfer_id == transfers.c.id)
    .join(transfer_lines, transfer_event_lines.c.transfer_line_id == transfer_lines.c.id)
    .join(items, transfer_lines.c.item_id == items.c.id)
    .outerjoin(lots, transfer_event_lines.c.lot_id == lots.c.id)
    .where(
        transfers.c.status.in_([status.value for status in UNDER_WAY]),
        transfers.c.destination_id.in_(bindparam("destination_ids", expanding=True)),
    )
    .group_by(
        transfers.c.id, transfers.c.destination_id, transfers.c.expected_date, transfer_lines.c.item_id,
        items.c.sku, transfer_event_lines.c.lot_id, lots.c.code, lots.c.status, lots.c.expiry_date,
    )
)
_IN_TRANSIT_OF_ITEMS = _IN_TRANSIT.where(transfer_lines.c.item_id.in_(bindparam("item_ids", expanding=True)))
# A stock read asks at every call: the hot way.
_HOT_IN_TRANSIT, _HOT_IN_TRANSIT_OF_ITEMS = Hot(_IN_TRANSIT), Hot(_IN_TRANSIT_OF_ITEMS)
_ROUTE = select(transfer_routes).where(
    transfer_routes.c.source_id == bindparam("source_key"),
    transfer_routes.c.destination_id == bindparam("destination_key"),
)
_DELETE_ROUTE = delete(transfer_routes).where(
    transfer_routes.c.source_id == bindparam("source_key"),
    transfer_routes.c.destination_id == bindparam("destination_key"),
)
_ADD_ROUTE = insert(transfer_routes)
_ROUTES = select(transfer_routes).order_by(transfer_routes.c.source_id, transfer_routes.c.destination_id)


def _transfer_or_none(row: Any) -> TransferRecord | None:
    return None if row is None else TransferRecord(**row._mapping)


class TransferRepository:
    def __init__(self, conn: Connection, publish: Publish = ignore) -> None:
        self._conn = conn
        self._publish = publish

    # --- transfers and lines -------------------------------------------------------

    def add(self, values: dict[str, Any], lines: list[dict[str, Any]]) -> int:
        transfer_id = int(self._conn.execute(_ADD, values).inserted_primary_key[0])
        self.add_lines(transfer_id, lines)
        self._publish(TransferStatusChanged(transfer_id, str(values["status"]), None))
        return transfer_id

    def add_lines(self, transfer_id: int, lines: list[dict[str, Any]]) -> None:
        if lines:
            self._conn.execute(_ADD_LINE, [{**line, "transfer_id": transfer_id} for line in lines])

    def delete_lines(self, transfer_id: int) -> None:
        self._conn.execute(_DELETE_LINES, {"transfer_key": transfer_id})

    def update(self, transfer_id: int, **values: Any) -> None:
        moved = status_changes(self._conn, transfers, [(transfer_id, values.get("status"))])
        self._conn.execute(_UPDATE, {"transfer_key": transfer_id, **values})
        for changed_id, status, previous in moved:
            self._publish(TransferStatusChanged(changed_id, status, previous))

    def lock(self, transfer_id: int) -> None:
        """Serialize writers of one transfer (PostgreSQL row lock; SQLite writers are serial)."""
        self._conn.execute(_LOCK, {"transfer_key": transfer_id})

    def get(self, transfer_id: int) -> TransferRecord | None:
        return _transfer_or_none(self._conn.execute(_GET, {"transfer_key": transfer_id}).first())

    def by_reference(self, reference: str) -> TransferRecord | None:
        return _transfer_or_none(self._conn.execute(_BY_REFERENCE, {"reference": reference}).first())

    def next_number(self) -> int:
        return int(self._conn.execute(_LAST_ID).scalar_one()) + 1

    def lines(self, transfer_id: int) -> list[TransferLineRecord]:
        return [TransferLineRecord(**row._mapping) for row in self._conn.execute(_LINES, {"transfer_key": transfer_id})]

    def list(
        self, *, status: str | None, location_ids: list[int] | None, limit: int, offset: int,
        updated_since: datetime | None = None,
    ) -> list[TransferRecord]:
        """Newest first; `location_ids`: transfers from or to any of them."""
        query = select(transfers).order_by(transfers.c.id.desc()).limit(limit).offset(offset)
        if updated_since is not None:
            query = query.where(transfers.c.updated_at >= updated_since)
        if status:
            query = query.where(transfers.c.status == status)
        if location_ids is not None:
            query = query.where(
                transfers.c.source_id.in_(location_ids) | transfers.c.destination_id.in_(location_ids)
            )
        return [TransferRecord(**row._mapping) for row in self._conn.execute(query)]

    # --- events --------------------------------------------------------------------

    def add_event(
        self, transfer_id: int, kind: str, posting_id: int, lines: list[dict[str, Any]], at: datetime
    ) -> int:
        result = self._conn.execute(
            _ADD_EVENT, {"transfer_id": transfer_id, "kind": kind, "posting_id": posting_id, "created_at": at}
        )
        event_id = int(result.inserted_primary_key[0])
        self._conn.execute(_ADD_EVENT_LINE, [{**line, "event_id": event_id} for line in lines])
        return event_id

    def progress(self, transfer_id: int) -> dict[tuple[int, int], dict[str, Decimal]]:
        """(transfer line id, lot id or 0) -> quantity per event kind."""
        totals: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(
            lambda: {SHIPMENT: ZERO, RECEIPT: ZERO, WRITE_OFF: ZERO}
        )
        for row in self._conn.execute(_PROGRESS, {"transfer_key": transfer_id}):
            totals[(row.transfer_line_id, row.lot_id or 0)][row.kind] = row.quantity
        return totals

    def events(self, transfer_id: int) -> list[Any]:
        return list(self._conn.execute(_EVENTS, {"transfer_key": transfer_id}))

    def in_transit(self, *, item_ids: list[int] | None, destination_ids: list[int]) -> list[Any]:
        """Per transfer under way, item and lot: what is still in transit (> 0 only)."""
        params: dict[str, Any] = {"destination_ids": destination_ids}
        query = _HOT_IN_TRANSIT
        if item_ids is not None:
            query, params["item_ids"] = _HOT_IN_TRANSIT_OF_ITEMS, item_ids
        return [row for row in query.rows(self._conn, params) if row.quantity > 0]

    # --- routes --------------------------------------------------------------------

    def route(self, source_id: int, destination_id: int) -> Any:
        return self._conn.execute(_ROUTE, {"source_key": source_id, "destination_key": destination_id}).first()

    def set_route(self, source_id: int, destination_id: int, transit_id: int, lead_time_days: int | None) -> None:
        self.delete_route(source_id, destination_id)
        self._conn.execute(
            _ADD_ROUTE,
            {"source_id": source_id, "destination_id": destination_id, "transit_id": transit_id,
             "lead_time_days": lead_time_days},
        )

    def delete_route(self, source_id: int, destination_id: int) -> bool:
        result = self._conn.execute(_DELETE_ROUTE, {"source_key": source_id, "destination_key": destination_id})
        return result.rowcount > 0

    def routes(self) -> list[Any]:
        return list(self._conn.execute(_ROUTES))
