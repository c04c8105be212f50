"""Outbound webhooks: subscriptions to the change feed, their signatures and their retry
schedule, as plain values (no I/O). See docs/webhooks.md."""
