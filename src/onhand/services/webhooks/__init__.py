"""Outbound webhooks: subscriptions to the change feed, the `webhooks` follower that writes
one delivery per (subscription, event), the sender that POSTs them signed after commit,
and the delivery log with manual re-send. See docs/webhooks.md.

This area sits above the feed (it follows it), beside `reports`; no area imports it.
"""
