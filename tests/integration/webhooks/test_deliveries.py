"""Outbound webhooks: each event a subscription wants reaches it once, signed with the
secret shown at creation; failures are retried with backoff for a day, then failed;
a delivery can be re-sent; concurrent senders never send one delivery twice."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import timedelta

import pytest

from onhand import services
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput
from onhand.domain.webhooks.commands import (
    AddSubscription,
    RemoveSubscription,
    ResendDelivery,
    SetSubscriptionActive,
)
from onhand.services.webhooks.sending import send_due
from tests.integration.helpers import add_item, add_place
from tests.integration.webhooks.helpers import documented_verifier, drain, follow
from tests.webhook_receiver import receiver

ZERO_JITTER = 0.0  # waits are exactly half the backoff


def subscribe(onhand, url, *types, name="hook"):
    return services.webhooks.add_subscription(onhand, AddSubscription(name, url, types or ("*",)))


def deliveries(onhand, **filters):
    return services.webhook_deliveries.list_deliveries(onhand, **filters)


def test_a_subscriber_gets_each_wanted_event_once_signed_with_the_secret_shown_at_creation(onhand, clock):
    add_item(onhand, "BEFORE")  # recorded before the subscription: never sent
    with receiver() as shop:
        new = subscribe(onhand, shop.url, "item.created")
        add_item(onhand, "A")
        add_item(onhand, "B")
        add_place(onhand, "NY")  # a location event: not wanted
        drain(onhand)
        assert drain(onhand) == 0  # nothing left to do
    bodies = [json.loads(r.body) for r in shop.received]
    assert [(b["type"], b["body"]["sku"]) for b in bodies] == [("item.created", "A"), ("item.created", "B")]
    verify = documented_verifier()
    now = clock().timestamp()
    for request, body in zip(shop.received, bodies, strict=True):
        assert request.path == "/hooks/onhand"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["onhand-event-id"] == str(body["id"])
        assert verify(new.secret, request.headers["onhand-signature"], request.body, now=now)
        assert not verify(new.secret, request.headers["onhand-signature"], request.body + b" ", now=now)
        assert not verify("whsec_other", request.headers["onhand-signature"], request.body, now=now)
        assert not verify(new.secret, request.headers["onhand-signature"], request.body, now=now + 301)
        assert set(body) == {"id", "type", "at", "actor", "actor_name", "body"} and body["actor"] == "system"
    log = deliveries(onhand)
    assert [(d.status, d.attempts, d.last_status_code) for d in log] == [("delivered", 1, 200)] * 2
    assert sorted(r.headers["onhand-delivery-id"] for r in shop.received) == sorted(str(d.id) for d in log)


def test_the_secret_is_never_stored_nor_listed(onhand):
    new = subscribe(onhand, "https://example.com/hook")
    assert new.secret.startswith("whsec_") and len(new.secret) > 40
    assert new.secret not in repr(services.webhooks.list_subscriptions(onhand))
    with onhand.engine.connect() as conn:
        from sqlalchemy import text

        rows = conn.execute(text("SELECT * FROM webhook_subscriptions")).all()
    assert rows and all(new.secret not in str(value) and new.secret[6:] not in str(value)
                        for row in rows for value in row)


def test_a_failing_receiver_is_retried_with_growing_waits_until_it_answers(onhand, clock):
    with receiver(500, "hang", 503, 204) as shop:
        subscribe(onhand, shop.url)
        add_item(onhand, "A")
        follow(onhand)
        assert send_due(onhand, jitter=lambda: ZERO_JITTER) == 1
        (first,) = deliveries(onhand)
        assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
        assert first.last_error == "HTTP 500"
        assert first.next_attempt_at == clock() + timedelta(seconds=15)
        clock.advance(seconds=14)
        assert send_due(onhand, jitter=lambda: ZERO_JITTER) == 0  # not due yet: nothing sent
        clock.advance(seconds=1)
        assert send_due(onhand, jitter=lambda: ZERO_JITTER) == 1
        (second,) = deliveries(onhand)
        assert (second.attempts, second.last_status_code, second.last_error) == (2, None, "timed out")
        assert second.next_attempt_at == clock() + timedelta(seconds=30)
        clock.advance(seconds=30)
        send_due(onhand, jitter=lambda: ZERO_JITTER)
        assert deliveries(onhand)[0].next_attempt_at == clock() + timedelta(seconds=60)
        clock.advance(seconds=60)
        send_due(onhand, jitter=lambda: ZERO_JITTER)
    (done,) = deliveries(onhand)
    assert (done.status, done.attempts, done.last_status_code, done.next_attempt_at) == ("delivered", 4, 204, None)
    assert len(shop.received) == 4
    assert len({r.headers["onhand-delivery-id"] for r in shop.received}) == 1


def test_a_delivery_failing_for_a_day_is_failed_then_a_resend_delivers_it(onhand, clock):
    with receiver(*[500] * 60) as shop:
        subscribe(onhand, shop.url)
        add_item(onhand, "A")
        drain(onhand)
        start = clock()
        while deliveries(onhand)[0].status == "pending":
            clock.current = deliveries(onhand)[0].next_attempt_at
            assert send_due(onhand, jitter=lambda: 0.999) == 1
        (failed,) = deliveries(onhand)
        assert failed.status == "failed" and failed.next_attempt_at is None
        assert timedelta(hours=23) < clock() - start <= timedelta(hours=24)
        assert 25 < failed.attempts < 35  # 30 s doubling to an hour, then hourly
        clock.advance(hours=1)
        assert send_due(onhand) == 0  # failed is final
        shop.script.clear()  # the receiver is fixed
        resent = services.webhook_deliveries.resend_delivery(onhand, ResendDelivery(failed.id))
        assert (resent.status, resent.attempts, resent.next_attempt_at) == ("pending", 0, clock())
        assert send_due(onhand) == 1
    assert deliveries(onhand)[0].status == "delivered"


def test_removing_a_subscription_fails_its_pending_deliveries_and_sends_nothing_more(onhand):
    with receiver(500) as shop:
        hook = subscribe(onhand, shop.url).subscription
        add_item(onhand, "A")
        drain(onhand)
        services.webhooks.remove_subscription(onhand, RemoveSubscription(hook.id))
        add_item(onhand, "B")
        drain(onhand)
        (only,) = deliveries(onhand)
        assert (only.status, only.last_error) == ("failed", "subscription removed")
        with pytest.raises(Conflict):
            services.webhook_deliveries.resend_delivery(onhand, ResendDelivery(only.id))
    assert len(shop.received) == 1
    assert services.webhooks.list_subscriptions(onhand) == []
    subscribe(onhand, "https://example.com/again")  # its name is free again


def test_bad_subscriptions_are_refused_naming_the_field(onhand):
    subscribe(onhand, "https://example.com/a", name="taken")
    cases = [
        (AddSubscription("taken", "https://example.com/b"), AlreadyExists, "name"),
        (AddSubscription("x", "ftp://example.com/"), InvalidInput, "url"),
        (AddSubscription("x", "https://user:pw@example.com/"), InvalidInput, "url"),
        (AddSubscription("x", "https://example.com/" + "a" * 2000), InvalidInput, "url"),
        (AddSubscription("x", "https://example.com/", ("order.shipped",)), InvalidInput, "event_types"),
        (AddSubscription("x", "https://example.com/", ("*", "item.created")), InvalidInput, "event_types"),
        (AddSubscription("x", "https://example.com/", ()), InvalidInput, "event_types"),
        (AddSubscription(" ", "https://example.com/"), InvalidInput, "name"),
    ]
    for command, error, field in cases:
        with pytest.raises(error) as caught:
            services.webhooks.add_subscription(onhand, command)
        assert caught.value.field == field, command
    assert len(services.webhooks.list_subscriptions(onhand)) == 1


def test_senders_racing_never_send_one_delivery_twice(onhand):
    with receiver() as shop:
        subscribe(onhand, shop.url)
        for n in range(30):
            add_item(onhand, f"I{n}")
        follow(onhand)
        start = threading.Barrier(4)
        errors = []

        def sender():
            try:
                start.wait()
                while send_due(onhand, limit=3):
                    pass
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=sender) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    sent = Counter(r.headers["onhand-delivery-id"] for r in shop.received)
    assert len(sent) == 30 and set(sent.values()) == {1}
    # (a sender whose request timed out on an overloaded machine leaves its delivery pending)
    left = deliveries(onhand)
    assert Counter(d.status for d in left) == {"delivered": 30}, [d.last_error for d in left if d.last_error]


def test_a_paused_subscription_keeps_its_deliveries_waiting_and_resuming_sends_them(onhand, clock):
    with receiver() as shop:
        hook = subscribe(onhand, shop.url).subscription
        paused = services.webhooks.set_subscription_active(onhand, SetSubscriptionActive(hook.id, False))
        assert paused.active is False
        add_item(onhand, "A")
        clock.advance(hours=30)  # longer than a day of retries: a pause must not use it up
        drain(onhand)
        assert shop.received == []
        assert [(d.status, d.attempts) for d in deliveries(onhand)] == [("pending", 0)]
        services.webhooks.set_subscription_active(onhand, SetSubscriptionActive(hook.id, True))
        drain(onhand)
    assert len(shop.received) == 1
    assert [(d.status, d.attempts) for d in deliveries(onhand)] == [("delivered", 1)]
