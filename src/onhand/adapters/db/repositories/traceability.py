"""Reading a lot's paths through the books, and recalls.

The lots built from a lot (forward) and the lots a lot was built from (backward) are
found by one recursive query each over `lot_genealogy`, however many build levels deep;
the documents that touched those lots are then read with their lot ids, each by an
index on its `lot_id`. Only builds are edges: a disassembly gives lots back and made
nothing of them. The statements' SQL is in trace_queries.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Date, bindparam, insert, select, text, update

from onhand.adapters.db.repositories.trace_queries import (
    ANCESTORS,
    BALANCES,
    DESCENDANTS,
    EDGES_INTO,
    LOT_COLUMNS,
    MOVE_TOTALS,
    MOVES,
    PRODUCED,
    RECEIVED,
    RETURNED,
    SENT_BACK,
    SHIPPED,
    SHIPPED_LOTS,
)
from onhand.adapters.db.sums import SQLITE_NAME
from onhand.adapters.db.tables import lots
from onhand.adapters.db.tables.traceability import recall_lots, recalls
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime


def _query(sql: str, *lists: str, **types: Any) -> Any:
    statement = text(sql).bindparams(*(bindparam(name, expanding=True) for name in lists))
    return statement.columns(**types) if types else statement


_Q = ScaledDecimal()
_T = UtcDateTime()
_D = Date()


def _statements(dialect: str) -> dict[str, Any]:
    """The statements for one dialect: SQLite sums through the exact aggregate (adapters/db/sums.py)."""

    def q(sql: str, *lists: str, **types: Any) -> Any:
        return _query(sql.replace("SUM(", f"{SQLITE_NAME}(") if dialect == "sqlite" else sql, *lists, **types)

    return {
        "descendants": q(DESCENDANTS, "origins", expiry_date=_D),
        "ancestors": q(ANCESTORS, "origins", expiry_date=_D),
        "edges": q(EDGES_INTO, "lots", quantity=_Q),
        "produced": q(PRODUCED, "lots", quantity=_Q),
        "balances": q(BALANCES, "items", "lots", on_hand=_Q, reserved=_Q),
        "shipped": q(SHIPPED, "lots", quantity=_Q, at=_T),
        "returned": q(RETURNED, "lots", quantity=_Q, at=_T),
        "received": q(RECEIVED, "lots", quantity=_Q, at=_T),
        "sent_back": q(SENT_BACK, "lots", quantity=_Q, at=_T),
        "moves": q(MOVES, "lots", quantity=_Q, at=_T),
        "move_totals": q(MOVE_TOTALS, "lots", quantity=_Q),
    }


_STATEMENTS = {dialect: _statements(dialect) for dialect in ("sqlite", "postgresql")}


class TraceRepository:
    """Rows for the traces; every method takes lot ids and answers in one statement."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._statements = _STATEMENTS[conn.dialect.name]

    def _rows(self, name: str, **params: Any) -> list[Any]:
        return list(self._conn.execute(self._statements[name], params))

    def descendants(self, origin_ids: Iterable[int]) -> list[Any]:
        """(origin_id, depth, lot and item columns) for each origin and every lot built from it."""
        return self._rows("descendants", origins=sorted(set(origin_ids)))

    def ancestors(self, lot_ids: Iterable[int]) -> list[Any]:
        """(depth, lot and item columns) for these lots and every lot they were built from."""
        return self._rows("ancestors", origins=sorted(set(lot_ids)))

    def edges_into(self, lot_ids: list[int]) -> list[Any]:
        return self._rows("edges", lots=lot_ids) if lot_ids else []

    def produced(self, lot_ids: list[int]) -> dict[int, Any]:
        return {row.lot_id: row.quantity for row in self._rows("produced", lots=lot_ids)} if lot_ids else {}

    def balances(self, item_ids: list[int], lot_ids: list[int]) -> list[Any]:
        """Non-zero balances of these lots at every location, virtual ones included."""
        return self._rows("balances", items=item_ids, lots=lot_ids) if lot_ids else []

    def shipped(self, lot_ids: list[int]) -> list[Any]:
        return self._rows("shipped", lots=lot_ids) if lot_ids else []

    def returned(self, lot_ids: list[int]) -> list[Any]:
        return self._rows("returned", lots=lot_ids) if lot_ids else []

    def received(self, lot_ids: list[int]) -> list[Any]:
        return self._rows("received", lots=lot_ids) if lot_ids else []

    def sent_back(self, lot_ids: list[int]) -> list[Any]:
        return self._rows("sent_back", lots=lot_ids) if lot_ids else []

    def moves(self, lot_ids: list[int]) -> list[Any]:
        return self._rows("moves", lots=lot_ids) if lot_ids else []

    def move_totals(self, lot_ids: list[int]) -> list[Any]:
        """(lot_id, from_location_id, to_location_id, quantity): the net of these lots' moves per pair of places."""
        return self._rows("move_totals", lots=lot_ids) if lot_ids else []

    def shipped_lot_ids(self, *, order_reference: str, line_no: int | None = None,
                        shipment_id: int | None = None) -> list[int]:
        where = "o.reference = :reference"
        params: dict[str, Any] = {"reference": order_reference}
        if line_no is not None:
            where += " AND ol.line_no = :line_no"
            params["line_no"] = line_no
        if shipment_id is not None:
            where += " AND sl.shipment_id = :shipment_id"
            params["shipment_id"] = shipment_id
        return [row[0] for row in self._conn.execute(text(SHIPPED_LOTS.format(where=where)), params)]

    def order_of_shipment(self, shipment_id: int) -> str | None:
        sql = text("SELECT o.reference FROM shipments s JOIN sales_orders o ON o.id = s.order_id WHERE s.id = :s")
        return self._conn.execute(sql, {"s": shipment_id}).scalar()

    def find_lots(self, *, code: str | None, supplier_lot: str | None, limit: int, offset: int) -> list[Any]:
        """Lots of any item by their code or the supplier's batch number."""
        query = select(lots.c.id).order_by(lots.c.code, lots.c.id).limit(limit).offset(offset)
        if code is not None:
            query = query.where(lots.c.code == code)
        if supplier_lot is not None:
            query = query.where(lots.c.supplier_lot == supplier_lot)
        return [row[0] for row in self._conn.execute(query)]

    def set_supplier_lot(self, lot_id: int, supplier_lot: str | None) -> None:
        self._conn.execute(update(lots).where(lots.c.id == lot_id).values(supplier_lot=supplier_lot))

    def lot_rows(self, lot_ids: list[int]) -> list[Any]:
        """Lot and item columns of these lots."""
        if not lot_ids:
            return []
        sql = (f"SELECT {LOT_COLUMNS} FROM lots l JOIN items i ON i.id = l.item_id "
               "WHERE l.id IN :lots ORDER BY l.code, l.id")
        return list(self._conn.execute(_query(sql, "lots", expiry_date=_D), {"lots": lot_ids}))

    def expiring(self, *, through: Any) -> list[Any]:
        """Stock on hand (at any location; the caller keeps the internal ones) of lots
        expiring on or before `through`, by expiry."""
        sql = f"""
SELECT {LOT_COLUMNS}, b.location_id, b.on_hand, b.reserved
FROM lots l JOIN items i ON i.id = l.item_id
JOIN balances b ON b.item_id = l.item_id AND b.lot_key = l.id
WHERE l.expiry_date IS NOT NULL AND l.expiry_date <= :through AND b.on_hand > 0
ORDER BY l.expiry_date, i.sku, l.code, b.location_id
"""
        statement = text(sql).bindparams(bindparam("through", type_=_D)).columns(
            on_hand=_Q, reserved=_Q, expiry_date=_D)
        return list(self._conn.execute(statement, {"through": through}))


class RecallRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, *, reference: str, status: str, note: str | None, actor: str, at: datetime) -> int:
        result = self._conn.execute(insert(recalls).values(
            reference=reference, status=status, note=note, actor=actor, created_at=at))
        return int(result.inserted_primary_key[0])

    def update(self, recall_id: int, **values: Any) -> None:
        self._conn.execute(update(recalls).where(recalls.c.id == recall_id).values(**values))

    def add_lots(self, recall_id: int, rows: list[tuple[int, str, int]]) -> None:
        self._conn.execute(insert(recall_lots), [
            {"recall_id": recall_id, "lot_id": lot_id, "previous_status": status, "depth": depth}
            for lot_id, status, depth in rows
        ])

    def id_by_reference(self, reference: str) -> int | None:
        return self._conn.execute(select(recalls.c.id).where(recalls.c.reference == reference)).scalar()

    def locked(self, recall_id: int) -> Any:
        query = select(recalls).where(recalls.c.id == recall_id).with_for_update()
        return self._conn.execute(query).first()

    def get(self, recall_id: int) -> Any:
        return self._conn.execute(select(recalls).where(recalls.c.id == recall_id)).first()

    def lots(self, recall_id: int) -> list[Any]:
        query = select(recall_lots).where(recall_lots.c.recall_id == recall_id).order_by(
            recall_lots.c.depth, recall_lots.c.lot_id)
        return list(self._conn.execute(query))

    def held_by_others(self, recall_id: int, lot_ids: list[int]) -> set[int]:
        """Of these lots, those another recall not yet released holds."""
        if not lot_ids:
            return set()
        query = (
            select(recall_lots.c.lot_id).join(recalls, recalls.c.id == recall_lots.c.recall_id)
            .where(recall_lots.c.lot_id.in_(lot_ids), recalls.c.id != recall_id, recalls.c.released_at.is_(None))
        )
        return {row[0] for row in self._conn.execute(query)}

    def list(self, *, limit: int, offset: int) -> list[int]:
        query = select(recalls.c.id).order_by(recalls.c.id.desc()).limit(limit).offset(offset)
        return [row[0] for row in self._conn.execute(query)]
