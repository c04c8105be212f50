"""The followers Onhand runs (`onhand followers run`, the worker), by name.

This is where followers of every area are composed, so it alone may import the areas above
the feed (pyproject.toml's layers contract names this one exception).
"""

from __future__ import annotations

from onhand.services.channels.worker import channel_followers
from onhand.services.feed import availability
from onhand.services.feed.followers import Follower


def standard_followers() -> dict[str, Follower]:
    return {availability.NAME: availability.FOLLOWER, **channel_followers()}
