"""The followers Onhand runs (`onhand followers run`), by name."""

from __future__ import annotations

from onhand.services.feed import availability
from onhand.services.feed.followers import Follower


def standard_followers() -> dict[str, Follower]:
    return {availability.NAME: availability.FOLLOWER}
