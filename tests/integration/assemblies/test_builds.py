"""Bills of materials, build orders (whole and partial), disassembly and lot genealogy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.assemblies.commands import (
    BuildOrderAction,
    BuildRun,
    ComponentLine,
    ComponentLot,
    CreateBuildOrder,
    Disassemble,
    SetBillOfMaterials,
    SetBundleComponents,
)
from onhand.domain.errors import Conflict, InsufficientStock, InvalidInput
from tests.integration.helpers import add_item, add_place, adjust, allocated, assert_books_balance, at, move_count


@pytest.fixture
def shop(onhand):
    """NY; JAM (lot-tracked, the assembly) = 2 BERRY (lot-tracked) + 1 JAR (+10 % scrap).

    BERRY: lot B-EARLY 30 (expires 2026-06-30), lot B-LATE 30 (2026-12-31). JAR: 100.
    """
    add_place(onhand, "NY")
    add_item(onhand, "BERRY", tracking="lot")
    add_item(onhand, "JAR")
    add_item(onhand, "JAM", tracking="lot", kind="assembly", shelf_life_days=365)
    services.boms.set_bill_of_materials(
        onhand, SetBillOfMaterials(
            "JAM", components=[ComponentLine("BERRY", 2), ComponentLine("JAR", 1, scrap_percent=10)],
            labour_cost="1.25", overhead_cost="0.40",
        ),
    )
    adjust(onhand, "NY", "BERRY", 30, lot="B-EARLY", expiry_date="2026-06-30")
    adjust(onhand, "NY", "BERRY", 30, lot="B-LATE", expiry_date="2026-12-31")
    adjust(onhand, "NY", "JAR", 100)
    return onhand


def test_a_bill_of_materials_keeps_its_components_scrap_and_costs(shop):
    bom = services.boms.get_bill_of_materials(shop, "JAM")

    assert [(c.sku, c.quantity, c.scrap_percent) for c in bom.components] == [
        ("BERRY", 2, 0), ("JAR", 1, 10)
    ]
    assert (bom.labour_cost, bom.overhead_cost, bom.kind) == (Decimal("1.25"), Decimal("0.4"), "build")


def test_can_build_is_the_kit_formula_over_free_stock_with_scrap(shop):
    figure = services.boms.can_build(shop, "JAM", location="NY")

    # BERRY 60 // 2 = 30; JAR 100 // 1.1 = 90.
    assert figure.available == 30
    assert [(p.location, p.quantity) for p in figure.locations] == [("NY", 30)]


def test_a_build_order_is_numbered_from_its_id_and_starts_as_a_draft(shop):
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=20))

    assert (order.reference, order.status, order.quantity, order.built) == ("BO-000001", "draft", 20, 0)


def test_a_partial_build_consumes_fefo_in_one_posting_and_records_genealogy(shop):
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=20))
    moves = move_count(shop)

    done = services.builds.build(shop, BuildRun(order.reference, quantity=12, output_lot="J1"))

    assert (done.status, done.built) == ("partially_built", 12)
    (run,) = done.runs
    assert (run.kind, run.lot, run.quantity) == ("build", "J1", 12)
    assert sorted((c.sku, c.lot, c.quantity) for c in run.components) == [
        ("BERRY", "B-EARLY", 24), ("JAR", None, 14),  # 12 × 1.1 = 13.2, rounded up to whole jars
    ]
    assert move_count(shop) == moves + 3  # one posting: 2 components in, the output out
    posting = services.postings.get_posting(shop, run.posting_id)
    assert posting.kind == "build" and posting.reference == "BO-000001"
    assert at(shop, "JAM", "NY") == 12 and at(shop, "BERRY", "NY") == 36 and at(shop, "JAR", "NY") == 86
    # A product is no fresher than what went into it.
    (lot,) = services.lots.list_lots(shop, "JAM")
    assert lot.expiry_date == date(2026, 6, 30)
    assert_books_balance(shop)


def test_the_rest_of_an_order_is_built_later_and_it_is_done(shop):
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=20))
    services.builds.build(shop, BuildRun(order.reference, quantity=12, output_lot="J1"))

    done = services.builds.build(shop, BuildRun(order.reference, output_lot="J2"))

    assert (done.status, done.built, len(done.runs)) == ("done", 20, 1)
    assert sorted((c.sku, c.lot, c.quantity) for c in done.runs[0].components if c.sku == "BERRY") == [
        ("BERRY", "B-EARLY", 6), ("BERRY", "B-LATE", 10)
    ]
    assert [run.lot for run in services.builds.get_build_order(shop, order.reference).runs] == ["J1", "J2"]
    with pytest.raises(Conflict):
        services.builds.build(shop, BuildRun(order.reference, quantity=1, output_lot="J3"))


def test_building_more_than_is_left_is_refused(shop):
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=5))

    with pytest.raises(InvalidInput) as caught:
        services.builds.build(shop, BuildRun(order.reference, quantity=6, output_lot="J1"))

    assert caught.value.field == "quantity"


def test_a_build_takes_only_free_stock_and_lists_every_short_component(shop):
    allocated(shop, ("BERRY", 50))
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=10))
    moves = move_count(shop)

    with pytest.raises(InsufficientStock) as caught:
        services.builds.build(shop, BuildRun(order.reference, output_lot="J1"))

    assert [(s.sku, s.requested, s.available) for s in caught.value.shortages] == [("BERRY", 20, 10)]
    assert move_count(shop) == moves
    assert services.builds.get_build_order(shop, order.reference).built == 0
    assert services.boms.can_build(shop, "JAM", location="NY").available == 5


def test_explicit_component_lots_are_used_and_must_add_up(shop):
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=5))

    with pytest.raises(InvalidInput) as caught:
        services.builds.build(
            shop, BuildRun(order.reference, output_lot="J1", component_lots=[ComponentLot("BERRY", "B-LATE", 9)])
        )
    assert caught.value.field == "components"

    done = services.builds.build(
        shop, BuildRun(order.reference, output_lot="J1", output_expiry="2026-09-01",
        component_lots=[ComponentLot("BERRY", "B-LATE", 6), ComponentLot("BERRY", "B-EARLY", 4)]),
    )
    assert sorted((c.lot, c.quantity) for c in done.runs[0].components if c.sku == "BERRY") == [
        ("B-EARLY", 4), ("B-LATE", 6)
    ]
    assert services.lots.list_lots(shop, "JAM")[0].expiry_date == date(2026, 9, 1)


def test_a_lot_tracked_output_needs_its_lot_code(shop):
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=5))

    with pytest.raises(InvalidInput) as caught:
        services.builds.build(shop, BuildRun(order.reference))

    assert caught.value.field == "output_lot"


def test_genealogy_answers_what_went_into_a_lot_and_where_a_lot_went(shop):
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=20))
    services.builds.build(shop, BuildRun(order.reference, quantity=12, output_lot="J1"))
    services.builds.build(shop, BuildRun(order.reference, quantity=8, output_lot="J2"))

    into_j2 = services.genealogy.lot_genealogy(shop, "JAM", "J2")
    from_early = services.genealogy.lot_genealogy(shop, "BERRY", "B-EARLY")

    assert sorted((ln.child_sku, ln.child_lot, ln.quantity) for ln in into_j2.made_from) == [
        ("BERRY", "B-EARLY", 6), ("BERRY", "B-LATE", 10), ("JAR", None, 9),
    ]
    assert into_j2.used_in == ()
    assert sorted((ln.parent_lot, ln.quantity) for ln in from_early.used_in) == [("J1", 24), ("J2", 6)]


def test_genealogy_walks_several_levels(shop):
    add_item(shop, "GIFTBOX", tracking="lot", kind="assembly")
    services.boms.set_bill_of_materials(shop, SetBillOfMaterials("GIFTBOX", components=[ComponentLine("JAM", 2)]))
    jam = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=4))
    services.builds.build(shop, BuildRun(jam.reference, output_lot="J1"))
    box = services.builds.create_build_order(shop, CreateBuildOrder(sku="GIFTBOX", location="NY", quantity=2))
    services.builds.build(shop, BuildRun(box.reference, output_lot="G1"))

    trace = services.genealogy.lot_genealogy(shop, "BERRY", "B-EARLY", levels=2)

    assert [(ln.depth, ln.parent_sku, ln.parent_lot) for ln in trace.used_in] == [
        (1, "JAM", "J1"), (2, "GIFTBOX", "G1")]


def test_disassembly_gives_components_back_into_the_lots_they_came_from(shop):
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=10))
    services.builds.build(shop, BuildRun(order.reference, output_lot="J1"))

    run = services.disassembly.disassemble(shop, Disassemble(sku="JAM", location="NY", quantity=3, lot="J1"))

    assert run.kind == "disassembly" and run.lot == "J1"
    assert sorted((c.sku, c.lot, c.quantity) for c in run.components) == [("BERRY", "B-EARLY", 6), ("JAR", None, 3)]
    assert services.postings.get_posting(shop, run.posting_id).kind == "disassembly"
    assert at(shop, "JAM", "NY") == 7
    assert_books_balance(shop)


def test_cancelling_keeps_what_was_built_and_finishing_closes_short(shop):
    first = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=10))
    services.builds.build(shop, BuildRun(first.reference, quantity=4, output_lot="J1"))
    second = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=10))

    assert services.builds.finish_build_order(shop, BuildOrderAction(first.reference)).status == "done"
    assert services.builds.start_build_order(shop, BuildOrderAction(second.reference)).status == "in_progress"
    assert services.builds.cancel_build_order(shop, BuildOrderAction(second.reference)).status == "cancelled"
    assert at(shop, "JAM", "NY") == 4
    with pytest.raises(Conflict):
        services.builds.cancel_build_order(shop, BuildOrderAction(second.reference))


def test_a_recipe_cycle_and_a_bundle_component_are_refused(shop):
    add_item(shop, "KIT", kind="bundle")
    services.bundles.set_components(shop, SetBundleComponents("KIT", components=[ComponentLine("JAR", 1)]))

    with pytest.raises(InvalidInput) as cycle:
        services.boms.set_bill_of_materials(shop, SetBillOfMaterials("BERRY", components=[ComponentLine("JAM", 1)]))
    with pytest.raises(InvalidInput) as bundle:
        services.boms.set_bill_of_materials(shop, SetBillOfMaterials("JAR", components=[ComponentLine("KIT", 1)]))

    assert cycle.value.field == "components[0].sku" and "BERRY → JAM → BERRY" in cycle.value.reason
    assert bundle.value.field == "components[0].sku"


def test_a_build_with_an_idempotency_key_posts_once(shop):
    order = services.builds.create_build_order(shop, CreateBuildOrder(sku="JAM", location="NY", quantity=10))
    first = services.builds.build(shop, BuildRun(order.reference, quantity=2, output_lot="J1"), idempotency_key="b-1")
    moves = move_count(shop)

    again = services.builds.build(shop, BuildRun(order.reference, quantity=2, output_lot="J1"), idempotency_key="b-1")

    assert again == first and move_count(shop) == moves
