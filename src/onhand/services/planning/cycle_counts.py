"""Cycle counts: ABC classes by value moved, the count plan per site, and count sessions
(open with the book frozen, count blind, review book vs counted, post, cancel).

Posting goes through the ledger's stock count (`count_in`), in the same transaction that
closes the session, so a session is posted once or not at all.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.calendar import business_day, time_zone
from onhand.domain.catalog.items import ItemKind
from onhand.domain.errors import Conflict, InvalidInput, NotFound
from onhand.domain.ledger.commands import PostStockCount, StockLine
from onhand.domain.planning.commands import CancelCountSession, OpenCountSession, PostCountSession, RecordCount
from onhand.domain.planning.cycle_counts import (
    DEFAULT_A_PERCENT,
    DEFAULT_ABC_WINDOW_DAYS,
    DEFAULT_B_PERCENT,
    AbcRow,
    CountLine,
    CountReview,
    CountSessionView,
    DueCount,
    SessionStatus,
    check_intervals,
    classify,
    is_due,
    review_line,
)
from onhand.domain.planning.demand import MAX_WINDOW_DAYS
from onhand.domain.quantities import non_negative_quantity
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.ledger.counts import count_in
from onhand.services.ledger.postings import clock_in_turn
from onhand.services.limits import check_line_count
from onhand.services.planning.rules import site as resolve_site

if TYPE_CHECKING:
    from onhand.domain.planning.records import SessionRecord
    from onhand.services.context import UnitOfWork

MAX_SESSIONS_LISTED = 500


def _abc(uow: UnitOfWork, ctx: ServiceContext, window_days: int, a_percent: Decimal, b_percent: Decimal
         ) -> list[AbcRow]:
    if isinstance(window_days, bool) or not isinstance(window_days, int) or not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise InvalidInput("window_days", f"must be a whole number of days from 1 to {MAX_WINDOW_DAYS}")
    now = ctx.now()
    values = uow.cycle_counts.value_shipped(since=now - timedelta(days=window_days), until=now)
    return classify([(sku, values.get(item_id, Decimal(0))) for item_id, sku in uow.cycle_counts.stocked_items()],
                    a_percent, b_percent)


def abc_classes(
    ctx: ServiceContext, *, window_days: int = DEFAULT_ABC_WINDOW_DAYS, a_percent: Decimal = DEFAULT_A_PERCENT,
    b_percent: Decimal = DEFAULT_B_PERCENT,
) -> list[AbcRow]:
    """Every stocked item with the cost value it shipped (net of returns) over the last
    `window_days`, its share, and its class; highest value first."""
    with ctx.reading() as uow:
        return _abc(uow, ctx, window_days, a_percent, b_percent)


def count_plan(
    ctx: ServiceContext, *, site_code: str, intervals: dict[str, int] | None = None,
    window_days: int = DEFAULT_ABC_WINDOW_DAYS, a_percent: Decimal = DEFAULT_A_PERCENT,
    b_percent: Decimal = DEFAULT_B_PERCENT,
) -> list[DueCount]:
    """The item/location pairs with stock at a site (itself and its bins) due for a count
    today: never counted by a cycle count, or last counted at least their class's interval ago."""
    days = check_intervals(intervals or {})
    with ctx.reading() as uow:
        place = resolve_site(uow, site_code)
        classes = {row.sku: row.abc_class for row in _abc(uow, ctx, window_days, a_percent, b_percent)}
        places = {loc.id: loc for loc in uow.locations.all() if place.id in loc.path}
        ids = sorted(places)
        zone = time_zone(uow.company.get().timezone)
        day = today(ctx, uow)
        last = uow.cycle_counts.last_counted(ids)
        skus = dict(uow.cycle_counts.stocked_items())
        due = []
        for item_id, location_id, _on_hand in uow.cycle_counts.stock(ids):
            sku = skus.get(item_id)
            if sku is None:
                continue
            klass = classes.get(sku, "C")
            counted = last.get((item_id, location_id))
            counted_day = None if counted is None else business_day(counted, zone)
            if is_due(counted_day, days[klass], day):
                since = None if counted_day is None else counted_day + timedelta(days=days[klass])
                due.append(DueCount(sku, places[location_id].code, klass, counted_day, since))
        order = {"A": 0, "B": 1, "C": 2}
        return sorted(due, key=lambda d: (order[d.abc_class], d.location, d.sku))


# --- sessions ---------------------------------------------------------------------------


def _subject(view: CountSessionView) -> AuditObject:
    return AuditObject("count_session", str(view.id))


def _found(uow: UnitOfWork, session_id: int, *, for_update: bool = False) -> SessionRecord:
    resolve.record_id(session_id, "session_id")
    found = uow.cycle_counts.session(session_id, for_update=for_update)
    if found is None:
        raise NotFound("count session", str(session_id), "session_id")
    return found


def _open(uow: UnitOfWork, session_id: int) -> SessionRecord:
    found = _found(uow, session_id, for_update=True)
    if found.status is not SessionStatus.OPEN:
        raise Conflict(f"session_id: count session {session_id} is {found.status.value}, no longer open")
    return found


def _load(uow: UnitOfWork, session_id: int) -> CountSessionView:
    s = _found(uow, session_id)
    lines = tuple(CountLine(line.sku, line.lot, line.counted) for line in uow.cycle_counts.lines(session_id))
    return CountSessionView(s.id, s.location, s.status, s.opened_at, s.opened_by, s.closed_at, s.posting_id, lines)


def open_session(
    ctx: ServiceContext, command: OpenCountSession, *, idempotency_key: str | None = None
) -> CountSessionView:
    """Open a count of exactly one place (a bin, or a site's own shelf without its bins),
    freezing its book per item and lot."""
    check_line_count(ctx.limits, command.skus, "skus")

    def work(uow: UnitOfWork) -> int:
        place = resolve.internal_location(uow, command.location)
        item_ids = None
        if command.skus:
            item_ids = sorted({resolve.item(uow, sku, f"skus[{i}]").id for i, sku in enumerate(command.skus)})
        frozen = {(item_id, lot_key): q for item_id, lot_key, q in uow.cycle_counts.book(place.id, item_ids)}
        for item_id in item_ids or ():
            if not any(key[0] == item_id for key in frozen):
                frozen[(item_id, 0)] = Decimal(0)  # named, none on the books: counted all the same
        if not frozen:
            raise InvalidInput("location", f"{place.code!r} holds no stock; name the skus to count there")
        lines = [(item_id, lot_key, q) for (item_id, lot_key), q in sorted(frozen.items())]
        return uow.cycle_counts.open_session(place.id, ctx.now(), ctx.actor.reference, lines)

    return run_write(ctx, work, _load, action="open_count_session", subject=_subject,
                     idempotency_key=idempotency_key, request=command)


def record_count(ctx: ServiceContext, command: RecordCount) -> CountSessionView:
    """What was found of an item (and lot); the book is not shown. An item or lot the
    session did not list is added (stock found where the books had none)."""

    def work(uow: UnitOfWork) -> int:
        session = _open(uow, command.session_id)
        item = resolve.item(uow, command.sku)
        if item.kind is ItemKind.BUNDLE:
            raise InvalidInput("sku", f"{item.sku!r} is a bundle: it has no stock of its own; count its components")
        quantity = non_negative_quantity(command.quantity, item.unit, "quantity")
        lot_key = 0
        if command.lot is not None and command.lot.strip():
            lot_key = resolve.lot(uow, item, command.lot.strip()).id
        elif item.tracks_lots:
            raise InvalidInput("lot", f"{item.sku} is tracked by {item.tracking.value}: name the lot counted")
        now = ctx.now()
        # Not listed: the books had none of it here at the freeze, so its frozen book is 0
        # and anything since is "moved since".
        uow.cycle_counts.set_count(session.id, item.id, lot_key, quantity, now, frozen_if_new=Decimal(0))
        return session.id

    return run_write(ctx, work, _load, action="record_count", subject=_subject, request=command)


def review(ctx: ServiceContext, session_id: int) -> CountReview:
    """Book vs counted: the frozen book, what moved in or out since, the book now, the count,
    and the difference that posting would adjust."""
    with ctx.reading() as uow:
        s = _found(uow, session_id)
        lines = uow.cycle_counts.lines(session_id)
        book = uow.cycle_counts.on_hand(s.location_id, [(line.item_id, line.lot_key) for line in lines])
        return CountReview(s.id, s.location, s.status, tuple(
            review_line(line.sku, line.lot, line.frozen, book.get((line.item_id, line.lot_key), Decimal(0)),
                        line.counted)
            for line in lines))


def post_session(
    ctx: ServiceContext, command: PostCountSession, *, idempotency_key: str | None = None
) -> CountSessionView:
    """Post the counts through the stock count: each counted quantity becomes on hand, so
    the adjustment is counted − (frozen book + moves since). Every line must be counted."""

    def work(uow: UnitOfWork) -> int:
        session = _open(uow, command.session_id)
        lines = uow.cycle_counts.lines(session.id)
        waiting = [line for line in lines if line.counted is None]
        if waiting:
            names = ", ".join(f"{w.sku}{'/' + w.lot if w.lot else ''}" for w in waiting[:5])
            raise InvalidInput("session_id", f"{len(waiting)} line(s) not counted yet ({names}); "
                                             "count each, 0 when none is found")
        now = clock_in_turn(ctx, uow)
        posting_id = count_in(uow, PostStockCount(
            location=session.location,
            lines=tuple(StockLine(line.sku, line.counted, lot=line.lot) for line in lines if line.counted is not None),
            reason=command.reason, reference=f"CC-{session.id}", note=command.note,
        ), now=now)
        if not uow.cycle_counts.close(session.id, SessionStatus.POSTED, now, posting_id):
            raise Conflict(f"session_id: count session {session.id} is no longer open")
        return session.id

    return run_write(ctx, work, _load, action="post_count_session", subject=_subject,
                     idempotency_key=idempotency_key, request=command)


def cancel_session(ctx: ServiceContext, command: CancelCountSession) -> CountSessionView:
    def work(uow: UnitOfWork) -> int:
        session = _open(uow, command.session_id)
        if not uow.cycle_counts.close(session.id, SessionStatus.CANCELLED, ctx.now(), None):
            raise Conflict(f"session_id: count session {session.id} is no longer open")
        return session.id

    return run_write(ctx, work, _load, action="cancel_count_session", subject=_subject, request=command)


def get_session(ctx: ServiceContext, session_id: int) -> CountSessionView:
    with ctx.reading() as uow:
        return _load(uow, session_id)


def list_sessions(ctx: ServiceContext, *, status: str | None = None) -> list[CountSessionView]:
    wanted = None
    if status is not None:
        try:
            wanted = SessionStatus(status)
        except ValueError:
            raise InvalidInput("status", "must be one of open, posted, cancelled") from None
    with ctx.reading() as uow:
        return [_load(uow, s.id) for s in uow.cycle_counts.sessions(wanted, MAX_SESSIONS_LISTED)]
