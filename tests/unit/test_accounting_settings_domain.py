"""The small domain rules the accounting feed adds: default codes, roles, categories, inventory change."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from onhand.domain.accounting.accounts import DEFAULT_CODES, AccountMap, AccountRole, parse_role
from onhand.domain.accounting.journal import inventory_change
from onhand.domain.catalog.items import validate_category
from onhand.domain.errors import InvalidInput
from onhand.domain.valuation.move_roles import MoveRole


def test_the_default_codes_give_every_role_an_account():
    assert AccountMap(DEFAULT_CODES).code(AccountRole.INVENTORY) == "630"


def test_a_role_is_read_by_its_name_and_an_unknown_one_is_named_in_the_error():
    assert parse_role(" COGS ") is AccountRole.COGS
    with pytest.raises(InvalidInput) as error:
        parse_role("stock", "accounts.stock")
    assert error.value.field == "accounts.stock"


def test_a_category_is_trimmed_and_an_empty_one_is_none():
    assert validate_category("  coffee ") == "coffee"
    assert validate_category("") is None and validate_category(None) is None
    with pytest.raises(InvalidInput) as error:
        validate_category("x" * 65)
    assert error.value.field == "category"


@pytest.mark.parametrize(("role", "value", "variance", "change"), [
    (MoveRole.RECEIPT, D(110), D(0), D(110)),
    (MoveRole.RETURN, D(10), D(1), D(9)),  # the variance went to COGS
    (MoveRole.SHIPMENT, D(80), D(0), D(-80)),
    (MoveRole.BUILD_CONSUMPTION, D(5), D(0), D(-5)),
    (MoveRole.TRANSFER, D(22), D(0), D(0)),
    (MoveRole.TRANSFER, D(22), D(2), D(-2)),
])
def test_what_a_move_changes_the_inventory_asset_by(role, value, variance, change):
    assert inventory_change(role, value, variance) == change
