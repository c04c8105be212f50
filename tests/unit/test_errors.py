"""Errors echo what they were given, but never more than a line's worth."""

from __future__ import annotations

from onhand.domain.errors import ECHO_LIMIT, AlreadyExists, InvalidInput, NotFound, clipped


def test_a_short_value_is_echoed_whole() -> None:
    assert clipped("TEA-1") == "TEA-1"


def test_a_long_value_is_cut_and_says_how_long_it_was() -> None:
    assert clipped("x" * 5000) == "x" * ECHO_LIMIT + "… (5000 characters)"


def test_an_unknown_or_taken_key_is_echoed_cut_short_in_message_and_key() -> None:
    for error in (NotFound("item", "S" * 10**6, "sku"), AlreadyExists("item", "S" * 10**6, "sku")):
        assert len(error.message) < 300
        assert len(str(error.to_dict()["key"])) < 200


def test_an_invalid_input_cuts_a_long_field_name_and_reason() -> None:
    error = InvalidInput("f" * 10**6, "r" * 10**6)
    assert len(error.field) < 300 and len(error.reason) < 600 and len(error.message) < 900
