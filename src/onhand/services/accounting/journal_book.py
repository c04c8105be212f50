"""What a business day's summary journal is made of, from the database: the book of days.

A day is *open* until it is posted: its journal is made from the moves whenever it is
asked for (the same moves give the same journal, byte for byte). Posting freezes it:
its lines are stored (the exports of a posted day are made from them, so they never
change) and so is its *basis*, the exact sums per (kind, role, item category,
location) it was made of. When what a posted day's moves are worth changes later (a
backdated posting, a re-valuation), the difference between what they say now and what
was booked appears as dated correction lines in the journal of the next open day after
it — once: posting that day books the correction too.

Only posted days after the period lock date are compared with their moves (nothing on
or before it may change); posting a day may advance the lock date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from onhand.domain.accounting.accounts import LOCATION_TRACKING, AccountRole
from onhand.domain.accounting.journal import (
    Journal,
    JournalLine,
    OpeningEntry,
    PriceVarianceEntry,
    RefundEntry,
    SaleEntry,
    ValuedEntry,
    daily_journal,
    inventory_change,
)
from onhand.domain.calendar import time_zone
from onhand.domain.money import minor_unit
from onhand.domain.valuation.cost_layers import ZERO
from onhand.domain.valuation.move_roles import MoveRole
from onhand.services.accounting.sales_revenue import day_revenue
from onhand.services.accounting.settings import account_map

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

SALE = "sale"
MOVE = "move"
# Booked against the opening balance: an opening valuation (role "opening", no move) or
# opening stock (role adjustment_in / adjustment_out: an opening import, or an adjustment
# or count with reason `opening`).
OPENING = "opening"
REFUND = "refund"  # revenue reversed by customer returns
PPV = "ppv"  # receipts kept at the order's cost, invoiced at another (purchase price variance)

# kind ("move", "sale", "refund", "opening" or "ppv"), role, item category, location id, destination id (transfers)
Key = tuple[str, str, str | None, int | None, int | None]


@dataclass(frozen=True)
class BasisRow:
    """One exact sum a journal is made of (for a correction: the change since it was booked)."""

    effective_day: date
    key: Key
    value: Decimal
    variance: Decimal

    @property
    def inventory(self) -> Decimal:
        kind, role, *_ = self.key
        if kind == OPENING and role == OPENING:
            return self.value - self.variance
        if kind not in (MOVE, OPENING):
            return ZERO
        return inventory_change(MoveRole(role), self.value, self.variance)


@dataclass(frozen=True)
class JournalView:
    day: date
    status: str  # open or posted
    posted_at: datetime | None
    journal: Journal

    @property
    def balanced(self) -> bool:
        return self.journal.debits == self.journal.credits


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC moments a business day starts and ends (its end is the next day's start)."""
    start = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
    return start, end


def _sort_key(key: Key) -> tuple[str, str, str, int, int]:
    kind, role, category, location, destination = key
    return (kind, role, category or "", location or 0, destination or 0)


class JournalBook:
    """What one unit of work knows for making journals: settings, places, posted days."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        track, self.lock_date, self.currency = uow.journals.settings()
        self.tracking = LOCATION_TRACKING if track else None
        self.zone = time_zone(uow.company.get().timezone)
        self.accounts = account_map(uow)
        self.places = {loc.id: loc.code for loc in uow.locations.all()}
        self.posted = set(uow.journals.posted_days())

    def current(self, day: date) -> dict[Key, tuple[Decimal, Decimal]]:
        """What the day's valued moves, opening valuations, shipped and returned order lines say now."""
        start, end = day_bounds(day, self.zone)
        sums: dict[Key, tuple[Decimal, Decimal]] = {}
        for r in self.uow.journals.move_sums(start, end):
            destination = int(r.destination_id) if r.destination_id is not None else None
            sums[(r.kind, r.role, r.category, int(r.location_id), destination)] = (r.value, r.variance)
        revenue = day_revenue(self.uow, start, end)
        for (category, location), amount in revenue.sales.items():
            sums[(SALE, SALE, category, location, None)] = (amount, ZERO)
        for (category, location), amount in revenue.refunds.items():
            sums[(REFUND, REFUND, category, location, None)] = (amount, ZERO)
        for r in self.uow.journals.opening_sums(start, end):
            sums[(OPENING, OPENING, r.category, int(r.location_id), None)] = (r.value, r.variance)
        for (category, location), amount in self.uow.journals.price_variance_sums(start, end).items():
            sums[(PPV, AccountRole.PURCHASE_PRICE_VARIANCE.value, category, location, None)] = (amount, ZERO)
        return sums

    def booked(self, days: Iterable[date]) -> dict[date, dict[Key, tuple[Decimal, Decimal]]]:
        found: dict[date, dict[Key, tuple[Decimal, Decimal]]] = {}
        for r in self.uow.journals.booked(days):
            key = (r.kind, r.role, r.category, r.location_id and int(r.location_id),
                   r.destination_id and int(r.destination_id))
            found.setdefault(r.effective_day, {})[key] = (r.value, r.variance)
        return found

    def corrected_days(self, day: date) -> list[date]:
        """The posted days (after the lock date) whose next open day is `day`."""
        found = []
        earlier = day - timedelta(days=1)
        while earlier in self.posted and (self.lock_date is None or earlier > self.lock_date):
            found.append(earlier)
            earlier -= timedelta(days=1)
        return sorted(found)

    def changes(self, days: list[date]) -> list[BasisRow]:
        """What each of these posted days' moves say now minus what their journals booked."""
        booked = self.booked(days)
        rows = []
        for day in days:
            now, then = self.current(day), booked.get(day, {})
            for key in sorted(set(now) | set(then), key=_sort_key):
                value_now, variance_now = now.get(key, (ZERO, ZERO))
                value_then, variance_then = then.get(key, (ZERO, ZERO))
                if value_now != value_then or variance_now != variance_then:
                    rows.append(BasisRow(day, key, value_now - value_then, variance_now - variance_then))
        return rows

    def open_basis(self, day: date) -> list[BasisRow]:
        own = [BasisRow(day, key, v, var) for key, (v, var) in sorted(self.current(day).items(),
                                                                        key=lambda e: _sort_key(e[0]))]
        return own + self.changes(self.corrected_days(day))

    def journal(self, day: date, basis: list[BasisRow]) -> Journal:
        entries, sales, openings, refunds, variances = [], [], [], [], []
        for row in basis:
            kind, role, category, location, destination = row.key
            place = self.places.get(location) if location is not None else None
            if kind == OPENING:
                value, variance = row.value, row.variance
                if role != OPENING and not MoveRole(role).is_inbound:
                    value, variance = -value, ZERO  # opening stock taken back: out of inventory
                openings.append(OpeningEntry(value, row.effective_day, day, location=place, category=category,
                                             variance=variance))
            elif kind == SALE:
                sales.append(SaleEntry(0, row.value, row.effective_day, day, location=place, category=category))
            elif kind == REFUND:
                refunds.append(RefundEntry(row.value, row.effective_day, day, location=place, category=category))
            elif kind == PPV:
                variances.append(PriceVarianceEntry(row.value, row.effective_day, day, location=place,
                                                    category=category))
            else:
                target = self.places.get(destination) if destination is not None else None
                entries.append(ValuedEntry(0, MoveRole(role), row.value, row.effective_day, day, location=place,
                                           destination=target, category=category, variance=row.variance))
        return daily_journal(day, entries, sales, openings=openings, refunds=refunds, price_variances=variances,
                             accounts=self.accounts,
                             currency=self.currency, tracking_category=self.tracking)

    def frozen(self, days: Iterable[date]) -> dict[date, tuple[Journal, datetime, Decimal]]:
        heads, lines = self.uow.journals.posted(days)
        # Amounts as the journal made them (12.00, not 12), so a posted day exports as it did open.
        cents = {h.day: minor_unit(h.currency) for h in heads}
        by_day: dict[date, list[JournalLine]] = {}
        for r in lines:
            by_day.setdefault(r.day, []).append(JournalLine(
                r.account, AccountRole(r.role), r.amount.quantize(cents[r.day]), r.description, r.effective_day,
                r.tracking_option))
        return {
            h.day: (Journal(h.day, h.currency, h.narration, h.reference, tuple(by_day.get(h.day, ())),
                            h.tracking_category), h.posted_at, h.inventory_exact)
            for h in heads
        }

    def view(self, day: date) -> JournalView:
        if day in self.posted:
            journal, posted_at, _exact = self.frozen([day])[day]
            return JournalView(day, "posted", posted_at, journal)
        return JournalView(day, "open", None, self.journal(day, self.open_basis(day)))
