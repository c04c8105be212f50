"""A request bigger than ONHAND_MAX_POSTING_LINES is refused whole, before it is written,
by every service that takes lines: the API, the CLI and imports obey the same limit."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.bootstrap import Onhand
from onhand.config import Settings
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, PostStockCount
from onhand.domain.orders.commands import CreateOrder
from onhand.domain.transfers.commands import CreateTransfer
from onhand.services.ledger.postings import StockLine
from onhand.services.limits import Limits
from tests.integration.helpers import add_item, add_place, move_count


@pytest.fixture
def small(onhand: Onhand, clock) -> Onhand:
    """The test's database, with at most three lines per posting."""
    add_item(onhand, "W-1")
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    return Onhand(onhand.engine, clock, limits=Limits(max_posting_lines=3))


def test_a_posting_of_more_lines_than_the_limit_is_refused_naming_lines(small: Onhand) -> None:
    before = move_count(small)
    with pytest.raises(InvalidInput) as refused:
        services.adjustments.post_adjustment(
            small, PostAdjustment(location="NY", reason="found", lines=[StockLine("W-1", "1")] * 4)
        )
    assert refused.value.field == "lines"
    assert "4 lines are more than the 3" in refused.value.reason
    assert move_count(small) == before


def test_a_posting_of_exactly_the_limit_is_written(small: Onhand) -> None:
    posting = services.adjustments.post_adjustment(
        small, PostAdjustment(location="NY", reason="found", lines=[StockLine("W-1", "1")] * 3)
    )
    assert len(posting.moves) == 3


@pytest.mark.parametrize(
    "call",
    [
        lambda o, lines: services.counts.post_stock_count(o, PostStockCount(location="NY", lines=lines)),
        lambda o, lines: services.relocations.move_stock(o, MoveStock(source="NY", destination="LA", lines=lines)),
        lambda o, lines: services.sales_orders.create_order(
            o, CreateOrder(lines=[services.sales_orders.NewOrderLine("W-1", "1")] * len(lines)),
        ),
        lambda o, lines: services.transfer_orders.create_transfer(
            o, CreateTransfer(source="NY", destination="LA",
            lines=[services.transfer_orders.NewTransferLine("W-1", "1")] * len(lines))),
    ],
    ids=["count", "relocation", "order", "transfer"],
)
def test_every_document_with_lines_obeys_the_limit(small: Onhand, call) -> None:
    with pytest.raises(InvalidInput) as refused:
        call(small, [StockLine("W-1", "1")] * 4)
    assert refused.value.field == "lines"


def test_an_import_of_more_rows_than_the_limit_is_refused_naming_the_file(small: Onhand) -> None:
    text = "sku,name\n" + "".join(f"S{i},Item {i}\n" for i in range(4))
    with pytest.raises(InvalidInput) as refused:
        services.imports.import_items(small, text)
    assert refused.value.field == "file" and "4 rows" in refused.value.reason
    assert services.items.list_items(small, search="S") == []


def test_the_limit_is_read_from_onhand_max_posting_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_env("sqlite://").max_posting_lines == 5000
    monkeypatch.setenv("ONHAND_MAX_POSTING_LINES", "250")
    assert Settings.from_env("sqlite://").max_posting_lines == 250
    monkeypatch.setenv("ONHAND_MAX_POSTING_LINES", "many")
    with pytest.raises(InvalidInput, match="ONHAND_MAX_POSTING_LINES"):
        Settings.from_env("sqlite://")
