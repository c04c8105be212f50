"""The change feed and its followers.

`recorder` turns what the areas publish into events, in the publisher's transaction;
`events` reads the feed (API, CLI, Python); `followers` runs a consumer over it exactly
once; `availability` is the first follower. No area imports this package: it subscribes
to their domain events (bootstrap.standard_subscribers). See docs/events.md.
"""
