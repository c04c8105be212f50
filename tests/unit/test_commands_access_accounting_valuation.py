"""Commands of API keys, accounting and valuation: frozen records, canonical forms and
fingerprints, and the lock date read at the edge."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from onhand.domain.access.commands import CreateApiKey, RevokeApiKey, RotateApiKey, UpdateApiKey
from onhand.domain.accounting.commands import PostJournal, UpdateAccountingSettings, read_lock_date
from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import InvalidInput
from onhand.domain.valuation.commands import (
    OpeningCost,
    SetCompanyCostingMethod,
    SetItemCostingMethod,
    ValueOpeningStock,
)


def test_key_commands_have_the_fields_the_request_dicts_had():
    assert fingerprint("revoke_api_key", RevokeApiKey(7)) == fingerprint("revoke_api_key", {"id": 7})
    assert fingerprint("update_api_key", UpdateApiKey(7, name="ci", role="reader")) == fingerprint(
        "update_api_key", {"id": 7, "name": "ci", "role": "reader"})
    assert fingerprint("rotate_api_key", RotateApiKey(7)) != fingerprint("rotate_api_key", RotateApiKey(7, 0))
    ends = datetime(2027, 1, 1, tzinfo=UTC)
    assert canonical(CreateApiKey("ci", "reader", ends)) == {
        "name": "ci", "role": "reader", "expires_at": "2027-01-01 00:00:00+00:00"}


def test_posting_a_journal_keeps_its_fingerprint_and_lock_changes_it():
    assert fingerprint("post_journal", PostJournal(date(2026, 3, 1))) == fingerprint(
        "post_journal", {"day": "2026-03-01", "lock": False})
    assert fingerprint("post_journal", PostJournal(date(2026, 3, 1), lock=True)) != fingerprint(
        "post_journal", PostJournal(date(2026, 3, 1)))


def test_accounting_settings_are_frozen_all_the_way_down():
    categories = {"food": {"cogs": "5010"}}
    command = UpdateAccountingSettings(accounts={"inventory": "1400"}, categories=categories)
    categories["food"]["cogs"] = "9999"
    assert canonical(command) == {
        "accounts": {"inventory": "1400"}, "categories": {"food": {"cogs": "5010"}}, "track_locations": None,
        "lock_date": None, "remove_lock_date": False, "currency": None, "target": None, "region": None,
        "tax_rate": None, "date_format": None,
    }
    with pytest.raises(TypeError):
        command.categories["food"]["cogs"] = "1"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.currency = "EUR"  # type: ignore[misc]
    assert fingerprint("x", UpdateAccountingSettings(remove_lock_date=True)) != fingerprint(
        "x", UpdateAccountingSettings())


def test_a_lock_date_is_read_at_the_edge_blank_removing_it():
    assert read_lock_date("2026-03-31") == (date(2026, 3, 31), False)
    assert read_lock_date(" ") == (None, True)
    assert read_lock_date(None) == (None, False)
    with pytest.raises(InvalidInput) as error:
        read_lock_date("31.03.2026")
    assert error.value.field == "lock_date"


def test_valuation_commands_fingerprint_their_lines():
    line = OpeningCost("TEA", D("4.10"), location="NY")
    command = ValueOpeningStock([line], reference="OPEN")
    assert isinstance(command.lines, tuple)
    before = {"lines": [line.__dict__], "reference": "OPEN", "note": None}
    assert fingerprint("value_opening_stock", command) == fingerprint("value_opening_stock", before)
    assert fingerprint("value_opening_stock", command) != fingerprint(
        "value_opening_stock", ValueOpeningStock([OpeningCost("TEA", D("4.11"), location="NY")], reference="OPEN"))
    assert fingerprint("set_costing_method", SetCompanyCostingMethod("fifo")) == fingerprint(
        "set_costing_method", {"method": "fifo"})
    assert canonical(SetItemCostingMethod("TEA", None)) == {"sku": "TEA", "method": None}
