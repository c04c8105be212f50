"""On PostgreSQL a posting made in a server's group reads its clock once its group has the turn
to write: read before, another process's group could commit later moves of its items meanwhile,
and it was valued as backdated. One of no document says so (`services/ledger/postings.py:
clock_in_turn`); one of a document (a shipment) locks the document first, which takes the turn."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from onhand import services
from onhand.adapters.db.group_turn import GROUP_TURN_KEY
from onhand.domain.ledger.commands import MoveStock, PostStockCount, StockLine
from onhand.domain.orders.commands import ShipOrder
from tests.integration.helpers import add_item, add_place, adjust, allocated, turn_kept_by

WAIT_S = 30

# Each makes its posting in the group and answers its id.
POSTINGS: dict[str, Callable[[Any], int]] = {
    "adjustment": lambda onhand: adjust(onhand, "NY", "TEA", 2).id,
    "adjustment of a lot": lambda onhand: adjust(onhand, "NY", "HONEY", 2, lot="L1").id,
    "relocation": lambda onhand: services.relocations.move_stock(
        onhand, MoveStock(source="NY", destination="LA", lines=(StockLine("TEA", Decimal(1)),))).id,
    "stock count": lambda onhand: services.counts.post_stock_count(
        onhand, PostStockCount(location="NY", lines=(StockLine("TEA", Decimal(7)),))).id,
    "shipment": lambda onhand: services.shipping.ship_order(onhand, ShipOrder("SO-1")).shipments[-1].posting_id,
}


def waiting_for_the_turn(conn: Any) -> int:
    """Sessions waiting for the turn of `conn`'s schema (not granted yet)."""
    return conn.exec_driver_sql(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        f"AND objid = (({GROUP_TURN_KEY})::bigint & 4294967295)::oid").scalar()


@pytest.mark.parametrize("kind", list(POSTINGS))
def test_on_postgresql_a_posting_is_stamped_once_its_group_has_the_turn(onhand, clock, kind):
    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no turn between processes")
    add_item(onhand, "TEA")
    add_item(onhand, "HONEY", tracking="lot")
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    adjust(onhand, "NY", "TEA", 10)
    allocated(onhand, ("TEA", 1), reference="SO-1")
    with onhand.grouping_writes() as grouped, onhand.engine.connect() as other:
        with turn_kept_by(other):  # another process's group, writing
            call = grouped.call_in_group(lambda: POSTINGS[kind](grouped))
            deadline = time.monotonic() + WAIT_S
            while not waiting_for_the_turn(other):
                assert time.monotonic() < deadline, "the call never waited for the turn"
                time.sleep(0.01)
            clock.advance(seconds=3)  # the other group commits later moves meanwhile
        posting = services.postings.get_posting(onhand, call.result(WAIT_S))

    assert posting.created_at == posting.effective_at == clock.current
