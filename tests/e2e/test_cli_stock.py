"""The CLI's stock commands: adjust, count, move, stock, history."""

from __future__ import annotations

import pytest

from onhand import services


@pytest.fixture
def catalog(cli_run):
    """NY (warehouse) with bin NY-A-01, LA (store), OCEAN-1 (transit); MUG (each), RICE (kg),
    HONEY (lot-tracked)."""
    for args in (
        ("NY", "--name", "New York", "--kind", "warehouse"),
        ("NY-A-01", "--name", "Aisle A", "--kind", "bin", "--parent", "NY"),
        ("LA", "--name", "Los Angeles", "--kind", "store"),
        ("OCEAN-1", "--name", "On the ocean", "--kind", "transit"),
    ):
        assert cli_run("locations", "add", *args).exit_code == 0
    for args in (
        ("MUG", "--name", "Mug"),
        ("RICE", "--name", "Rice", "--unit", "kg"),
        ("HONEY", "--name", "Honey", "--tracking", "lot"),
    ):
        assert cli_run("items", "add", *args).exit_code == 0
    return cli_run


def test_adjust_posts_stock_found_and_prints_the_posting(catalog):
    result = catalog("adjust", "NY-A-01", "MUG", "20", "--reason", "found", "--reference", "R-1")

    assert result.exit_code == 0, result.stderr
    assert "(adjustment, reason found, reference R-1): 1 move(s)" in result.stdout
    assert result.row("MUG") == ["MUG", "", "ADJUSTMENT", "NY-A-01", "20"]


def test_adjust_takes_a_negative_quantity_as_an_argument(catalog):
    catalog("adjust", "NY", "MUG", "5", "--reason", "found")

    result = catalog("adjust", "NY", "MUG", "-2", "--reason", "damaged")

    assert result.exit_code == 0, result.stderr
    assert result.row("MUG") == ["MUG", "", "NY", "ADJUSTMENT", "2"]


def test_adjust_posts_several_lines_at_once_with_new_lots(catalog):
    result = catalog(
        "adjust", "NY", "HONEY", "6", "--lot", "H1", "--expiry", "2027-01-31", "--reason", "found",
        "--line", "RICE:2.5", "--line", "HONEY:4:H2:2027-06-30",
    )
    lots = catalog("lots", "list", "HONEY")

    assert result.exit_code == 0, result.stderr
    assert "3 move(s)" in result.stdout
    assert result.row("RICE")[4] == "2.500"
    assert lots.row("H1")[1] == "2027-01-31"
    assert lots.row("H2")[1] == "2027-06-30"


def test_a_rejected_adjustment_writes_nothing(catalog, onhand):
    catalog("adjust", "NY", "MUG", "3", "--reason", "found")
    moves_before = services.integrity.verify(onhand).moves_checked

    # The second line would take MUG below zero: the whole posting is refused.
    result = catalog("adjust", "NY", "--reason", "lost", "--line", "RICE:1", "--line", "MUG:-4")

    assert result.exit_code == 5
    assert result.stderr == "error: insufficient stock: MUG at NY: requested 4, only 3 on hand\n"
    assert services.integrity.verify(onhand).moves_checked == moves_before
    assert catalog("stock", "--sku", "RICE").rows() == []


def test_idempotency_key_makes_a_repeated_adjustment_post_once(catalog, onhand):
    first = catalog("adjust", "NY", "MUG", "7", "--reason", "found", "--idempotency-key", "k-1")
    again = catalog("adjust", "NY", "MUG", "7", "--reason", "found", "--idempotency-key", "k-1")

    assert first.exit_code == again.exit_code == 0
    assert first.stdout.splitlines()[0] == again.stdout.splitlines()[0]
    assert catalog("stock", "--sku", "MUG").row("MUG")[1] == "7"


def test_count_posts_the_difference_to_what_was_counted(catalog):
    catalog("adjust", "LA", "MUG", "30", "--reason", "found")

    result = catalog("count", "LA", "MUG", "28")

    assert result.exit_code == 0, result.stderr
    assert "(count, reason count): 1 move(s)" in result.stdout
    assert result.row("MUG") == ["MUG", "", "LA", "ADJUSTMENT", "2"]
    assert catalog("stock", "--sku", "MUG").row("MUG")[1] == "28"


def test_a_count_that_agrees_with_the_books_posts_no_moves(catalog):
    catalog("adjust", "LA", "MUG", "30", "--reason", "found")

    result = catalog("count", "LA", "--line", "MUG:30")

    assert result.exit_code == 0, result.stderr
    assert "0 move(s)" in result.stdout


def test_move_to_transit_keeps_stock_on_hand_but_not_available(catalog):
    """The article's example: 20 in NY, 30 in LA, 50 on the ocean."""
    catalog("adjust", "NY-A-01", "MUG", "70", "--reason", "found")
    catalog("adjust", "LA", "MUG", "30", "--reason", "found")

    moved = catalog("move", "NY-A-01", "OCEAN-1", "MUG", "50", "--reference", "CONTAINER-1")
    total = catalog("stock", "--sku", "MUG")
    by_site = catalog("stock", "--sku", "MUG", "--group-by", "location")
    by_bin = catalog("stock", "--sku", "MUG", "--group-by", "bin")

    assert moved.exit_code == 0, moved.stderr
    assert moved.row("MUG") == ["MUG", "", "NY-A-01", "OCEAN-1", "50"]
    assert total.row("MUG") == ["MUG", "100", "0", "50"]
    assert by_site.rows() == [
        ["MUG", "LA", "30", "0", "30"],
        ["MUG", "NY", "20", "0", "20"],
        ["MUG", "OCEAN-1", "50", "0", "0"],
    ]
    assert by_bin.row("MUG", "NY-A-01") == ["MUG", "NY-A-01", "20", "0", "20"]


def test_stock_by_lot_and_balance_shows_expiry(catalog):
    catalog(
        "adjust", "NY", "--reason", "found",
        "--line", "HONEY:6:H1:2027-01-31", "--line", "HONEY:4:H2:2027-06-30",
    )
    catalog("move", "NY", "LA", "HONEY", "1", "--lot", "H2")

    by_lot = catalog("stock", "--sku", "HONEY", "--group-by", "lot")
    by_balance = catalog("stock", "--sku", "HONEY", "--group-by", "balance")
    one_lot = catalog("stock", "--sku", "HONEY", "--lot", "H2", "--location", "LA", "--group-by", "balance")

    assert by_lot.rows() == [
        ["HONEY", "H1", "2027-01-31", "6", "0", "6"],
        ["HONEY", "H2", "2027-06-30", "4", "0", "4"],
    ]
    assert by_balance.row("HONEY", "NY", "H2") == ["HONEY", "NY", "H2", "2027-06-30", "3", "0", "3"]
    assert one_lot.rows() == [["HONEY", "LA", "H2", "2027-06-30", "1", "0", "1"]]


def test_stock_warns_in_yellow_about_a_negative_balance(catalog):
    catalog("locations", "add", "POPUP", "--name", "Pop-up", "--kind", "store", "--allow-negative")

    catalog("adjust", "POPUP", "MUG", "-2", "--reason", "sample")
    result = catalog("stock", "--location", "POPUP", "--group-by", "bin")

    assert result.exit_code == 0
    assert result.row("MUG") == ["MUG", "POPUP", "-2", "0", "0"]
    assert "warning: MUG is negative at POPUP: -2" in result.stdout
    coloured = catalog("stock", "--location", "POPUP", color=True)
    yellow = "\x1b[33m"
    assert f"{yellow}warning: MUG is negative at POPUP: -2" in coloured.stdout


def test_stock_of_an_empty_database_says_so(cli_run):
    result = cli_run("stock")

    assert result.exit_code == 0
    assert "No stock." in result.stdout


def test_history_lists_moves_newest_first_and_pages_back(catalog):
    catalog("adjust", "NY", "MUG", "10", "--reason", "found", "--reference", "FIRST")
    catalog("move", "NY", "LA", "MUG", "4")
    catalog("adjust", "LA", "RICE", "1.25", "--reason", "found")

    everything = catalog("history")
    of_mug = catalog("history", "--sku", "MUG", "--limit", "1")
    older = catalog("history", "--sku", "MUG", "--before", of_mug.rows()[0][0])
    at_la = catalog("history", "--location", "LA")

    assert [row[3] for row in everything.rows()] == ["RICE", "MUG", "MUG"]
    assert [row[5:8] for row in of_mug.rows()] == [["NY", "LA", "4"]]
    assert [row[8:10] for row in older.rows()] == [["found", "FIRST"]]
    assert len(at_la.rows()) == 2


def test_history_of_an_unused_item_says_no_moves(catalog):
    result = catalog("history", "--sku", "MUG")

    assert result.exit_code == 0
    assert "No moves." in result.stdout
