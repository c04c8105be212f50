"""Property-based: adjustments posted together (`post_adjustments`, a server's group of one
key's requests) are each what they would have been posted alone, one after the other.

Random groups of adjustments (found with or without a unit cost, lost, at guarded places
and one that may go negative, of a plain and a lot-tracked item, with idempotency keys
some of which repeat or were used before) go through `post_adjustments` on one database.
The postings it made, replayed alone in the order of their ids on a second database set
up the same way, are all accepted and leave the same balances, the same values for every
move and the same valuation; and every request refused was refused for a reason of its own.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.domain.errors import IdempotencyConflict, InsufficientStock
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine
from tests.databases import BACKENDS
from tests.hypothesis_profiles import examples
from tests.integration.ledger.replayed_alone import KEYS, PLACES, check_each_as_if_alone, stock


@st.composite
def request(draw):
    sku = draw(st.sampled_from(["W", "W", "W", "T"]))  # mostly W: of one balance, some going together
    lot = draw(st.sampled_from(["L1", "L2"])) if sku == "T" else None
    quantity = Decimal(draw(st.integers(1, 9))) * draw(st.sampled_from([1, -1]))
    cost = Decimal(draw(st.integers(1, 999))) / 100 if quantity > 0 and draw(st.booleans()) else None
    line = StockLine(sku, quantity, lot, unit_cost=cost)
    command = PostAdjustment(location=draw(st.sampled_from(["A", "A", *PLACES])), lines=[line],
                             reason="found" if quantity > 0 else "lost")
    return command, draw(st.sampled_from(KEYS))


def setup(method: str):
    def set_up(onhand) -> None:
        stock(onhand, method)
        # A key used before the group: a request repeating it is answered with this posting.
        services.adjustments.post_adjustment(onhand, PostAdjustment(
            location="A", reason="found", lines=[StockLine("W", Decimal(1))]), idempotency_key="k3")
    return set_up


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(["fifo", "lifo", "moving_average"]),
       requests=st.lists(request(), min_size=2, max_size=12))
def test_adjustments_posted_together_are_each_as_if_posted_alone_in_turn(backend, method, requests):
    check_each_as_if_alone(backend, setup(method), requests, services.adjustments.post_adjustments,
                           services.adjustments.post_adjustment, (InsufficientStock, IdempotencyConflict))
