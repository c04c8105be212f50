"""The statements that read a day's revenue for the journal: shipped and returned order
lines, and the shipments and returns of bundle components (`JournalRepository`).

Money is exact: quantity × price is summed in SQL as four partial products that fit
64 bits, grouped by the order's exchange rate, which multiplies them in Python.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, and_, bindparam, func, select, type_coerce, union

from onhand.adapters.db.sums import exact_sum
from onhand.adapters.db.tables import (
    items,
    moves,
    postings,
    return_lines,
    returns,
    sales_order_lines,
    sales_orders,
    shipment_lines,
    shipments,
    units,
)
from onhand.adapters.db.tables.valuation import move_values

_IN_RANGE = and_(postings.c.effective_at >= bindparam("start"), postings.c.effective_at < bindparam("end"))

_KIT_LINE = sales_order_lines.c.kit_line_no.is_(None)
# Orders with a known rate: every order made since 0011 (1 in the company's currency); an
# older order in another currency has none and stays out of the journal.
_RATED = sales_orders.c.exchange_rate.is_not(None)
_RATE = sales_orders.c.exchange_rate
# quantity × unit price, exactly, in SQL: both are integers of 10^-6, whose product may not
# fit 64 bits; split each into whole units and millionths and sum the four partial
# products (each sum stays far inside 64 bits): amount = S1 + (S2 + S3)/10^6 + S4/10^12.
# The sums are grouped by the order's rate, which multiplies them in Python (exact).
_SCALE = 10**6


def _product_sums(quantity: Any, price: Any) -> list[Any]:
    q, p = type_coerce(quantity, BigInteger()), type_coerce(price, BigInteger())
    qi, qf, pi, pf = q // _SCALE, q % _SCALE, p // _SCALE, p % _SCALE
    return [type_coerce(exact_sum(a * b), BigInteger()).label(name)
            for name, a, b in (("s1", qi, pi), ("s2", qi, pf), ("s3", qf, pi), ("s4", qf, pf))]


def amount(r: Any) -> Decimal:
    """The exact Σ quantity × price × rate of a row of `_product_sums` grouped by rate."""
    total = Decimal(int(r.s1)) + Decimal(int(r.s2) + int(r.s3)) / _SCALE + Decimal(int(r.s4)) / _SCALE**2
    return total * r.exchange_rate


# Shipped order lines (bundle components, priced on the bundle's line, are left out), per
# item category, location and order rate.
DAY_SALES = (
    select(items.c.category, shipment_lines.c.location_id, _RATE,
           *_product_sums(shipment_lines.c.quantity, sales_order_lines.c.unit_price))
    .join_from(shipment_lines, shipments, shipments.c.id == shipment_lines.c.shipment_id)
    .join(postings, postings.c.id == shipments.c.posting_id)
    .join(sales_order_lines, sales_order_lines.c.id == shipment_lines.c.order_line_id)
    .join(sales_orders, sales_orders.c.id == sales_order_lines.c.order_id)
    .join(items, items.c.id == sales_order_lines.c.item_id)
    .where(_IN_RANGE, _KIT_LINE, _RATED)
    .group_by(items.c.category, shipment_lines.c.location_id, _RATE)
)
# Returned order lines (not bundle components): the revenue they reverse, at the refund
# price given, else the line's price; per category, the location they came back to, rate.
DAY_RETURNS = (
    select(items.c.category, return_lines.c.location_id, _RATE,
           *_product_sums(return_lines.c.quantity,
                          func.coalesce(return_lines.c.refund_unit_price, sales_order_lines.c.unit_price)))
    .join_from(return_lines, returns, returns.c.id == return_lines.c.return_id)
    .join(postings, postings.c.id == returns.c.posting_id)
    .join(sales_order_lines, sales_order_lines.c.id == return_lines.c.order_line_id)
    .join(sales_orders, sales_orders.c.id == sales_order_lines.c.order_id)
    .join(items, items.c.id == sales_order_lines.c.item_id)
    .where(_IN_RANGE, _KIT_LINE, _RATED)
    .group_by(items.c.category, return_lines.c.location_id, _RATE)
)
# Bundles: the day's shipments and returns of bundle components name the bundle lines
# whose revenue may be due or reversed; those lines, their components and every shipment
# and return of them (up to the end of the day) are read for `kit_events` (few rows:
# only the orders of that day's bundles).
_SHIPPED_COMPONENT = (
    select(sales_order_lines.c.order_id)
    .join_from(shipment_lines, shipments, shipments.c.id == shipment_lines.c.shipment_id)
    .join(postings, postings.c.id == shipments.c.posting_id)
    .join(sales_order_lines, sales_order_lines.c.id == shipment_lines.c.order_line_id)
    .join(sales_orders, sales_orders.c.id == sales_order_lines.c.order_id)
    .where(sales_order_lines.c.kit_line_no.is_not(None), _RATED)
)
_RETURNED_COMPONENT = (
    select(sales_order_lines.c.order_id)
    .join_from(return_lines, returns, returns.c.id == return_lines.c.return_id)
    .join(postings, postings.c.id == returns.c.posting_id)
    .join(sales_order_lines, sales_order_lines.c.id == return_lines.c.order_line_id)
    .join(sales_orders, sales_orders.c.id == sales_order_lines.c.order_id)
    .where(sales_order_lines.c.kit_line_no.is_not(None), _RATED)
)
KIT_ORDERS = union(_SHIPPED_COMPONENT.where(_IN_RANGE), _RETURNED_COMPONENT.where(_IN_RANGE))
BUNDLE_LINES = (
    select(sales_order_lines.c.order_id, sales_order_lines.c.line_no, sales_order_lines.c.unit_price,
           items.c.category, units.c.decimals, _RATE)
    .join_from(sales_order_lines, items, items.c.id == sales_order_lines.c.item_id)
    .join(units, units.c.code == items.c.unit_code)
    .join(sales_orders, sales_orders.c.id == sales_order_lines.c.order_id)
    .where(sales_order_lines.c.order_id.in_(bindparam("orders", expanding=True)), items.c.kind == "bundle",
           sales_order_lines.c.kit_line_no.is_(None))
)
COMPONENT_LINES = select(
    sales_order_lines.c.order_id, sales_order_lines.c.kit_line_no, sales_order_lines.c.line_no,
    sales_order_lines.c.per_kit, sales_order_lines.c.item_id,
).where(sales_order_lines.c.order_id.in_(bindparam("orders", expanding=True)),
        sales_order_lines.c.kit_line_no.is_not(None))
COMPONENT_SHIPMENTS = _SHIPPED_COMPONENT.with_only_columns(
    sales_order_lines.c.order_id, sales_order_lines.c.kit_line_no, sales_order_lines.c.line_no,
    shipment_lines.c.quantity, shipment_lines.c.location_id, shipments.c.id.label("event_id"),
    postings.c.effective_at,
).where(sales_order_lines.c.order_id.in_(bindparam("orders", expanding=True)),
        postings.c.effective_at < bindparam("end"))
COMPONENT_RETURNS = _RETURNED_COMPONENT.with_only_columns(
    sales_order_lines.c.order_id, sales_order_lines.c.kit_line_no, sales_order_lines.c.line_no,
    return_lines.c.quantity, return_lines.c.location_id, returns.c.id.label("event_id"),
    postings.c.effective_at, return_lines.c.refund_unit_price,
).where(sales_order_lines.c.order_id.in_(bindparam("orders", expanding=True)),
        postings.c.effective_at < bindparam("end"))
# What the orders' shipments cost, per order and item (quantity and value of their
# shipment moves, effective before the end): a bundle's components share its price by
# their cost per kit (`kit_events` weights).
SHIPPED_COSTS = (
    select(shipments.c.order_id, moves.c.item_id,
           type_coerce(exact_sum(type_coerce(moves.c.quantity, BigInteger())), BigInteger()).label("quantity"),
           type_coerce(exact_sum(type_coerce(move_values.c.value, BigInteger())), BigInteger()).label("value"))
    .join_from(shipments, postings, postings.c.id == shipments.c.posting_id)
    .join(moves, moves.c.posting_id == postings.c.id)
    .join(move_values, move_values.c.move_id == moves.c.id)
    .where(shipments.c.order_id.in_(bindparam("orders", expanding=True)), postings.c.effective_at < bindparam("end"))
    .group_by(shipments.c.order_id, moves.c.item_id)
)
