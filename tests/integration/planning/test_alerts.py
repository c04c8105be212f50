"""Planning alerts: raised once when they become true, cleared when they no longer are,
each change an event on the change feed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from onhand import services
from onhand.domain.planning.commands import ScanAlerts
from tests.integration.feed.settle import settle
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.planning.helpers import promise_from, rule

TODAY = date(2026, 3, 2)


def kinds(alerts):
    return sorted((a.kind, a.sku, a.site, a.lot) for a in alerts)


def feed(onhand):
    settle(onhand)  # PostgreSQL shows an event once every older transaction has ended
    page = services.events.events_after(onhand, types=["alert.raised", "alert.cleared"])
    return [(e.type, e.body["kind"]) for e in page.events]


def test_a_scan_raises_each_alert_once_and_clears_it_when_it_no_longer_holds(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    add_item(onhand, "MILK", tracking="lot")
    adjust(onhand, "NY", "W", 3)
    adjust(onhand, "NY", "MILK", 4, lot="L1", expiry_date=TODAY + timedelta(days=5))
    rule(onhand, "W", "NY", minimum=10, lead_time_days=3)
    promise_from(onhand, "NY", "W", 5)  # 3 reserved, 2 on backorder

    first = services.planning_alerts.scan_alerts(onhand, ScanAlerts(expiry_days=7))

    assert kinds(first.raised) == [
        ("backorder", "W", "NY", None), ("expiring_lot", "MILK", "NY", "L1"),
        ("low_stock", "W", "NY", None), ("stock_out", "W", "NY", None),
    ]
    assert kinds(services.planning_alerts.list_alerts(onhand)) == kinds(first.raised)
    assert [a.sku for a in services.planning_alerts.low_stock(onhand)] == ["W"]
    assert services.planning_alerts.scan_alerts(onhand, ScanAlerts(expiry_days=7)).raised == ()

    adjust(onhand, "NY", "W", 30)  # serves the backorder, lifts W above its minimum
    later = services.planning_alerts.scan_alerts(onhand, ScanAlerts(expiry_days=2))

    assert later.raised == ()
    assert sorted(key.split(":")[0] for key in later.cleared) == ["backorder", "expiring_lot", "low_stock",
                                                                  "stock_out"]
    assert services.planning_alerts.list_alerts(onhand) == []
    assert feed(onhand) == [("alert.raised", k) for k in ("low_stock", "stock_out", "backorder", "expiring_lot")] + [
        ("alert.cleared", k) for k in ("low_stock", "stock_out", "backorder", "expiring_lot")]


def test_a_scan_is_audited_and_its_events_carry_the_actor(onhand):
    from onhand.domain.actors import Actor, ActorKind

    add_place(onhand, "NY")
    add_item(onhand, "W")
    rule(onhand, "W", "NY", minimum=Decimal(1))
    alice = onhand.acting_as(Actor(ActorKind.CLI, "alice", "alice"))

    services.planning_alerts.scan_alerts(alice, ScanAlerts())

    settle(onhand)
    events = services.events.events_after(onhand, types=["alert.raised"]).events
    assert sorted(e.body["kind"] for e in events) == ["low_stock", "stock_out"]  # nothing on hand
    assert {e.actor for e in events} == {"cli:alice"}
    (entry,) = services.audit.list_audit(onhand, action="scan_alerts").entries
    assert entry.actor.reference == "cli:alice"


def test_racing_scans_raise_each_alert_exactly_once(onhand):
    from tests.integration.orders.test_order_concurrency import race

    add_place(onhand, "NY")
    for n in range(5):
        add_item(onhand, f"W{n}")
        rule(onhand, f"W{n}", "NY", minimum=Decimal(1))

    scans = race(lambda _n: services.planning_alerts.scan_alerts(onhand, ScanAlerts()), 6)

    assert sum(len(s.raised) for s in scans) == 10  # low stock and stock-out of each item, once
    settle(onhand)
    raised = services.events.events_after(onhand, types=["alert.raised"], limit=100).events
    assert sorted(e.body["key"] for e in raised) == sorted({e.body["key"] for e in raised})
    assert len(services.planning_alerts.list_alerts(onhand)) == 10


def test_a_scan_repeated_with_its_idempotency_key_is_not_run_again(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    rule(onhand, "W", "NY", minimum=10, lead_time_days=3)
    first = services.planning_alerts.scan_alerts(onhand, ScanAlerts(), idempotency_key="scan-1")
    assert sorted(a.kind for a in first.raised) == ["low_stock", "stock_out"] and first.open == 2
    adjust(onhand, "NY", "W", 30)  # no longer low: a new scan would clear both
    repeat = services.planning_alerts.scan_alerts(onhand, ScanAlerts(), idempotency_key="scan-1")
    assert (repeat.raised, repeat.cleared, repeat.open) == ((), (), 2)
    assert len(services.planning_alerts.list_alerts(onhand)) == 2
