"""Webhooks over HTTP: an admin subscribes (the secret once, not cached), anyone may read
the list and the log, only an admin key changes them; a resend through the API is sent by
the next worker round."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem
from onhand.services.worker.loop import run_round
from onhand.services.worker.standard import standard_followers, standard_senders
from tests.integration.feed.settle import settle
from tests.webhook_receiver import receiver


def work(onhand):
    settle(onhand)
    run_round(onhand, standard_followers().values(), standard_senders().values())


def test_an_admin_subscribes_and_reads_the_log_and_resends(onhand, api_admin, api_viewer):
    with receiver(500) as shop:
        created = api_admin.post("/api/v1/webhooks", json={"name": "shop", "url": shop.url,
                                                           "event_types": ["item.created"]})
        assert created.status_code == 201, created.text
        assert created.headers["cache-control"] == "no-store"
        body = created.json()
        secret, hook = body["secret"], body["webhook"]
        assert secret.startswith("whsec_")
        assert hook["event_types"] == ["item.created"] and hook["url"] == shop.url

        listed = api_viewer.get("/api/v1/webhooks").json()["webhooks"]
        assert listed == [hook] and secret not in api_viewer.get("/api/v1/webhooks").text

        services.items.create_item(onhand, CreateItem(sku="A", name="A"))
        work(onhand)
        (failed,) = api_viewer.get("/api/v1/webhook-deliveries", params={"webhook": hook["id"]}).json()["deliveries"]
        assert (failed["status"], failed["attempts"], failed["last_status_code"]) == ("pending", 1, 500)

        resent = api_admin.post(f"/api/v1/webhook-deliveries/{failed['id']}/resend")
        assert resent.status_code == 200, resent.text
        assert resent.json()["attempts"] == 0
        work(onhand)
    (done,) = api_viewer.get("/api/v1/webhook-deliveries", params={"status": "delivered"}).json()["deliveries"]
    assert done["id"] == failed["id"] and done["last_status_code"] == 200
    assert len(shop.received) == 2

    paused = api_admin.patch(f"/api/v1/webhooks/{hook['id']}", json={"active": False})
    assert paused.status_code == 200 and paused.json()["active"] is False
    assert api_viewer.patch(f"/api/v1/webhooks/{hook['id']}", json={"active": True}).status_code == 403
    removed = api_admin.delete(f"/api/v1/webhooks/{hook['id']}")
    assert removed.status_code == 200 and removed.json()["active"] is False
    assert api_viewer.get("/api/v1/webhooks").json()["webhooks"] == []
    actions = [e.action for e in services.audit.list_audit(onhand).entries]
    assert {"add_webhook", "resend_webhook_delivery", "pause_webhook", "remove_webhook"} <= set(actions)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_only_an_admin_key_changes_webhooks(api_admin, api_operator, api_viewer):
    body = {"name": "shop", "url": "https://example.com/hook"}
    for client in (api_viewer, api_operator):
        refused = client.post("/api/v1/webhooks", json=body)
        assert refused.status_code == 403, refused.text
    assert api_viewer.get("/api/v1/webhooks").json() == {"webhooks": []}
    hook = api_admin.post("/api/v1/webhooks", json=body).json()["webhook"]
    assert api_viewer.delete(f"/api/v1/webhooks/{hook['id']}").status_code == 403
    assert api_viewer.post("/api/v1/webhook-deliveries/1/resend").status_code == 403


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_bad_subscriptions_are_a_422_naming_the_field_and_unknown_ids_a_404(api_admin):
    for body, field in [
        ({"name": "x", "url": "ftp://example.com/"}, "url"),
        ({"name": "x", "url": "https://example.com/", "event_types": ["nope"]}, "event_types"),
        ({"name": "", "url": "https://example.com/"}, "name"),
    ]:
        response = api_admin.post("/api/v1/webhooks", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == field
    assert api_admin.delete("/api/v1/webhooks/99").status_code == 404
    assert api_admin.post("/api/v1/webhook-deliveries/99/resend").status_code == 404
    assert api_admin.get("/api/v1/webhook-deliveries", params={"webhook": 99}).status_code == 404
    assert api_admin.get("/api/v1/webhook-deliveries", params={"status": "lost"}).status_code == 422
