"""The lean read path gives exactly what SQLAlchemy's rows give, type for type."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Date, Float, Integer, String, cast, func, literal, select

from onhand.adapters.db import bulk_reads
from onhand.adapters.db.tables import balances, items
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime
from onhand.bootstrap import Onhand
from tests.integration.helpers import add_item, add_place, adjust


def test_every_column_type_comes_back_as_the_typed_rows_give_it(onhand: Onhand) -> None:
    values = select(
        literal(7, Integer), literal("SKU-1", String), literal(Decimal("2.5"), ScaledDecimal),
        literal(Decimal("-1000000"), ScaledDecimal), literal(Decimal("0.000001"), ScaledDecimal),
        literal(None, ScaledDecimal), literal(date(2026, 12, 6), Date),
        literal(datetime(2026, 12, 6, 11, 30, 5, 123456, tzinfo=UTC), UtcDateTime),
        cast(literal(1.25), Float),
    )
    with onhand.reading() as uow:
        typed = [tuple(row) for row in uow.connection.execute(values).all()]
        lean = bulk_reads.rows(uow.connection, values)
    assert lean == typed == [(7, "SKU-1", Decimal("2.5"), Decimal("-1000000"), Decimal("0.000001"), None,
                              date(2026, 12, 6), datetime(2026, 12, 6, 11, 30, 5, 123456, tzinfo=UTC), 1.25)]
    assert [type(v) for v in lean[0]] == [type(v) for v in typed[0]]


def test_sums_of_stored_quantities_come_back_as_records_alike(onhand: Onhand) -> None:
    add_place(onhand, "NY")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    add_item(onhand, "W", unit="kg")
    adjust(onhand, "NY", "W", Decimal("2.25"))
    adjust(onhand, "NY-A1", "W", Decimal("3"))
    # What NY and its bin hold (the adjustments' counterpart holds the minus: the books sum to 0).
    # PostgreSQL sums bigints as numeric: the driver gives a Decimal of the scaled count.
    sums = (select(balances.c.item_id, func.sum(balances.c.on_hand), func.sum(balances.c.reserved),
                   func.count().label("rows"))
            .where(balances.c.on_hand > 0).group_by(balances.c.item_id))
    with onhand.reading() as uow:
        typed = [tuple(row) for row in uow.connection.execute(sums).all()]
        lean = bulk_reads.rows(uow.connection, sums)
        named = bulk_reads.rows(uow.connection, select(items.c.id, items.c.sku), Row._make)
    assert lean == typed
    assert lean[0][1:3] == (Decimal("5.25"), Decimal(0))
    assert named == [Row(lean[0][0], "W")]


class Row(NamedTuple):
    id: int
    sku: str
