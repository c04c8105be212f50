"""Planning commands: frozen records of typed fields, their canonical form and the
fingerprint made of it (any changed field gives another)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from onhand.domain.commands import canonical, fingerprint
from onhand.domain.planning.commands import CreateSuggestedDocuments, ScanAlerts, SetReorderRule


def a_rule(**changes) -> SetReorderRule:
    return SetReorderRule(**({"sku": "MUG", "site": "NY", "minimum": D("10"), "maximum": D("50"),
                              "supplier": "ACME"} | changes))


def test_a_rule_reads_back_as_its_fields_with_decimals_as_text():
    assert canonical(a_rule()) == {
        "sku": "MUG", "site": "NY", "minimum": "10", "maximum": "50", "reorder_quantity": None,
        "safety_stock": None, "service_level": None, "supplier": "ACME", "lead_time_days": None,
        "min_order_quantity": None, "order_multiple": None, "demand_window_days": 90,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        a_rule().sku = "TEA"  # type: ignore[misc]


@pytest.mark.parametrize("change", [{"minimum": D("11")}, {"maximum": None}, {"service_level": D("0.95")},
                                    {"site": "LA"}, {"demand_window_days": 30}])
def test_any_changed_field_of_a_rule_changes_its_fingerprint(change):
    assert fingerprint("set_reorder_rule", a_rule(**change)) != fingerprint("set_reorder_rule", a_rule())
    assert fingerprint("set_reorder_rule", a_rule()) == fingerprint("set_reorder_rule", a_rule())


def test_suggested_documents_keep_their_skus_as_a_tuple_and_a_scan_its_days():
    made = CreateSuggestedDocuments(skus=["MUG", "TEA"])  # type: ignore[arg-type]
    assert made.skus == ("MUG", "TEA") and canonical(made) == {"skus": ["MUG", "TEA"]}
    assert canonical(ScanAlerts(expiry_days=7)) == {"expiry_days": 7}
