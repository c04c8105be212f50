"""The CLI reads numbers as the API does and reports what `verify` finds, never a traceback."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from onhand.adapters.db.engine import normalize_url


@pytest.fixture
def stocked(cli_run):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "MUG", "--name", "Mug")
    cli_run("adjust", "NY", "MUG", "3", "--reason", "found")
    return cli_run


@pytest.mark.parametrize("quantity", ["1e1", "+1", "1_0", "\uff11"])
def test_a_quantity_outside_the_published_form_exits_3_naming_it(stocked, quantity):
    result = stocked("adjust", "NY", "MUG", quantity, "--reason", "found")
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: lines[0].quantity: ") and "not a number" in result.stderr


def test_verify_lists_a_stored_number_it_cannot_read_exactly_and_exits_1(stocked, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("only SQLite stores a REAL in an integer column")
    engine = create_engine(normalize_url(database_url))
    with engine.begin() as conn:  # what an overflowing sum left there before balances were bounded
        conn.execute(text("UPDATE balances SET on_hand = 9.3e18 WHERE on_hand = 3000000"))
    engine.dispose()
    result = stocked("verify")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert "Stored numbers that are not exact quantities" in result.stdout
    assert "9.3e+18" in result.stdout
