"""Commands of assemblies: frozen records, their canonical form (the request dicts the
services built by hand before), fingerprints, and the edge's parsers naming the field."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal as D

import pytest

from onhand.domain.assemblies.commands import (
    BuildOrderAction,
    BuildRun,
    ComponentLine,
    ComponentLot,
    CreateBuildOrder,
    Disassemble,
    SetBillOfMaterials,
    SetBundleComponents,
    parse_component_line,
    parse_component_lot,
)
from onhand.domain.calendar import read_moment
from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import InvalidInput


def a_bom(**changes) -> SetBillOfMaterials:
    fields = {
        "sku": "JAM", "components": [ComponentLine("BERRY", D("2")), ComponentLine("JAR", D("1"), D("10"))],
        "labour_cost": D("1.25"), "overhead_cost": D("0.40"), "note": "summer",
    }
    return SetBillOfMaterials(**(fields | changes))


def a_run(**changes) -> BuildRun:
    fields = {
        "reference": "BO-000001", "quantity": D("12"), "output_lot": "J1", "output_expiry": date(2026, 12, 31),
        "component_lots": [ComponentLot("BERRY", "B-LATE", D("6"))], "effective_at": datetime(2026, 3, 1, 17, 0),
    }
    return BuildRun(**(fields | changes))


def test_commands_are_frozen_and_keep_their_lines_as_tuples():
    bom, run = a_bom(), a_run()
    assert isinstance(bom.components, tuple)
    assert isinstance(run.component_lots, tuple)
    assert isinstance(SetBundleComponents("KIT", [ComponentLine("MUG", D(1))]).components, tuple)
    assert isinstance(Disassemble("JAM", "NY", D(1), component_lots=[]).component_lots, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.quantity = D(1)  # type: ignore[misc]
    assert hash(BuildOrderAction("BO-000001")) == hash(BuildOrderAction("BO-000001"))
    assert hash(a_run()) == hash(a_run())


def test_the_canonical_form_is_the_request_dict_the_services_built():
    # The keys and values set_bill_of_materials put in its hand-built request.
    assert canonical(a_bom()) == {
        "sku": "JAM",
        "components": [{"sku": "BERRY", "quantity": "2", "scrap_percent": "0"},
                       {"sku": "JAR", "quantity": "1", "scrap_percent": "10"}],
        "labour_cost": "1.25", "overhead_cost": "0.40", "note": "summer",
    }
    # build's request: `output_lot` (not the old parameter's name), the moment as str() made it.
    assert canonical(a_run()) == {
        "reference": "BO-000001", "quantity": "12", "output_lot": "J1", "output_expiry": "2026-12-31",
        "component_lots": [{"sku": "BERRY", "lot": "B-LATE", "quantity": "6", "expiry_date": None}],
        "effective_at": "2026-03-01 17:00:00",
    }
    assert canonical(BuildRun("BO-000002")) == {
        "reference": "BO-000002", "quantity": None, "output_lot": None, "output_expiry": None,
        "component_lots": [], "effective_at": None,
    }
    assert canonical(BuildOrderAction("BO-000001")) == {"reference": "BO-000001"}


def test_a_fingerprint_matches_the_one_the_hand_built_dict_gave():
    before = {"sku": "JAM", "location": "NY", "quantity": "5", "reference": None, "note": None}
    command = CreateBuildOrder(sku="JAM", location="NY", quantity=D("5"))
    assert fingerprint("create_build_order", command) == fingerprint("create_build_order", before)
    old_disassembly = {
        "sku": "JAM", "location": "NY", "quantity": "3", "lot": "J1", "reference": None, "note": None,
        "component_lots": [], "effective_at": None,
    }
    assert fingerprint("disassemble", Disassemble("JAM", "NY", D("3"), lot="J1")) == fingerprint(
        "disassemble", old_disassembly
    )
    # as the CLI gave it (scrap "0" as text)
    old_bundle = {"sku": "KIT", "components": [{"sku": "MUG", "quantity": "1", "scrap_percent": "0"}]}
    assert fingerprint("set_bundle_components", SetBundleComponents("KIT", (ComponentLine("MUG", D("1")),))) == (
        fingerprint("set_bundle_components", old_bundle)
    )


def test_the_same_command_gives_the_same_fingerprint_and_any_change_another():
    assert fingerprint("build", a_run()) == fingerprint("build", a_run())
    # a list or a tuple of lots alike
    assert fingerprint("build", a_run(component_lots=(ComponentLot("BERRY", "B-LATE", D("6")),))) == (
        fingerprint("build", a_run())
    )
    changed = [
        a_run(quantity=D("11")), a_run(output_lot="J2"), a_run(output_expiry=None),
        a_run(component_lots=[ComponentLot("BERRY", "B-EARLY", D("6"))]),
        a_run(effective_at=datetime(2026, 3, 1, 18, 0)), a_run(effective_at=date(2026, 3, 1)),
    ]
    prints = {fingerprint("build", command) for command in changed}
    assert len(prints) == len(changed) and fingerprint("build", a_run()) not in prints
    assert fingerprint("build", a_run()) != fingerprint("disassemble", a_run())
    assert fingerprint("set_bill_of_materials", a_bom(labour_cost=D("1.26"))) != (
        fingerprint("set_bill_of_materials", a_bom())
    )


def test_the_edge_parses_text_into_typed_lines():
    assert parse_component_line("components[0]", sku="JAR", quantity="1.5", scrap_percent=10) == (
        ComponentLine("JAR", D("1.5"), D("10"))
    )
    assert parse_component_lot("components[1]", sku="JAM", lot="J1", quantity=3, expiry_date="2027-01-31") == (
        ComponentLot("JAM", "J1", D("3"), date(2027, 1, 31))
    )
    assert parse_component_lot("components[1]", sku="JAM", lot="J1", quantity="3").expiry_date is None
    assert read_moment("2026-03-01T17:00", "effective_at") == datetime(2026, 3, 1, 17, 0)


@pytest.mark.parametrize(
    ("parse", "field"),
    [
        (lambda: parse_component_line("components[2]", sku="JAR", quantity="two"), "components[2].quantity"),
        (lambda: parse_component_line("components[0]", sku="JAR", quantity=1.5), "components[0].quantity"),
        (lambda: parse_component_line("components[1]", sku="JAR", quantity="1", scrap_percent="x"),
         "components[1].scrap_percent"),
        (lambda: parse_component_lot("components[0]", sku="JAM", lot="J1", quantity="1e3x"), "components[0].quantity"),
        (lambda: parse_component_lot("components[3]", sku="JAM", lot="J1", quantity="1", expiry_date="31/01/2027"),
         "components[3].expiry_date"),
        (lambda: read_moment("soon", "effective_at"), "effective_at"),
    ],
)
def test_an_edge_parse_error_names_the_field(parse, field):
    with pytest.raises(InvalidInput) as error:
        parse()
    assert error.value.field == field
