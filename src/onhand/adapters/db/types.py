"""Column types that keep numbers exact and times aware on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import operators
from sqlalchemy.sql.operators import OperatorType
from sqlalchemy.types import TypeDecorator, TypeEngine

from onhand.domain.quantities import MAX_DECIMALS, plain

_SCALE = 10**MAX_DECIMALS


def from_scaled(value: int | Decimal | None) -> Decimal | None:
    """A stored count of 10^-6 (an int; a Decimal from PostgreSQL's sum of bigints) as the quantity."""
    if value is None:
        return None
    scaled = int(value)
    if not scaled % _SCALE:  # a whole number, the common case: what plain() would give, cheaper
        return Decimal(scaled // _SCALE)
    return plain(Decimal(scaled) / _SCALE)


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as an integer count of 10^-6.

    SQLite has no exact decimal type (its NUMERIC is a float), so quantities live as
    scaled integers: exact, fast to add in SQL, and the same on every engine.
    """

    impl = BigInteger
    cache_ok = True

    class comparator_factory(TypeDecorator.Comparator[Decimal]):
        """Sums and differences of quantities are quantities (scaled alike), not bare integers."""

        def _adapt_expression(
            self, op: OperatorType, other_comparator: TypeEngine.Comparator[Any]
        ) -> tuple[OperatorType, TypeEngine[Any]]:
            if op in (operators.add, operators.sub):
                return op, self.type
            return super()._adapt_expression(op, other_comparator)

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * _SCALE
        integral = scaled.to_integral_value()
        if integral != scaled:
            raise ValueError(f"{value} has more than {MAX_DECIMALS} decimals")
        return int(integral)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        return from_scaled(value)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is needed")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
