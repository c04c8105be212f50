"""`onhand webhooks …`: add prints the secret once, list never; the log and resend."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem
from onhand.services.worker.loop import run_round
from onhand.services.worker.standard import standard_followers, standard_senders
from tests.integration.feed.settle import settle
from tests.webhook_receiver import receiver


def test_add_list_deliveries_resend_and_remove(cli_run, onhand, clock):
    with receiver(503) as shop:
        added = cli_run("webhooks", "add", "shop", shop.url, "--event", "item.created")
        assert added.exit_code == 0, added.stderr
        secret = added.stdout.strip().splitlines()[-1]
        assert secret.startswith("whsec_")
        listed = cli_run("webhooks", "list")
        assert "shop" in listed.stdout and "item.created" in listed.stdout and secret not in listed.stdout

        services.items.create_item(onhand, CreateItem(sku="A", name="A"))
        settle(onhand)
        run_round(onhand, standard_followers().values(), standard_senders().values())
        log = cli_run("webhooks", "deliveries", "--status", "pending")
        assert log.exit_code == 0 and "item.created" in log.stdout and "503" in log.stdout
        delivery_id = services.webhook_deliveries.list_deliveries(onhand)[0].id
        resent = cli_run("webhooks", "resend", str(delivery_id))
        assert resent.exit_code == 0, resent.stderr
        clock.current = datetime.now(UTC)  # the CLI made it due on the real clock
        run_round(onhand, standard_followers().values(), standard_senders().values())
    assert services.webhook_deliveries.list_deliveries(onhand)[0].status == "delivered"
    hook_id = services.webhooks.list_subscriptions(onhand)[0].id
    assert cli_run("webhooks", "pause", str(hook_id)).exit_code == 0
    assert services.webhooks.list_subscriptions(onhand)[0].active is False
    assert cli_run("webhooks", "resume", str(hook_id)).exit_code == 0
    assert services.webhooks.list_subscriptions(onhand)[0].active is True
    assert cli_run("webhooks", "remove", str(hook_id)).exit_code == 0
    assert services.webhooks.list_subscriptions(onhand) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_bad_url_or_status_is_refused_naming_the_field(cli_run):
    refused = cli_run("webhooks", "add", "shop", "file:///etc/passwd")
    assert refused.exit_code != 0 and refused.stderr.startswith("error: url:")
    bad = cli_run("webhooks", "deliveries", "--status", "lost")
    assert bad.exit_code != 0 and bad.stderr.startswith("error: status:")
