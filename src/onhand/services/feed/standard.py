"""The change feed's own followers, by name. What `onhand worker` and `onhand followers run`
run — these and the followers of the areas above the feed — is `services/worker/standard.py`."""

from __future__ import annotations

from onhand.services.feed import availability
from onhand.services.feed.followers import Follower


def standard_followers() -> dict[str, Follower]:
    return {availability.NAME: availability.FOLLOWER}
