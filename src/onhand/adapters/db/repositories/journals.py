"""The accounting feed: account codes, the sums a day's journal is made of, posted journals.

A day's sums are aggregated in SQL (GROUP BY role, item category and location), never
per move in Python: a day may hold a hundred thousand moves. The statements that read
them are in inventory_value_queries.py and revenue_queries.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from onhand.adapters.db.repositories.inventory_value_queries import (
    DAY_SUMS,
    MOVES_OF,
    NEXT_VALUED_TIME,
    OPENING_SUMS,
    OPENING_TIMES,
    OPENING_TOTAL,
    PRICE_VARIANCES,
    VALUATION_TOTAL,
)
from onhand.adapters.db.repositories.revenue_queries import (
    BUNDLE_LINES,
    COMPONENT_LINES,
    COMPONENT_RETURNS,
    COMPONENT_SHIPMENTS,
    DAY_RETURNS,
    DAY_SALES,
    KIT_ORDERS,
    SHIPPED_COSTS,
    amount,
)
from onhand.adapters.db.sums import exact_sum
from onhand.adapters.db.tables import (
    company,
)
from onhand.adapters.db.tables.accounting import (
    account_codes,
    chart_accounts,
    journal_basis,
    journal_days,
    journal_lines,
)
from onhand.domain.accounting.records import (
    BookedSum,
)
from onhand.domain.valuation.cost_layers import ZERO

_CHUNK = 500
# Summed in Python: a row's exact value may have more decimals than SQL sums keep.
_BOOKED = (
    select(
        journal_basis.c.effective_day, journal_basis.c.kind, journal_basis.c.role, journal_basis.c.category,
        journal_basis.c.location_id, journal_basis.c.destination_id,
        journal_basis.c.value, journal_basis.c.value_exact, journal_basis.c.variance,
    )
    .where(journal_basis.c.effective_day.in_(bindparam("days", expanding=True)))
    .order_by(journal_basis.c.id)
)
_VALUE_STEP = Decimal("0.000001")


_POSTED_DAYS = select(journal_days.c.day).order_by(journal_days.c.day)
_POSTED_HEADS = select(journal_days).where(journal_days.c.day.in_(bindparam("days", expanding=True)))
_POSTED_LINES = (
    select(journal_lines)
    .where(journal_lines.c.day.in_(bindparam("days", expanding=True)))
    .order_by(journal_lines.c.day, journal_lines.c.line_no)
)
_POSTED_INVENTORY = select(
    func.count(journal_days.c.day), exact_sum(journal_days.c.inventory_exact)
).where(journal_days.c.day <= bindparam("day"))
_POSTED_INVENTORY_LINES = select(exact_sum(journal_lines.c.amount)).where(
    journal_lines.c.day <= bindparam("day"), journal_lines.c.role == "inventory"
)
_CODES = select(account_codes).order_by(account_codes.c.category, account_codes.c.role)
_SETTINGS = select(company.c.track_locations, company.c.lock_date, company.c.currency).where(company.c.id == 1)
_OPTIONS = select(company.c.accounting_target, company.c.accounting_region, company.c.export_tax_rate,
                  company.c.export_date_format).where(company.c.id == 1)
_CHART = select(chart_accounts).order_by(chart_accounts.c.id)


class JournalRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # Settings ------------------------------------------------------------------

    def account_codes(self) -> dict[str, dict[str, str]]:
        """Codes per category ("" = the defaults) and role, as stored (empty: none set)."""
        found: dict[str, dict[str, str]] = {}
        for r in self._conn.execute(_CODES):
            found.setdefault(r.category, {})[r.role] = r.code
        return found

    def replace_account_codes(self, codes: Mapping[str, Mapping[str, str]]) -> None:
        self._conn.execute(delete(account_codes))
        rows = [{"category": c, "role": r, "code": code} for c, by_role in codes.items() for r, code in by_role.items()]
        if rows:
            self._conn.execute(insert(account_codes), rows)

    def settings(self) -> tuple[bool, date | None, str]:
        """Whether lines are split per location, the period lock date, the company currency."""
        row = self._conn.execute(_SETTINGS).one()
        return bool(row.track_locations), row.lock_date, row.currency

    def save_settings(self, *, track_locations: bool, lock_date: date | None) -> None:
        self._conn.execute(
            update(company).where(company.c.id == 1).values(track_locations=track_locations, lock_date=lock_date)
        )

    def options(self) -> Any:
        """The accounting system, region, and the Xero CSV's tax rate and date format (None: the region's)."""
        return self._conn.execute(_OPTIONS).one()

    def save_options(self, values: Mapping[str, str | None]) -> None:
        """`accounting_target`, `accounting_region`, `export_tax_rate`, `export_date_format` as given."""
        if values:
            self._conn.execute(update(company).where(company.c.id == 1).values(**values))

    def chart(self) -> list[Any]:
        """The loaded chart of accounts, in the order it was loaded (empty: none loaded)."""
        return list(self._conn.execute(_CHART))

    def replace_chart(self, rows: list[Mapping[str, Any]]) -> None:
        self._conn.execute(delete(chart_accounts))
        if rows:
            self._conn.execute(insert(chart_accounts), rows)

    # A day's sums --------------------------------------------------------------

    def move_sums(self, start: datetime, end: datetime) -> list[Any]:
        """Valued moves effective in [start, end), summed per role, category, location, destination."""
        return list(self._conn.execute(DAY_SUMS, {"start": start, "end": end}))

    def sale_sums(self, start: datetime, end: datetime) -> dict[tuple[str | None, int], Decimal]:
        """Revenue of order lines shipped in [start, end), in company currency, per category
        and location (exact)."""
        return self._revenue(DAY_SALES, start, end)

    def return_sums(self, start: datetime, end: datetime) -> dict[tuple[str | None, int], Decimal]:
        """Revenue reversed by order lines returned in [start, end), in company currency, per
        category and the location they came back to (exact)."""
        return self._revenue(DAY_RETURNS, start, end)

    def _revenue(self, query: Any, start: datetime, end: datetime) -> dict[tuple[str | None, int], Decimal]:
        found: dict[tuple[str | None, int], Decimal] = {}
        for r in self._conn.execute(query, {"start": start, "end": end}):
            key = (r.category, int(r.location_id))
            found[key] = found.get(key, ZERO) + amount(r)
        return found

    def opening_sums(self, start: datetime, end: datetime) -> list[Any]:
        """Opening valuations recorded in [start, end): value and variance per category and location."""
        return list(self._conn.execute(OPENING_SUMS, {"start": start, "end": end}))

    def price_variance_sums(self, start: datetime, end: datetime) -> dict[tuple[str | None, int], Decimal]:
        """Σ quantity × (invoiced − ordered unit cost) × rate of the receipts effective in [start, end)
        kept at the order's cost, per category and location, exactly (few lines: summed here)."""
        sums: dict[tuple[str | None, int], Decimal] = {}
        for r in self._conn.execute(PRICE_VARIANCES, {"start": start, "end": end}):
            key = (r.category, int(r.location_id))
            amount = r.quantity * (r.invoiced_unit_cost - r.unit_cost) * r.exchange_rate
            sums[key] = sums.get(key, ZERO) + amount
        return sums

    def opening_times(self, end: datetime) -> list[datetime]:
        """When each opening valuation before `end` was recorded (a handful: one per go-live)."""
        return [r.valued_at for r in self._conn.execute(OPENING_TIMES, {"end": end})]

    def kit_sales(
        self, start: datetime, end: datetime
    ) -> tuple[list[Any], list[Any], list[Any], list[Any], dict[tuple[int, int], Decimal]]:
        """For the orders whose bundle components shipped or came back in [start, end): their
        bundle lines (price, category, unit decimals, order rate), component lines (per_kit,
        item), every component shipment and return effective before `end`, and the unit
        cost their shipments carried per (order, item)."""
        orders = sorted(int(r.order_id) for r in self._conn.execute(KIT_ORDERS, {"start": start, "end": end}))
        bundles: list[Any] = []
        parts: list[Any] = []
        shipped: list[Any] = []
        returned: list[Any] = []
        unit_costs: dict[tuple[int, int], Decimal] = {}
        for first in range(0, len(orders), _CHUNK):
            chunk = {"orders": orders[first:first + _CHUNK]}
            bundles += self._conn.execute(BUNDLE_LINES, chunk)
            parts += self._conn.execute(COMPONENT_LINES, chunk)
            shipped += self._conn.execute(COMPONENT_SHIPMENTS, {**chunk, "end": end})
            returned += self._conn.execute(COMPONENT_RETURNS, {**chunk, "end": end})
            for r in self._conn.execute(SHIPPED_COSTS, {**chunk, "end": end}):
                quantity, value = int(r.quantity), int(r.value)
                if quantity:  # scaled integers: their ratio is the cost of one unit
                    unit_costs[(int(r.order_id), int(r.item_id))] = abs(Decimal(value) / Decimal(quantity))
        return bundles, parts, shipped, returned, unit_costs

    def moves_between(self, start: datetime, end: datetime) -> list[Any]:
        return list(self._conn.execute(MOVES_OF, {"start": start, "end": end}))

    def valuation_total(self, end: datetime) -> Decimal:
        """Σ value into internal locations − Σ value out, over valued moves effective before `end`,
        plus what opening valuations recorded before `end` left in inventory (value − variance)."""
        total = self._conn.execute(VALUATION_TOTAL, {"end": end}).scalar()
        opening = self._conn.execute(OPENING_TOTAL, {"end": end}).scalar()
        return (ZERO if total is None else Decimal(total)) + (ZERO if opening is None else Decimal(opening))

    def next_valued_time(self, start: datetime, end: datetime) -> datetime | None:
        """The first moment in [start, end) a valued move is effective (walks the index, stops at one)."""
        return self._conn.execute(NEXT_VALUED_TIME, {"start": start, "end": end}).scalar()

    # Posted journals -----------------------------------------------------------

    def posted_days(self) -> list[date]:
        return [r.day for r in self._conn.execute(_POSTED_DAYS)]

    def booked(self, effective_days: Iterable[date]) -> list[BookedSum]:
        """What posted journals booked for these effective days, summed per key (exactly)."""
        days = sorted(set(effective_days))
        if not days:
            return []
        sums: dict[tuple[Any, ...], tuple[Decimal, Decimal]] = {}
        for r in self._conn.execute(_BOOKED, {"days": days}):
            key = (r.effective_day, r.kind, r.role, r.category, r.location_id, r.destination_id)
            value = Decimal(r.value_exact) if r.value_exact is not None else r.value
            before = sums.get(key, (ZERO, ZERO))
            sums[key] = (before[0] + value, before[1] + r.variance)
        return [BookedSum(*key, value, variance) for key, (value, variance) in sums.items()]

    def posted(self, days: Iterable[date]) -> tuple[list[Any], list[Any]]:
        wanted = sorted(set(days))
        if not wanted:
            return [], []
        heads = list(self._conn.execute(_POSTED_HEADS, {"days": wanted}))
        return heads, list(self._conn.execute(_POSTED_LINES, {"days": wanted}))

    def posted_inventory(self, day: date) -> tuple[Decimal, Decimal]:
        """Σ inventory lines and Σ exact inventory change of the journals posted up to `day`."""
        _count, exact = self._conn.execute(_POSTED_INVENTORY, {"day": day}).one()
        lines = self._conn.execute(_POSTED_INVENTORY_LINES, {"day": day}).scalar()
        return (ZERO if lines is None else Decimal(lines), ZERO if exact is None else Decimal(exact))

    def save_posted(
        self, head: Mapping[str, Any], lines: list[Mapping[str, Any]], basis: list[Mapping[str, Any]]
    ) -> None:
        self._conn.execute(insert(journal_days), [dict(head)])
        if lines:
            self._conn.execute(insert(journal_lines), [dict(line) for line in lines])
        if basis:
            self._conn.execute(insert(journal_basis), [_stored(row) for row in basis])


def _stored(row: Mapping[str, Any]) -> dict[str, Any]:
    """A basis row as stored: a value finer than 10^-6 is kept whole as text beside its rounding."""
    value = row["value"]
    rounded = value.quantize(_VALUE_STEP, rounding=ROUND_HALF_EVEN)
    return {**row, "value": rounded, "value_exact": None if rounded == value else str(value)}
