"""Moving surplus between sister sites before buying more.

A site that needs stock is served first from sites that have more than their own reorder
point (and have it on hand now); the largest need is served first, from the largest surplus.
A source never gives below its own reorder point: `rules.surplus` bounds every take.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from onhand.domain.planning.rules import surplus

ZERO = Decimal(0)


@dataclass(frozen=True)
class SiteState:
    """One item at one site, as the planner sees it."""

    site_id: int
    position: Decimal  # on hand and every open document
    available_now: Decimal  # on hand less what is promised, now
    point: Decimal  # its reorder point (0 without a rule)
    need: Decimal  # what its rule asks for (0 when fine or without a rule)


@dataclass(frozen=True)
class Move:
    source_id: int
    destination_id: int
    quantity: Decimal


def _anywhere(_source: int, _destination: int) -> bool:
    return True


def plan_transfers(states: Sequence[SiteState], can_move: Callable[[int, int], bool] = _anywhere) -> list[Move]:
    """Transfers that cover the needs from the other sites' surplus, as far as it goes,
    between sites stock can travel between (`can_move(source, destination)`)."""
    spare = {s.site_id: surplus(s.position, s.point, s.available_now) for s in states if s.need <= 0}
    moves = []
    for target in sorted((s for s in states if s.need > 0), key=lambda s: (-s.need, s.site_id)):
        left = target.need
        for source_id in sorted(spare, key=lambda site: (-spare[site], site)):
            if left <= 0:
                break
            if not can_move(source_id, target.site_id):
                continue
            take = min(left, spare[source_id])
            if take <= 0:
                continue
            moves.append(Move(source_id, target.site_id, take))
            spare[source_id] -= take
            left -= take
    return moves
