"""The double-entry quantity ledger: moves, postings and their effect on balances.

A move takes a quantity of one item (and lot) from one location to another; a posting
is the set of moves that happen together, all or none. Because every move has two
sides, the balances of an item (and lot) over all locations always sum to zero.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from onhand.domain.catalog.items import Item, Tracking
from onhand.domain.catalog.locations import Location
from onhand.domain.catalog.lots import Lot
from onhand.domain.errors import InvalidInput
from onhand.domain.quantities import MAX_TOTAL_QUANTITY

REASON_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,39}$")


class Guard(StrEnum):
    """What a posting may take from a guarded location."""

    ON_HAND = "on hand"  # anything physically there (counts, losses: reality wins)
    FREE = "available"  # only what is not reserved for an order


class PostingKind(StrEnum):
    ADJUSTMENT = "adjustment"
    COUNT = "count"
    OPENING = "opening"
    RELOCATION = "relocation"
    SHIPMENT = "shipment"
    RETURN = "return"
    # supplier → internal location: takes nothing from a guarded place, so FREE is moot.
    RECEIPT = "receipt"
    # internal location → supplier: units of a received purchase order line sent back.
    SUPPLIER_RETURN = "supplier_return"
    TRANSFER_SHIP = "transfer_ship"  # source → transit
    TRANSFER_RECEIVE = "transfer_receive"  # transit → destination
    BUILD = "build"  # components location → production, output production → location
    DISASSEMBLY = "disassembly"  # the reverse: output in, components out


@dataclass(frozen=True)
class MoveLine:
    """A move about to be posted, with its item, lot and locations resolved."""

    item: Item
    source: Location
    destination: Location
    quantity: Decimal
    lot: Lot | None = None
    # What one unit is worth in company currency (valuation): a receipt's landed cost, a
    # found unit's cost. None: the engine's default for the move.
    unit_cost: Decimal | None = None
    # A build output's labour and overhead per unit, on top of what the build consumed.
    added_cost: Decimal | None = None
    # A customer return: the shipment moves it reverses; it is worth what they left with, per unit.
    # A return to supplier: the receipt moves whose units it sends back; their own layers leave first.
    returns: tuple[int, ...] = ()


@dataclass(frozen=True)
class PostingDraft:
    kind: PostingKind
    moves: tuple[MoveLine, ...]
    reason: str | None = None
    reference: str | None = None
    note: str | None = None


# (item id, location id, lot id or 0): the key of one balance row.
BalanceKey = tuple[int, int, int]


def balance_key(item_id: int, location_id: int, lot_id: int | None) -> BalanceKey:
    return (item_id, location_id, lot_id or 0)


@dataclass(frozen=True)
class Refusals:
    """Balance changes a posting could not make, with what each balance held: guarded
    decreases that fell short (`short`: on hand or free stock) and changes that would have
    left ±MAX_TOTAL_QUANTITY (`over`: on hand). Empty: every change was made."""

    short: list[tuple[BalanceKey, Decimal]] = field(default_factory=list)
    over: list[tuple[BalanceKey, Decimal]] = field(default_factory=list)


def validate_move(move: MoveLine, index: int = 0) -> None:
    """Reject a move that could never be right, whatever the stock."""
    field = f"moves[{index}]"
    if move.quantity <= 0:
        raise InvalidInput(f"{field}.quantity", f"must be greater than zero, got {move.quantity}")
    if move.quantity > MAX_TOTAL_QUANTITY:  # more than any balance may hold
        raise InvalidInput(f"{field}.quantity", f"must be at most {MAX_TOTAL_QUANTITY}, got {move.quantity}")
    if move.source.id == move.destination.id:
        raise InvalidInput(f"{field}.location", "source and destination are the same location")
    if not (move.source.is_internal or move.destination.is_internal):
        raise InvalidInput(f"{field}.location", "a move needs at least one internal location")
    item = move.item
    if not item.kind.is_stocked:
        raise InvalidInput(
            f"{field}.sku", f"item {item.sku!r} is a bundle and has no stock of its own; move its components"
        )
    if item.tracks_lots and move.lot is None:
        noun = "serial" if item.tracking is Tracking.SERIAL else "lot"
        raise InvalidInput(f"{field}.{noun}", f"item {item.sku!r} is {noun}-tracked; a {noun} is required")
    if not item.tracks_lots and move.lot is not None:
        raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is not lot-tracked; give no lot")
    if move.lot is not None and move.lot.item_id != item.id:
        raise InvalidInput(f"{field}.lot", f"lot {move.lot.code!r} belongs to another item")
    if item.tracking is Tracking.SERIAL and move.quantity != 1:
        raise InvalidInput(f"{field}.quantity", "a serial number moves one unit at a time")


def validate_posting(draft: PostingDraft) -> None:
    # A count that agrees with the books is still worth recording, with no moves.
    if not draft.moves and draft.kind is not PostingKind.COUNT:
        raise InvalidInput("moves", "a posting needs at least one move")
    for index, move in enumerate(draft.moves):
        validate_move(move, index)


def validate_reason_code(code: str, field: str = "reason") -> str:
    code = code.strip().lower()
    if not REASON_CODE_PATTERN.match(code):
        raise InvalidInput(field, f"{code!r} is not a valid reason code (a-z, 0-9, _ -)")
    return code


def balance_deltas(moves: Iterable[MoveLine]) -> dict[BalanceKey, Decimal]:
    """How each balance row changes when the moves are posted (zero deltas dropped)."""
    deltas: dict[BalanceKey, Decimal] = defaultdict(Decimal)
    for move in moves:
        lot_id = move.lot.id if move.lot else None
        deltas[balance_key(move.item.id, move.source.id, lot_id)] -= move.quantity
        deltas[balance_key(move.item.id, move.destination.id, lot_id)] += move.quantity
    return {key: delta for key, delta in deltas.items() if delta != 0}


def guard_for(kind: PostingKind) -> Guard:
    """Counts, adjustments and opening stock record what happened, so they may take
    reserved stock (the reservations then shrink); every other posting (relocations,
    shipments, builds and disassemblies) takes only free stock, so a promised unit is
    never moved, shipped or consumed for someone else."""
    if kind in (PostingKind.ADJUSTMENT, PostingKind.COUNT, PostingKind.OPENING):
        return Guard.ON_HAND
    return Guard.FREE


def must_stay_non_negative(location: Location) -> bool:
    """Internal locations may not go below zero unless configured to allow it."""
    return location.is_internal and not location.allow_negative


def adjustment_move(
    item: Item, location: Location, delta: Decimal, adjustment: Location, lot: Lot | None = None
) -> MoveLine:
    """Stock found (delta > 0) comes from the adjustment location; stock lost goes to it."""
    if delta > 0:
        return MoveLine(item, adjustment, location, delta, lot)
    return MoveLine(item, location, adjustment, -delta, lot)


def count_move(
    item: Item,
    location: Location,
    counted: Decimal,
    on_hand: Decimal,
    adjustment: Location,
    lot: Lot | None = None,
) -> MoveLine | None:
    """The move that makes `on_hand` equal to what was counted (None when they agree)."""
    difference = counted - on_hand
    if difference == 0:
        return None
    return adjustment_move(item, location, difference, adjustment, lot)


def fold(moves: Iterable[tuple[int, int, int, int | None, Decimal]]) -> dict[BalanceKey, Decimal]:
    """Balances from raw moves (item, from, to, lot, quantity): the ledger's definition."""
    totals: dict[BalanceKey, Decimal] = defaultdict(Decimal)
    for item_id, source_id, destination_id, lot_id, qty in moves:
        totals[balance_key(item_id, source_id, lot_id)] -= qty
        totals[balance_key(item_id, destination_id, lot_id)] += qty
    return {key: value for key, value in totals.items() if value != 0}


# The reason of opening stock: its value is booked against the opening balance.
OPENING_REASON = "opening"

# Reason codes every database starts with; users may add their own.
STANDARD_REASONS = (
    (OPENING_REASON, "Opening balance"),
    ("count", "Stock count difference"),
    ("damaged", "Damaged"),
    ("expired", "Expired"),
    ("lost", "Lost or stolen"),
    ("found", "Found"),
    ("correction", "Data entry correction"),
    ("sample", "Samples and giveaways"),
    ("write_off", "Written off"),
)
