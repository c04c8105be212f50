"""What `onhand worker` runs: the followers (the feed's own and those of the areas above it)
and the senders, by name. A new follower or sender is one line here."""

from __future__ import annotations

from datetime import timedelta

from onhand.services.channels.worker import channel_followers, channel_senders
from onhand.services.feed import standard as feed_standard
from onhand.services.feed.followers import Follower
from onhand.services.planning.alerts import AlertScanner
from onhand.services.webhooks import follower as webhooks_follower
from onhand.services.webhooks import sending as webhooks_sending
from onhand.services.worker.nightly_journals import NAME as NIGHTLY_JOURNALS
from onhand.services.worker.nightly_journals import NightlyJournals
from onhand.services.worker.senders import Sender


def standard_followers() -> dict[str, Follower]:
    return {**feed_standard.standard_followers(), **channel_followers(),
            webhooks_follower.NAME: webhooks_follower.FOLLOWER}


def standard_senders(*, nightly_journals: timedelta | None = None) -> dict[str, Sender]:
    """`nightly_journals`: the grace period after the company's midnight at which to post and push
    the day's journals (services/worker/nightly_journals.py); None (default): not run."""
    channels = {name: Sender(name, send) for name, send in channel_senders().items()}
    found = {**channels, "webhooks": Sender("webhooks", webhooks_sending.send_due),
             "planning-alerts": Sender("planning-alerts", AlertScanner())}
    if nightly_journals is not None:
        found[NIGHTLY_JOURNALS] = Sender(NIGHTLY_JOURNALS, NightlyJournals(nightly_journals))
    return found
