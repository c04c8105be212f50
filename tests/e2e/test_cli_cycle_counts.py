"""`onhand planning abc` and `onhand cycle-counts`: the plan, a session opened, counted
blind, reviewed and posted from the command line; bad input names its field."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from tests.integration.helpers import at


@pytest.fixture
def stocked(onhand, cli_run):
    """NY with bin NY-A1 holding 3 MUG and 7 CUP."""
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.locations.create_location(onhand, CreateLocation(code="NY-A1", name="A1", kind="bin", parent="NY"))
    for sku in ("MUG", "CUP"):
        services.items.create_item(onhand, CreateItem(sku=sku, name=sku))
    line = services.postings.StockLine
    services.adjustments.post_adjustment(
        onhand, PostAdjustment(location="NY-A1", reason="found", lines=[line("MUG", "3"), line("CUP", "7")]))
    return cli_run


def test_a_counter_counts_by_plan_from_the_command_line(stocked, onhand):
    classes = stocked("planning", "abc")
    assert classes.exit_code == 0, classes.stderr
    assert classes.row("MUG") == ["MUG", "0.00", "0", "0", "C"]
    plan = stocked("cycle-counts", "plan", "NY")
    assert plan.exit_code == 0, plan.stderr
    assert [cells[1:3] for cells in plan.rows() if cells[:1] == ["C"]] == [["NY-A1", "CUP"], ["NY-A1", "MUG"]]

    opened = stocked("cycle-counts", "open", "NY-A1")
    assert opened.exit_code == 0, opened.stderr
    (session,) = services.cycle_counts.list_sessions(onhand, status="open")
    assert opened.row("MUG") == ["MUG", "", ""] and "3" not in opened.row("MUG")  # blind
    assert stocked("cycle-counts", "count", str(session.id), "MUG", "2").row("MUG") == ["MUG", "", "2"]
    assert stocked("cycle-counts", "count", str(session.id), "CUP", "7").exit_code == 0

    reviewed = stocked("cycle-counts", "review", str(session.id))
    assert reviewed.exit_code == 0, reviewed.stderr
    assert reviewed.row("MUG") == ["MUG", "", "3", "0", "3", "2", "-1"]
    posted = stocked("cycle-counts", "post", str(session.id))
    assert posted.exit_code == 0, posted.stderr
    assert "posted" in posted.stdout and at(onhand, "MUG", "NY-A1") == 2
    assert [cells for cells in stocked("cycle-counts", "plan", "NY").rows() if cells[:1] == ["C"]] == []
    again = stocked("cycle-counts", "cancel", str(session.id))
    assert again.exit_code != 0 and "no longer open" in again.stderr


def test_bad_input_names_its_field_and_changes_nothing(stocked, onhand):
    refused = stocked("cycle-counts", "plan", "NY-A1")
    assert refused.exit_code != 0 and "site" in refused.stderr
    assert stocked("cycle-counts", "open", "NY-A1", "--sku", "MUG").exit_code == 0
    (session,) = services.cycle_counts.list_sessions(onhand, status="open")
    refused = stocked("cycle-counts", "count", str(session.id), "MUG", "--", "-1")
    assert refused.exit_code != 0 and "quantity" in refused.stderr
    refused = stocked("planning", "abc", "--a-percent", "120")
    assert refused.exit_code != 0 and "a_percent" in refused.stderr
    assert stocked("cycle-counts", "show", str(session.id)).row("MUG") == ["MUG", "", ""]
