"""The valuation history of items: their valued moves in effective order (with what a
re-valuation needs beside them: the layers transfers carried, the shipments a customer
return reverses, the builds consumption fed) and the stored values it rewrites.

Positions are (effective_at, move id): the order valuation applies an item's moves in.
Checkpoints of the pools and each item's newest valued move: `cost_checkpoints.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    and_,
    bindparam,
    delete,
    insert,
    literal,
    or_,
    select,
    type_coerce,
    update,
)

from onhand.adapters.db.sums import exact_sum
from onhand.adapters.db.tables import locations, moves, postings, returns, shipments
from onhand.adapters.db.tables.purchasing import receipts
from onhand.adapters.db.tables.supplier_returns import supplier_returns
from onhand.adapters.db.tables.valuation import (
    move_carried_layers,
    move_values,
)
from onhand.domain.catalog.locations import INTERNAL_KINDS
from onhand.domain.valuation.cost_layers import Layer

Position = tuple[datetime, int]
_SCALE = 10**6


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One valued move of an item's history (value, variance, basis, role None: not valued yet)."""

    id: int
    item_id: int
    lot_id: int | None
    from_location_id: int
    to_location_id: int
    quantity: Decimal
    effective_at: datetime
    role: str | None
    value: Decimal | None
    variance: Decimal | None
    basis: str | None
    unit_cost: str | None
    given_value: Decimal | None
    from_kind: str
    to_kind: str


def scaled(raw: int | None) -> Decimal | None:
    """A stored scaled integer as the Decimal `ScaledDecimal` gives (its shortest exact form)."""
    if raw is None:
        return None
    whole, rest = divmod(int(raw), _SCALE)
    if rest == 0:
        return Decimal(whole)
    return Decimal(int(raw)).scaleb(-6).normalize()


def _history_rows(result: Any) -> list[HistoryRow]:
    return [
        HistoryRow(int(r[0]), int(r[1]), None if r[2] is None else int(r[2]), int(r[3]), int(r[4]),
                   scaled(r[5]), r[6], r[7], scaled(r[8]), scaled(r[9]), r[10], r[11], scaled(r[12]), r[13], r[14])
        for r in result.all()
    ]

# Scaled numbers are read as the stored integers and turned into Decimals by `scaled`
# (a long history is tens of thousands of rows; the column type's conversion is slower).
_HISTORY_COLUMNS = (
    moves.c.id, moves.c.item_id, moves.c.lot_id, moves.c.from_location_id, moves.c.to_location_id,
    type_coerce(moves.c.quantity, BigInteger).label("quantity"), postings.c.effective_at, move_values.c.role,
    type_coerce(move_values.c.value, BigInteger).label("value"),
    type_coerce(move_values.c.variance, BigInteger).label("variance"), move_values.c.basis,
    move_values.c.unit_cost, type_coerce(move_values.c.given_value, BigInteger).label("given_value"),
)
_ADD_CARRIED = insert(move_carried_layers)
_DROP_CARRIED = delete(move_carried_layers).where(move_carried_layers.c.move_id.in_(bindparam("ids", expanding=True)))
_SET_VALUE = (
    update(move_values)
    .where(move_values.c.move_id == bindparam("b_move_id"))
    .values(value=bindparam("value"), variance=bindparam("variance"), basis=bindparam("basis"),
            given_value=bindparam("given_value"))
)
_SET_GIVEN = (
    update(move_values).where(move_values.c.move_id == bindparam("b_move_id"))
    .values(given_value=bindparam("given_value"))
)


def _after(position: Position | None) -> ColumnElement[bool]:
    if position is None:
        return literal(True)
    at, move_id = position
    return or_(postings.c.effective_at > at, and_(postings.c.effective_at == at, moves.c.id > move_id))


class ValuationHistoryRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- moves -------------------------------------------------------------------------

    def item_moves_after(self, item_id: int, position: Position | None) -> list[Any]:
        """The item's moves after `position` in effective order, with their stored values (None if not valued)."""
        query = (
            select(*_HISTORY_COLUMNS, *_KINDS)
            .select_from(_HISTORY_JOIN)
            .where(moves.c.item_id == item_id, _after(position))
            .order_by(postings.c.effective_at, moves.c.id)
        )
        return _history_rows(self._conn.execute(query))

    def moves_by_ids(self, move_ids: Iterable[int]) -> list[Any]:
        ids = sorted(set(move_ids))
        if not ids:
            return []
        query = select(*_HISTORY_COLUMNS, *_KINDS).select_from(_HISTORY_JOIN).where(moves.c.id.in_(ids))
        return _history_rows(self._conn.execute(query))

    def build_outputs_for(self, consumption_ids: Iterable[int]) -> tuple[dict[int, int], list[Any]]:
        """For build consumption moves: their postings, and those postings' output moves
        (production → internal) with their history columns and posting id."""
        ids = sorted(set(consumption_ids))
        if not ids:
            return {}, []
        postings_of = {int(r.id): int(r.posting_id) for r in self._conn.execute(
            select(moves.c.id, moves.c.posting_id).where(moves.c.id.in_(ids)))}
        query = (
            select(*_HISTORY_COLUMNS, *_KINDS)
            .select_from(_HISTORY_JOIN)
            .where(moves.c.posting_id.in_(sorted(set(postings_of.values()))), _FROM.c.kind == "production",
                   move_values.c.move_id.is_not(None))
            .order_by(moves.c.id)
        )
        rows = _history_rows(self._conn.execute(query))
        posting_of_output = {int(r.id): int(r.posting_id) for r in self._conn.execute(
            select(moves.c.id, moves.c.posting_id).where(moves.c.id.in_([row.id for row in rows])))} if rows else {}
        return postings_of, [(posting_of_output[row.id], row) for row in rows]

    def moves_until(self, at: datetime, after: Mapping[int, Position]) -> list[Any]:
        """Every valued move effective at or before `at`, after its item's checkpoint in `after`."""
        query = (
            select(*_HISTORY_COLUMNS, *_KINDS)
            .select_from(_HISTORY_JOIN)
            .where(postings.c.effective_at <= at, move_values.c.move_id.is_not(None))
            .order_by(moves.c.item_id, postings.c.effective_at, moves.c.id)
        )
        return [
            r for r in _history_rows(self._conn.execute(query))
            if r.item_id not in after or (r.effective_at, r.id) > after[r.item_id]
        ]

    def shipment_moves(self, order_id: int, item_id: int, lot_id: int | None) -> tuple[int, ...]:
        """The valued shipment moves of an order's item (and lot, if given): what a return of it reverses."""
        query = (
            select(moves.c.id)
            .select_from(moves.join(shipments, shipments.c.posting_id == moves.c.posting_id)
                         .join(move_values, move_values.c.move_id == moves.c.id))
            .where(shipments.c.order_id == order_id, moves.c.item_id == item_id)
            .order_by(moves.c.id)
        )
        if lot_id is not None:
            query = query.where(moves.c.lot_id == lot_id)
        return tuple(int(r.id) for r in self._conn.execute(query))

    def returned_shipments(self, return_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
        """For customer return moves: the valued shipment moves of their order's item (and lot)
        posted before them — what `shipment_moves` gave each when it was posted."""
        ids = sorted(set(return_ids))
        if not ids:
            return {}
        found: dict[int, list[int]] = defaultdict(list)
        for chunk in range(0, len(ids), 5000):
            for r in self._conn.execute(_RETURNED_SHIPMENTS, {"ids": ids[chunk:chunk + 5000]}):
                found[int(r.return_id)].append(int(r.shipment_id))
        return {key: tuple(value) for key, value in found.items()}

    def returned_receipts(self, return_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
        """For return-to-supplier moves: the receipt moves of their purchase order's item (and
        lot) posted before them — what `receipt_moves` gave each when it was posted."""
        ids = sorted(set(return_ids))
        found: dict[int, list[int]] = defaultdict(list)
        for chunk in range(0, len(ids), 5000):
            for r in self._conn.execute(_RETURNED_RECEIPTS, {"ids": ids[chunk:chunk + 5000]}):
                found[int(r.return_id)].append(int(r.receipt_id))
        return {key: tuple(value) for key, value in found.items()}

    def receipt_moves(self, order_id: int) -> dict[tuple[int, int | None], tuple[int, ...]]:
        """The receipt moves of a purchase order (into transit for a supplier shipment) per item and lot."""
        found: dict[tuple[int, int | None], list[int]] = defaultdict(list)
        for r in self._conn.execute(_RECEIPT_MOVES, {"order_key": order_id}):
            found[(int(r.item_id), None if r.lot_id is None else int(r.lot_id))].append(int(r.id))
        return {key: tuple(value) for key, value in found.items()}

    def carried(self, move_ids: Iterable[int]) -> dict[int, tuple[Layer, ...]]:
        ids = sorted(set(move_ids))
        found: dict[int, list[Layer]] = defaultdict(list)
        for chunk in range(0, len(ids), 5000):
            query = (
                select(move_carried_layers)
                .where(move_carried_layers.c.move_id.in_(ids[chunk:chunk + 5000]))
                .order_by(move_carried_layers.c.move_id, move_carried_layers.c.position)
            )
            for r in self._conn.execute(query):
                found[int(r.move_id)].append(Layer(r.opened_at, int(r.origin_move_id), r.quantity, r.value))
        return {key: tuple(layers) for key, layers in found.items()}

    def set_carried(self, carried: Mapping[int, tuple[Layer, ...]], *, replace: bool) -> None:
        if not carried:
            return
        if replace:
            self._conn.execute(_DROP_CARRIED, {"ids": sorted(carried)})
        rows = [
            {"move_id": move_id, "position": n, "opened_at": layer.opened_at, "origin_move_id": layer.origin,
             "quantity": layer.quantity, "value": layer.value}
            for move_id, layers in sorted(carried.items()) for n, layer in enumerate(layers)
        ]
        if rows:
            self._conn.execute(_ADD_CARRIED, rows)

    def update_values(self, rows: list[dict[str, Any]]) -> None:
        """Rewrite the value, variance, basis and given value of moves valued before."""
        if rows:
            self._conn.execute(_SET_VALUE, [{**row, "b_move_id": row.pop("move_id")} for row in rows])

    def set_given_values(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._conn.execute(_SET_GIVEN, [{"b_move_id": r["move_id"], "given_value": r["given_value"]} for r in rows])

    def lot_quantities_until(self, at: datetime) -> dict[tuple[int, int], dict[int | None, Decimal]]:
        """On hand per lot at internal locations at the moment `at`, by (item, location)."""
        found: dict[tuple[int, int], dict[int | None, Decimal]] = defaultdict(dict)
        for location_column, sign in ((moves.c.to_location_id, 1), (moves.c.from_location_id, -1)):
            query = (
                select(moves.c.item_id, location_column.label("location_id"), moves.c.lot_id,
                       exact_sum(moves.c.quantity).label("quantity"))
                .select_from(moves.join(postings, postings.c.id == moves.c.posting_id)
                             .join(locations, locations.c.id == location_column))
                .where(postings.c.effective_at <= at, moves.c.lot_id.is_not(None),
                       locations.c.kind.in_(_INTERNAL_KINDS))
                .group_by(moves.c.item_id, location_column, moves.c.lot_id)
            )
            for r in self._conn.execute(query):
                lots = found[(int(r.item_id), int(r.location_id))]
                lots[int(r.lot_id)] = lots.get(int(r.lot_id), Decimal(0)) + sign * r.quantity
        return {key: {lot: q for lot, q in lots.items() if q != 0} for key, lots in found.items()}


_FROM = locations.alias("from_location")
_TO = locations.alias("to_location")
_HISTORY_JOIN = (
    moves.join(postings, postings.c.id == moves.c.posting_id)
    .outerjoin(move_values, move_values.c.move_id == moves.c.id)
    .join(_FROM, _FROM.c.id == moves.c.from_location_id)
    .join(_TO, _TO.c.id == moves.c.to_location_id)
)
_KINDS = (_FROM.c.kind.label("from_kind"), _TO.c.kind.label("to_kind"))
_BACK, _SHIPPED = moves.alias("returned"), moves.alias("shipped")
# A return's shipments: its order's valued shipment moves of the item (and lot) before it.
_RETURNED_SHIPMENTS = (
    select(_BACK.c.id.label("return_id"), _SHIPPED.c.id.label("shipment_id"))
    .select_from(
        _BACK.join(returns, returns.c.posting_id == _BACK.c.posting_id)
        .join(shipments, shipments.c.order_id == returns.c.order_id)
        .join(_SHIPPED, and_(_SHIPPED.c.posting_id == shipments.c.posting_id, _SHIPPED.c.item_id == _BACK.c.item_id,
                             _SHIPPED.c.id < _BACK.c.id,
                             or_(_BACK.c.lot_id.is_(None), _SHIPPED.c.lot_id == _BACK.c.lot_id)))
        .join(move_values, move_values.c.move_id == _SHIPPED.c.id)
    )
    .where(_BACK.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_BACK.c.id, _SHIPPED.c.id)
)
_SENT, _RECEIVED = moves.alias("sent_back"), moves.alias("received")
# A return to supplier's receipts: its order's receipt moves of the item (and lot) before it.
_RETURNED_RECEIPTS = (
    select(_SENT.c.id.label("return_id"), _RECEIVED.c.id.label("receipt_id"))
    .select_from(
        _SENT.join(supplier_returns, supplier_returns.c.posting_id == _SENT.c.posting_id)
        .join(receipts, receipts.c.order_id == supplier_returns.c.order_id)
        .join(_RECEIVED, and_(_RECEIVED.c.posting_id == receipts.c.posting_id, _RECEIVED.c.item_id == _SENT.c.item_id,
                              _RECEIVED.c.id < _SENT.c.id,
                              or_(_SENT.c.lot_id.is_(None), _RECEIVED.c.lot_id == _SENT.c.lot_id)))
    )
    .where(_SENT.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_SENT.c.id, _RECEIVED.c.id)
)
_RECEIPT_MOVES = (
    select(moves.c.id, moves.c.item_id, moves.c.lot_id)
    .join(receipts, receipts.c.posting_id == moves.c.posting_id)
    .where(receipts.c.order_id == bindparam("order_key"))
    .order_by(moves.c.id)
)
_INTERNAL_KINDS = sorted(kind.value for kind in INTERNAL_KINDS)
