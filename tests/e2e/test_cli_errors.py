"""How the CLI fails: one line on stderr, no traceback, an exit code per error class."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.domain.errors import (
    AlreadyExists,
    Conflict,
    Forbidden,
    IdempotencyConflict,
    InsufficientStock,
    InvalidInput,
    NotFound,
    OnhandError,
    TransientConflict,
    Unauthorized,
)
from onhand.entrypoints.cli.errors import exit_code


def assert_one_line(result, expected_code, expected_line):
    assert result.exit_code == expected_code, (result.stdout, result.stderr)
    assert result.stderr == f"error: {expected_line}\n"
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture
def stocked(cli_run):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "MUG", "--name", "Mug")
    cli_run("adjust", "NY", "MUG", "3", "--reason", "found")
    return cli_run


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidInput("sku", "bad"), 3),
        (NotFound("item", "X"), 4),
        (Conflict("taken"), 5),
        (AlreadyExists("item", "X"), 5),
        (IdempotencyConflict("k"), 5),
        (TransientConflict("deadlock"), 5),
        (InsufficientStock([]), 5),
        (Unauthorized("no key"), 6),
        (Forbidden("no role"), 6),
        (OnhandError("anything else"), 1),
    ],
)
def test_each_error_class_has_its_exit_code(error, code):
    assert exit_code(error) == code


def test_an_over_precise_quantity_is_invalid_input(stocked):
    result = stocked("adjust", "NY", "MUG", "-1.5", "--reason", "lost")

    assert_one_line(
        result, 3, "lines[0].quantity: -1.5 is more precise than unit 'each' allows (whole numbers)"
    )


def test_a_quantity_that_is_not_a_number_is_invalid_input(stocked):
    result = stocked("adjust", "NY", "MUG", "lots", "--reason", "found")

    assert_one_line(
        result, 3, "lines[0].quantity: 'lots' is not a number: write digits with an optional leading '-' "
        "and one decimal point, like 12 or -0.5",
    )


def test_an_unknown_sku_is_not_found(stocked):
    result = stocked("adjust", "NY", "NOPE", "1", "--reason", "found")

    assert_one_line(result, 4, "lines[0].sku: unknown item 'NOPE'")


def test_an_unknown_location_is_not_found(stocked):
    assert_one_line(stocked("locations", "show", "MARS"), 4, "code: unknown location 'MARS'")


def test_a_taken_sku_is_a_conflict(stocked):
    result = stocked("items", "add", "MUG", "--name", "Another mug")

    assert_one_line(result, 5, "sku: item 'MUG' already exists")


def test_taking_more_than_is_on_hand_is_a_conflict(stocked):
    result = stocked("move", "NY", "NY", "MUG", "1")
    assert_one_line(result, 3, "destination: must differ from the source")

    stocked("locations", "add", "LA", "--name", "LA", "--kind", "store")
    result = stocked("move", "NY", "LA", "MUG", "5")

    assert_one_line(result, 5, "insufficient stock: MUG at NY: requested 5, only 3 available")


def test_reusing_an_idempotency_key_for_another_request_is_a_conflict(stocked):
    stocked("adjust", "NY", "MUG", "1", "--reason", "found", "--idempotency-key", "once")

    result = stocked("adjust", "NY", "MUG", "2", "--reason", "found", "--idempotency-key", "once")

    assert_one_line(result, 5, "idempotency_key: 'once' was already used for a different request")


def test_an_unknown_reason_code_is_not_found(stocked):
    result = stocked("adjust", "NY", "MUG", "1", "--reason", "bored")

    assert_one_line(result, 4, "reason: unknown reason code 'bored'")


def test_a_bad_group_by_is_invalid_input(stocked):
    result = stocked("stock", "--group-by", "colour")

    assert_one_line(result, 3, "group_by: 'colour' is not one of item, location, bin, lot, balance")


@pytest.mark.parametrize(
    ("error", "code"),
    [(Unauthorized("a valid API key is required"), 6), (Forbidden("role: may not"), 6),
     (OnhandError("the ledger is busy"), 1)],
)
def test_errors_no_command_raises_today_still_map_to_one_line(cli_run, monkeypatch, error, code):
    def refuse(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(services.keys, "list_api_keys", refuse)

    assert_one_line(cli_run("keys", "list"), code, error.message)


def test_a_bad_integer_option_is_a_usage_error_on_one_line(cli_run):
    result = cli_run("items", "add", "MUG", "--name", "Mug", "--shelf-life-days", "soon")

    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: Invalid value for '--shelf-life-days'")
    assert result.stderr.endswith("(see 'onhand items add --help')\n")


def test_a_missing_argument_or_option_is_a_usage_error_on_one_line(cli_run):
    missing_reason = cli_run("adjust", "NY", "MUG", "1")
    missing_quantity = cli_run("adjust", "NY", "MUG", "--reason", "found")
    nothing = cli_run("move", "NY", "LA")

    assert_one_line(missing_reason, 2, "Missing option '--reason'. (see 'onhand adjust --help')")
    assert_one_line(
        missing_quantity, 2,
        "Invalid value for 'QTY': a quantity must follow the SKU (see 'onhand adjust --help')",
    )
    assert_one_line(
        nothing, 2, "Invalid value for 'SKU': give SKU and QTY, or at least one --line "
        "(see 'onhand move --help')",
    )


def test_a_malformed_line_option_is_a_usage_error(cli_run):
    result = cli_run("adjust", "NY", "--reason", "found", "--line", "MUG")

    assert_one_line(
        result, 2,
        "Invalid value for '--line': 'MUG' is not SKU:QTY[:LOT[:EXPIRY]][@COST] (see 'onhand adjust --help')",
    )


def test_an_unknown_command_is_a_usage_error(cli_run):
    result = cli_run("sell")

    assert_one_line(result, 2, "No such command 'sell'. (see 'onhand --help')")


def test_a_database_that_cannot_be_opened_is_one_line_without_the_password(cli_runner):
    url = "postgresql://onhand:s3cret@127.0.0.1:1/none"
    result = cli_runner.run(["--database-url", url, "stock"])

    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot open database postgresql://onhand:***@127.0.0.1:1/none: ")
    assert result.stderr.count("\n") == 1
    assert "s3cret" not in result.stdout + result.stderr
