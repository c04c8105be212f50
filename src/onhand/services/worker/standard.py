"""What `onhand worker` runs: the followers (the feed's own and those of the areas above it)
and the senders, by name. A new follower or sender is one line here."""

from __future__ import annotations

from onhand.services.channels.worker import channel_followers, channel_senders
from onhand.services.feed import standard as feed_standard
from onhand.services.feed.followers import Follower
from onhand.services.planning.alerts import AlertScanner
from onhand.services.webhooks import follower as webhooks_follower
from onhand.services.webhooks import sending as webhooks_sending
from onhand.services.worker.senders import Sender


def standard_followers() -> dict[str, Follower]:
    return {**feed_standard.standard_followers(), **channel_followers(),
            webhooks_follower.NAME: webhooks_follower.FOLLOWER}


def standard_senders() -> dict[str, Sender]:
    channels = {name: Sender(name, send) for name, send in channel_senders().items()}
    return {**channels, "webhooks": Sender("webhooks", webhooks_sending.send_due),
            "planning-alerts": Sender("planning-alerts", AlertScanner())}
