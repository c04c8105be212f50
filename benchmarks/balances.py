"""The driver's own record of what it posted, to pick a random non-empty balance fast.

Kept in memory from the quantities the benchmark itself posted (never read back from
the database during a timed phase), so that choosing a balance costs microseconds
next to the milliseconds of a service call. At the end it is compared with what
`services.stock.stock_levels` reports, which proves the services did what was asked.
"""

from __future__ import annotations

import random
from collections.abc import Hashable
from typing import Generic, TypeVar

# (sku, location code, lot code or None)
BalanceKey = tuple[str, str, str | None]
# (sku, location code): an item at a location, over all its lots
Place = tuple[str, str]

K = TypeVar("K", bound=Hashable)


class RandomSet(Generic[K]):
    """A set with O(1) add, discard and uniform random choice."""

    def __init__(self) -> None:
        self._keys: list[K] = []
        self._position: dict[K, int] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: K) -> None:
        if key not in self._position:
            self._position[key] = len(self._keys)
            self._keys.append(key)

    def discard(self, key: K) -> None:
        # Swap-remove keeps removal O(1); the order of the list does not matter.
        index = self._position.pop(key, None)
        if index is None:
            return
        last = self._keys.pop()
        if index < len(self._keys):
            self._keys[index] = last
            self._position[last] = index

    def members(self) -> tuple[K, ...]:
        return tuple(self._keys)

    def choice(self, rng: random.Random) -> K:
        if not self._keys:
            raise LookupError("nothing to choose from")
        return self._keys[rng.randrange(len(self._keys))]


class BalanceBook:
    def __init__(self) -> None:
        self._on_hand: dict[BalanceKey, int] = {}
        self._keys: RandomSet[BalanceKey] = RandomSet()
        # On hand per item at a location (over its lots), and the lots that hold it.
        self._at: dict[Place, int] = {}
        self._places: RandomSet[Place] = RandomSet()
        self._lots_at: dict[Place, set[str | None]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def on_hand(self, key: BalanceKey) -> int:
        return self._on_hand.get(key, 0)

    def on_hand_at(self, place: Place) -> int:
        return self._at.get(place, 0)

    def lots_at(self, place: Place) -> dict[str | None, int]:
        """The non-empty lots (None for untracked stock) of an item at a location."""
        sku, location = place
        return {lot: self._on_hand[(sku, location, lot)] for lot in self._lots_at.get(place, ())}

    def add(self, key: BalanceKey, quantity: int) -> None:
        now = self._on_hand.get(key, 0) + quantity
        if now < 0:
            raise ValueError(f"the driver would take more than it posted at {key}")
        sku, location, lot = key
        place = (sku, location)
        self._on_hand[key] = now
        self._at[place] = self._at.get(place, 0) + quantity
        if now:
            self._keys.add(key)
            self._places.add(place)
            self._lots_at.setdefault(place, set()).add(lot)
        else:
            self._keys.discard(key)
            self._lots_at[place].discard(lot)
            if not self._at[place]:
                self._places.discard(place)

    def move(self, key: BalanceKey, destination: str, quantity: int) -> None:
        sku, _source, lot = key
        self.add(key, -quantity)
        self.add((sku, destination, lot), quantity)

    def random_key(self, rng: random.Random) -> BalanceKey:
        if not self._keys:
            raise LookupError("no non-empty balance to choose from")
        return self._keys.choice(rng)

    def random_place(self, rng: random.Random) -> Place:
        """A uniformly random item at a location that holds some of it."""
        if not self._places:
            raise LookupError("no item is on hand anywhere")
        return self._places.choice(rng)

    def nonempty(self) -> dict[BalanceKey, int]:
        return {key: self._on_hand[key] for key in self._keys.members()}

    def item_at(self) -> dict[Place, int]:
        """On hand per (sku, location), summed over lots."""
        return {place: self._at[place] for place in self._places.members()}
