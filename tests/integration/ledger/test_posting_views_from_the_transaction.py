"""A write's posting view is built from what its transaction wrote, not read back: it
must equal, field for field, the posting as read from the database afterwards."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone
from decimal import Decimal

from onhand import services
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, StockLine
from tests.integration.helpers import add_item, add_place


def test_an_adjustment_and_a_relocation_return_what_is_read_back(onhand, clock) -> None:
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_item(onhand, "TEA", unit="kg", tracking="lot")
    add_item(onhand, "W-1")
    # A moment in another zone, exact to the microsecond: read back in UTC.
    when = (clock() - timedelta(hours=3)).astimezone(timezone(timedelta(hours=5, minutes=30)))
    when = when.replace(microsecond=123456)
    found = services.adjustments.post_adjustment(onhand, PostAdjustment(
        location="NY", reason="found", reference="R-1", note="from the back room", effective_at=when,
        lines=[StockLine("TEA", Decimal("2.500"), lot="L-9", unit_cost=Decimal("3.10")),
               StockLine("W-1", Decimal("1E+1"))]))
    moved = services.relocations.move_stock(onhand, MoveStock(
        source="NY", destination="LA", lines=[StockLine("TEA", Decimal("0.250"), lot="L-9")]))
    for view in (found, moved):
        assert repr(view) == repr(services.postings.get_posting(onhand, view.id))  # the same form too
    assert found.effective_at.tzinfo == UTC and found.effective_at == when
    assert [str(m.quantity) for m in found.moves] == ["2.5", "10"]
    assert found.moves[0].lot == "L-9" and found.actor is not None
