"""The statements that read a day's inventory value for the journal: valued moves summed
per role, item category and location, opening valuations, purchase price variances, the
valued moves themselves, and the inventory's value up to a moment (`JournalRepository`).
"""

from __future__ import annotations

from sqlalchemy import and_, bindparam, case, false, literal, or_, select, type_coerce

from onhand.adapters.db.sums import exact_sum
from onhand.adapters.db.tables import items, moves, postings
from onhand.adapters.db.tables.opening_values import opening_valuations, opening_values
from onhand.adapters.db.tables.purchasing import receipt_lines, receipts
from onhand.adapters.db.tables.valuation import move_values
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.ledger.postings import OPENING_REASON, PostingKind
from onhand.domain.valuation.move_roles import MoveRole

_INBOUND = sorted(role.value for role in MoveRole if role.is_inbound)
_OUTBOUND = sorted(role.value for role in MoveRole if role.is_outbound)

# The internal location whose stock a move changed: the destination of an inbound move,
# the source otherwise (a transfer's destination is its own column).
_PLACE = case((move_values.c.role.in_(_INBOUND), moves.c.to_location_id), else_=moves.c.from_location_id)
_DESTINATION = case((move_values.c.role == MoveRole.TRANSFER.value, moves.c.to_location_id), else_=None)
# The basis kind of a valued move: opening stock (an opening import, or an adjustment or
# count with reason `opening`) is booked against the opening balance ("opening"), any
# other move by its role ("move").
_OPENING_STOCK = and_(
    move_values.c.role.in_([MoveRole.ADJUSTMENT_IN.value, MoveRole.ADJUSTMENT_OUT.value]),
    or_(postings.c.kind == PostingKind.OPENING.value, postings.c.reason == OPENING_REASON),
)
_KIND = case((_OPENING_STOCK, literal("opening")), else_=literal("move"))
_IN_RANGE = and_(postings.c.effective_at >= bindparam("start"), postings.c.effective_at < bindparam("end"))
_VALUED = (
    select(postings.c.id)
    .join_from(postings, moves, moves.c.posting_id == postings.c.id)
    .join(move_values, move_values.c.move_id == moves.c.id)
    .join(items, items.c.id == moves.c.item_id)
)
DAY_SUMS = (
    _VALUED.with_only_columns(
        _KIND.label("kind"), move_values.c.role, items.c.category, _PLACE.label("location_id"),
        _DESTINATION.label("destination_id"),
        exact_sum(move_values.c.value).label("value"), exact_sum(move_values.c.variance).label("variance"),
    )
    .where(_IN_RANGE)
    .group_by(_KIND, move_values.c.role, items.c.category, _PLACE, _DESTINATION)
)
# What the inventory asset holds: value in − value out over valued moves up to a moment.
_INVENTORY_EFFECT = case(
    (move_values.c.role.in_(_INBOUND), move_values.c.value - move_values.c.variance),
    (move_values.c.role.in_(_OUTBOUND), literal(0) - move_values.c.value),
    else_=literal(0) - move_values.c.variance,
)
VALUATION_TOTAL = _VALUED.with_only_columns(type_coerce(exact_sum(_INVENTORY_EFFECT), ScaledDecimal())).where(
    postings.c.effective_at < bindparam("end")
)
# Value given by opening valuations (no move, so no move_values row): per category and location.
_OPENINGS = (
    select(opening_values)
    .join_from(opening_values, opening_valuations, opening_valuations.c.id == opening_values.c.valuation_id)
    .join(items, items.c.id == opening_values.c.item_id)
)
OPENING_SUMS = (
    _OPENINGS.with_only_columns(
        items.c.category, opening_values.c.location_id,
        exact_sum(opening_values.c.value).label("value"), exact_sum(opening_values.c.variance).label("variance"),
    )
    .where(opening_valuations.c.valued_at >= bindparam("start"), opening_valuations.c.valued_at < bindparam("end"),
           opening_values.c.via_moves == false())
    .group_by(items.c.category, opening_values.c.location_id)
)
OPENING_TOTAL = select(
    type_coerce(exact_sum(opening_values.c.value - opening_values.c.variance), ScaledDecimal())
).join_from(opening_values, opening_valuations, opening_valuations.c.id == opening_values.c.valuation_id).where(
    opening_valuations.c.valued_at < bindparam("end"), opening_values.c.via_moves == false()
)
OPENING_TIMES = (
    select(opening_valuations.c.valued_at)
    .where(opening_valuations.c.valued_at < bindparam("end"))
    .order_by(opening_valuations.c.valued_at)
)
NEXT_VALUED_TIME = (
    _VALUED.with_only_columns(postings.c.effective_at)
    .where(postings.c.effective_at >= bindparam("start"), postings.c.effective_at < bindparam("end"))
    .order_by(postings.c.effective_at)
    .limit(1)
)
# Receipt lines kept at the order's cost although invoiced at another (costing setting "variance").
PRICE_VARIANCES = (
    select(items.c.category, receipt_lines.c.location_id, receipt_lines.c.quantity, receipt_lines.c.unit_cost,
           receipt_lines.c.invoiced_unit_cost, receipts.c.exchange_rate)
    .join_from(receipt_lines, receipts, receipts.c.id == receipt_lines.c.receipt_id)
    .join(postings, postings.c.id == receipts.c.posting_id)
    .join(items, items.c.id == receipt_lines.c.item_id)
    .where(receipt_lines.c.invoiced_unit_cost.is_not(None), _IN_RANGE)
)
MOVES_OF = (
    _VALUED.with_only_columns(
        moves.c.id, postings.c.effective_at, move_values.c.role, items.c.sku, items.c.category,
        _PLACE.label("location_id"), move_values.c.value, move_values.c.variance,
    )
    .where(_IN_RANGE)
    .order_by(moves.c.id)
)
