"""Alerts: low stock, projected stock-out within the lead time, lots expiring soon,
backorders waiting — a list, and events on the change feed.

`scan_alerts` compares what is true now with the alerts still open (`planning_alerts`):
a new condition is raised once (`alert.raised`), one that no longer holds is cleared
(`alert.cleared`), one that still holds is left alone; so a daily scan (or one after every
posting) reports changes, not the same list every morning.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.errors import InvalidInput
from onhand.domain.planning.commands import ScanAlerts
from onhand.domain.planning.events import AlertCleared, AlertRaised
from onhand.domain.planning.projection import DocumentKind
from onhand.domain.planning.views import Alert, AlertScan
from onhand.domain.quantities import plain
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.planning import snapshot
from onhand.services.planning.plans import plan

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)
MAX_EXPIRY_DAYS = 3650
KINDS = ("low_stock", "stock_out", "expiring_lot", "backorder")


@dataclass(frozen=True)
class _Found:
    key: str
    kind: str
    item_id: int
    site_id: int
    lot_id: int | None
    quantity: Decimal
    day: date | None
    message: str


def _conditions(ctx: ServiceContext, uow: UnitOfWork, expiry_days: int) -> dict[str, _Found]:
    day = today(ctx, uow)
    snap = snapshot.load(uow, today=day, now=ctx.now(), item_ids=None)
    found: dict[str, _Found] = {}

    def add(kind: str, item_id: int, site_id: int, lot_id: int | None, quantity: Decimal, when: date | None,
            message: str) -> None:
        key = f"{kind}:{item_id}:{site_id}" + (f":{lot_id}" if lot_id is not None else "")
        found[key] = _Found(key, kind, item_id, site_id, lot_id, quantity, when, message)

    for key in sorted(snap.rules):
        planned = plan(snap, key, {})
        sku, site = snap.items[key[0]].sku, snap.sites[key[1]].code
        if planned.available_now < planned.point:
            add("low_stock", *key, None, planned.available_now, day,
                f"{sku} at {site}: {plain(planned.available_now)} available, below minimum {plain(planned.point)}")
        out = planned.projection(snap, planned.lead_time_days + 1).first_stock_out
        if out is not None:
            add("stock_out", *key, None, planned.demand.average, out,
                f"{sku} at {site}: runs out on {out.isoformat()}, within the lead time of "
                f"{planned.lead_time_days} days")
    to_site = snapshot.site_map(uow.locations.by_id())
    waiting: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for doc in uow.planning.documents(item_ids=None):
        if doc.kind is DocumentKind.BACKORDER and doc.location_id in to_site:
            waiting[(doc.item_id, to_site[doc.location_id])] -= doc.quantity
    skus = {i.id: i.sku for i in uow.items.by_ids(sorted({k[0] for k in waiting})).values()} if waiting else {}
    places = uow.locations.by_id()
    for (item_id, site_id), quantity in sorted(waiting.items()):
        add("backorder", item_id, site_id, None, quantity, None,
            f"{skus[item_id]} at {places[site_id].code}: {plain(quantity)} on backorder")
    expiring: dict[tuple[int, int, int], Decimal] = defaultdict(lambda: ZERO)
    lots: dict[int, tuple[str, str, date]] = {}
    for row in uow.traces.expiring(through=day + timedelta(days=expiry_days)):
        site_id = to_site.get(row.location_id)
        if site_id is not None:
            expiring[(row.item_id, site_id, row.lot_id)] += row.on_hand
            lots[row.lot_id] = (row.sku, row.lot_code, row.expiry_date)
    for (item_id, site_id, lot_id), quantity in sorted(expiring.items()):
        sku, code, expiry = lots[lot_id]
        add("expiring_lot", item_id, site_id, lot_id, quantity, expiry,
            f"{sku} lot {code} at {places[site_id].code}: {plain(quantity)} expiring {expiry.isoformat()}")
    return found


def scan_alerts(
    ctx: ServiceContext, command: ScanAlerts, *, idempotency_key: str | None = None
) -> AlertScan:
    """Raise the alerts that became true and clear those that no longer are (see module)."""
    days = command.expiry_days
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_EXPIRY_DAYS:
        raise InvalidInput("expiry_days", f"must be a whole number from 0 to {MAX_EXPIRY_DAYS}")
    outcome: dict[str, AlertScan] = {}

    def work(uow: UnitOfWork) -> int:
        now = ctx.now()
        found = _conditions(ctx, uow, days)
        open_alerts = {a.key: a for a in uow.planning.open_alerts()}
        gone = [a for key, a in open_alerts.items() if key not in found]
        uow.planning.clear_alerts([a.key for a in gone], now)
        for a in gone:
            uow.publish(AlertCleared(a.key, a.kind, a.item_id, a.location_id, a.lot_id))
        new = [f for key, f in found.items() if key not in open_alerts]
        for f in new:
            uow.planning.raise_alert(key=f.key, kind=f.kind, item_id=f.item_id, location_id=f.site_id,
                                     lot_id=f.lot_id, quantity=f.quantity, day=f.day, message=f.message, at=now)
            uow.publish(AlertRaised(f.key, f.kind, f.item_id, f.site_id, f.lot_id, f.quantity, f.message))
        outcome["scan"] = AlertScan(raised=tuple(_alert(uow, f) for f in new), cleared=tuple(a.key for a in gone),
                                    open=len(found), at=now)
        return len(new)

    def load(uow: UnitOfWork, _raised: int) -> AlertScan:
        if "scan" in outcome:
            return outcome["scan"]
        # A repeat of an idempotency key already used: the scan is not run again, so it
        # raises and clears nothing; what is open is as now.
        return AlertScan(raised=(), cleared=(), open=len(uow.planning.open_alerts()), at=ctx.now())

    return run_write(ctx, work, load, action="scan_alerts",
                     subject=lambda _scan: AuditObject("planning_alerts", "scan"),
                     idempotency_key=idempotency_key, request=command)


def _alert(uow: UnitOfWork, f: _Found) -> Alert:
    places = uow.locations.by_id()
    item = uow.items.get(f.item_id)
    lot = uow.lots.by_ids([f.lot_id]).get(f.lot_id) if f.lot_id is not None else None
    return Alert(kind=f.kind, sku=item.sku if item else str(f.item_id), site=places[f.site_id].code,
                 message=f.message, quantity=f.quantity, day=f.day, lot=lot.code if lot else None)


def list_alerts(ctx: ServiceContext, *, kind: str | None = None) -> list[Alert]:
    """The alerts open now (as the last scan left them), oldest first."""
    if kind is not None and kind not in KINDS:
        raise InvalidInput("kind", f"must be one of {', '.join(KINDS)}")
    with ctx.reading() as uow:
        places = uow.locations.by_id()
        rows = [a for a in uow.planning.open_alerts() if kind is None or a.kind == kind]
        items = uow.items.by_ids(sorted({a.item_id for a in rows})) if rows else {}
        lots = uow.lots.by_ids(sorted({a.lot_id for a in rows if a.lot_id is not None}))
        return [
            Alert(kind=a.kind, sku=items[a.item_id].sku, site=places[a.location_id].code, message=a.message,
                  quantity=a.quantity, day=a.day, lot=lots[a.lot_id].code if a.lot_id is not None else None)
            for a in rows
        ]


def low_stock(ctx: ServiceContext) -> list[Alert]:
    """The open low-stock alerts: what the dashboard's "low stock" panel shows."""
    return list_alerts(ctx, kind="low_stock")


class AlertScanner:
    """The worker's alert scan (a sender): `scan_alerts` at most every `interval`, so the
    alerts — and the dashboard's low-stock panel — stay current without anyone asking."""

    def __init__(self, interval: timedelta = timedelta(minutes=15)) -> None:
        self._interval = interval
        self._next: datetime | None = None

    def __call__(self, ctx: ServiceContext) -> int:
        now = ctx.now()
        if self._next is not None and now < self._next:
            return 0
        self._next = now + self._interval
        scan = scan_alerts(ctx, ScanAlerts())
        return len(scan.raised) + len(scan.cleared)
