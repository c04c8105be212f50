"""Reconciliation: the valuation total at the end of each day against the inventory asset
balance the journals built up to that day.

- valuation total: Σ value of moves into internal locations − Σ value out (less the
  variance booked to COGS), over every valued move effective up to the end of the day,
  plus the value opening valuations recorded by then left in inventory (value − variance),
  aggregated in SQL;
- journal balance: Σ inventory lines of every journal up to the day — posted ones as
  frozen, open ones as their moves make them now, corrections included;
- rounding: journal lines are rounded to the cent, the valuation is exact to 10⁻⁶; the
  journals' own rounding (lines vs the exact sums they were made of) is shown apart;
- difference: valuation total − the exact sums the journals booked. Anything but zero
  is an error, listed with the moves of the posted days whose values changed since
  (their correction lands in an open day after this one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.accounting.journal import inventory_change
from onhand.domain.calendar import business_day
from onhand.domain.money import minor_unit
from onhand.domain.valuation.cost_layers import ZERO
from onhand.domain.valuation.move_roles import MoveRole
from onhand.services.accounting.journal_book import JournalBook, day_bounds
from onhand.services.accounting.journals import day_range
from onhand.services.catalog.lots import parse_date
from onhand.services.context import ServiceContext, today

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

if TYPE_CHECKING:
    from onhand.domain.accounting.journal import Journal


@dataclass(frozen=True)
class UnbookedMove:
    """A move of a posted day whose value differs from what the day's journal booked."""

    move_id: int
    effective_at: datetime
    sku: str
    role: str
    location: str | None
    inventory_value: Decimal  # what the move does to the inventory asset now


@dataclass(frozen=True)
class ReconciliationDay:
    day: date
    valuation_total: Decimal
    journal_balance: Decimal
    rounding: Decimal
    difference: Decimal
    moves: tuple[UnbookedMove, ...]

    @property
    def reconciled(self) -> bool:
        return self.difference == 0


@dataclass(frozen=True)
class ReconciliationReport:
    currency: str
    days: tuple[ReconciliationDay, ...]

    @property
    def reconciled(self) -> bool:
        return all(day.reconciled for day in self.days)


def _inventory_lines(journal: Journal) -> Decimal:
    return sum((line.amount for line in journal.lines if line.role.value == "inventory"), ZERO)


def reconcile(
    ctx: ServiceContext, *, start: date | str | None = None, end: date | str | None = None
) -> ReconciliationReport:
    """Each day from `start` to `end` (default: yesterday): valuation total vs journal balance."""
    with ctx.reading() as uow:
        current = today(ctx, uow)
        given = parse_date(start, "from")
        yesterday = current - timedelta(days=1)
        first, last = day_range(given, end, max(given, yesterday) if given else yesterday)
        book = JournalBook(uow)
        _, last_end = day_bounds(last, book.zone)
        # The open days with journals up to `last`: days with valued moves (found one by one,
        # jumping over runs of posted days), and the days that take the corrections of posted days.
        active: set[date] = set()
        moment = uow.journals.next_valued_time(EPOCH, last_end)
        while moment is not None:
            day = business_day(moment, book.zone)
            following = day + timedelta(days=1)
            while following in book.posted:
                following += timedelta(days=1)
            if day not in book.posted:
                active.add(day)
            moment = uow.journals.next_valued_time(day_bounds(following, book.zone)[0], last_end)
        for moment in uow.journals.opening_times(last_end):  # opening valuations have no move
            if (day := business_day(moment, book.zone)) not in book.posted:
                active.add(day)
        for posted in book.posted:
            following = posted + timedelta(days=1)
            while following in book.posted:
                following += timedelta(days=1)
            active.add(following)
        open_days = sorted(d for d in active - book.posted if d <= last)
        open_sums: dict[date, tuple[Decimal, Decimal]] = {}
        for day in open_days:
            basis = book.open_basis(day)
            open_sums[day] = (_inventory_lines(book.journal(day, basis)), sum((r.inventory for r in basis), ZERO))
        places, days = book.places, []
        for n in range((last - first).days + 1):
            day = first + timedelta(days=n)
            _, end_of_day = day_bounds(day, book.zone)
            valuation = uow.journals.valuation_total(end_of_day)
            lines, exact = uow.journals.posted_inventory(day)
            for open_day, (open_lines, open_exact) in open_sums.items():
                if open_day <= day:
                    lines += open_lines
                    exact += open_exact
            difference = valuation - exact
            moves: list[UnbookedMove] = []
            if difference:
                moves = _unbooked(book, day, places)
            cents = minor_unit(book.currency)
            lines = lines.quantize(cents)
            days.append(ReconciliationDay(day, valuation, lines, (lines - exact).quantize(cents), difference,
                                          tuple(moves)))
        return ReconciliationReport(book.currency, tuple(days))


def _unbooked(book: JournalBook, day: date, places: dict[int, str]) -> list[UnbookedMove]:
    """The moves of the posted days up to `day` whose sums differ from what was booked."""
    run = []
    walk = day
    while walk in book.posted:
        run.append(walk)
        walk -= timedelta(days=1)
    found = []
    for changed in sorted({row.effective_day for row in book.changes(sorted(run))}):
        keys = {(row.key[1], row.key[2], row.key[3]) for row in book.changes([changed])}
        start, end = day_bounds(changed, book.zone)
        for r in book.uow.journals.moves_between(start, end):
            if (r.role, r.category, int(r.location_id)) in keys:
                effect = inventory_change(MoveRole(r.role), r.value, r.variance)
                found.append(UnbookedMove(int(r.id), r.effective_at, r.sku, r.role,
                                          places.get(int(r.location_id)), effect))
    return found

