"""The driver's own record of what it posted, to pick a random non-empty balance fast.

Kept in memory from the quantities the benchmark itself posted (never read back from
the database during a timed phase), so that choosing a balance costs microseconds
next to the milliseconds of a service call. At the end it is compared with what
`services.stock.stock_levels` reports, which proves the services did what was asked.
"""

from __future__ import annotations

import random
from collections import defaultdict

# (sku, location code, lot code or None)
BalanceKey = tuple[str, str, str | None]


class BalanceBook:
    def __init__(self) -> None:
        self._on_hand: dict[BalanceKey, int] = {}
        # Non-empty keys in a list (for a uniform random choice) and their positions.
        self._keys: list[BalanceKey] = []
        self._position: dict[BalanceKey, int] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def on_hand(self, key: BalanceKey) -> int:
        return self._on_hand.get(key, 0)

    def add(self, key: BalanceKey, quantity: int) -> None:
        now = self._on_hand.get(key, 0) + quantity
        if now < 0:
            raise ValueError(f"the driver would take more than it posted at {key}")
        self._on_hand[key] = now
        if now and key not in self._position:
            self._position[key] = len(self._keys)
            self._keys.append(key)
        elif not now and key in self._position:
            self._forget(key)

    def move(self, key: BalanceKey, destination: str, quantity: int) -> None:
        sku, _source, lot = key
        self.add(key, -quantity)
        self.add((sku, destination, lot), quantity)

    def random_key(self, rng: random.Random) -> BalanceKey:
        if not self._keys:
            raise LookupError("no non-empty balance to choose from")
        return self._keys[rng.randrange(len(self._keys))]

    def nonempty(self) -> dict[BalanceKey, int]:
        return {key: self._on_hand[key] for key in self._keys}

    def item_at(self) -> dict[tuple[str, str], int]:
        """On hand per (sku, location), summed over lots."""
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for (sku, location, _lot), quantity in self.nonempty().items():
            totals[(sku, location)] += quantity
        return dict(totals)

    def _forget(self, key: BalanceKey) -> None:
        # Swap-remove keeps removal O(1); the order of the list does not matter.
        index = self._position.pop(key)
        last = self._keys.pop()
        if index < len(self._keys):
            self._keys[index] = last
            self._position[last] = index
