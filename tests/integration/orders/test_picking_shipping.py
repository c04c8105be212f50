"""Pick, pack and ship through the services, on every database.

Picking marks reserved units as picked (a different scanned lot moves the
reservation to it), packing puts picked units into packages, and shipping posts
`location → CUSTOMER` for what leaves, consuming the order's reservations.
"""

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import SetLocationRouting, SetLotStatus, UpdateCompany
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.ledger.commands import PostStockCount
from onhand.domain.orders.commands import (
    ConfirmPick,
    OrderAction,
    PackageSpec,
    PackOrder,
    PickConfirmation,
    ShipLine,
    ShipOrder,
)
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import (
    add_item,
    add_place,
    adjust,
    allocated,
    assert_books_balance,
    held,
    level,
    move_count,
    order,
)


@pytest.fixture(autouse=True)
def books_balance_after_every_scenario(onhand):
    yield
    assert_books_balance(onhand)


@pytest.fixture
def warehouse(onhand):
    add_item(onhand, "W")
    add_item(onhand, "G")
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    return onhand


def pick(onhand, reference, *picks, idempotency_key=None, **options):
    return services.picking.confirm_pick(
        onhand, ConfirmPick(reference, picks=[PickConfirmation(*p) for p in picks], **options),
        idempotency_key=idempotency_key,
    )


def ship(onhand, reference, *lines, idempotency_key=None, **options):
    return services.shipping.ship_order(
        onhand, ShipOrder(reference, lines=[ShipLine(*ln) for ln in lines] if lines else None, **options),
        idempotency_key=idempotency_key,
    )


def picked(view):
    return sorted((ln.line_no, r.location, r.lot, r.quantity, r.picked) for ln in view.lines for r in ln.reservations)


# --- pick lists -------------------------------------------------------------------------


def test_a_pick_list_is_grouped_by_site_with_bins_in_walking_order(warehouse):
    for code, parent, walk in (("NY-A", "NY", 3), ("NY-B", "NY", 1), ("NY-C", "NY", None), ("LA-1", "LA", None)):
        add_place(warehouse, code, kind="bin", parent=parent)
        if walk is not None:
            services.locations.set_location_routing(warehouse, SetLocationRouting(code=code, walk_order=walk))
        adjust(warehouse, code, "W", 1)
    adjust(warehouse, "NY-A", "G", 1)
    view = allocated(warehouse, ("W", 4), ("G", 1))
    pick_list = services.picking.pick_list(warehouse, view.reference)
    assert pick_list.order == view.reference
    assert [site.site for site in pick_list.sites] == ["LA", "NY"]
    la, ny = pick_list.sites
    assert [(ln.location, ln.sku, ln.quantity) for ln in la.lines] == [("LA-1", "W", 1)]
    assert [(ln.location, ln.sku, ln.line_no) for ln in ny.lines] == [
        ("NY-B", "W", 1),
        ("NY-A", "G", 2),
        ("NY-A", "W", 1),
        ("NY-C", "W", 1),
    ]


def test_a_wave_pick_list_walks_every_orders_picks_together(warehouse):
    for code, walk in (("NY-A", 2), ("NY-B", 1)):
        add_place(warehouse, code, kind="bin", parent="NY")
        services.locations.set_location_routing(warehouse, SetLocationRouting(code=code, walk_order=walk))
    adjust(warehouse, "NY-A", "W", 5)
    adjust(warehouse, "NY-B", "G", 5)
    first = allocated(warehouse, ("W", 2), ("G", 1)).reference
    second = allocated(warehouse, ("W", 1)).reference
    third = allocated(warehouse, ("G", 2)).reference
    [ny] = services.picking.wave_pick_list(warehouse, [second, first, third, first])
    assert ny.site == "NY"
    assert [(p.line.location, p.line.sku, p.order, p.line.quantity) for p in ny.picks] == [
        ("NY-B", "G", first, 1), ("NY-B", "G", third, 2), ("NY-A", "W", first, 2), ("NY-A", "W", second, 1)]


@pytest.mark.parametrize("orders", [[], [""], [f"SO-{n}" for n in range(201)]])
def test_a_wave_pick_list_names_one_to_200_orders(warehouse, orders):
    with pytest.raises(InvalidInput) as refused:
        services.picking.wave_pick_list(warehouse, orders)
    assert refused.value.field == "orders"


def test_a_pick_list_shows_lots_with_expiry_and_only_what_is_left_to_pick(warehouse):
    adjust(warehouse, "NY", "TEA", 2, lot="L-APR", expiry_date="2026-04-01")
    adjust(warehouse, "NY", "TEA", 5, lot="L-JUN", expiry_date="2026-06-01")
    view = allocated(warehouse, ("TEA", 4))
    pick(warehouse, view.reference, ("TEA", "NY", 1, "L-APR"))
    (site,) = services.picking.pick_list(warehouse, view.reference).sites
    assert [(ln.lot, str(ln.expiry_date), ln.quantity) for ln in site.lines] == [
        ("L-APR", "2026-04-01", 1),
        ("L-JUN", "2026-06-01", 2),
    ]
    pick(warehouse, view.reference, ("TEA", "NY", 1, "L-APR"), ("TEA", "NY", 2, "L-JUN"))
    assert services.picking.pick_list(warehouse, view.reference).sites == ()


# --- confirming picks --------------------------------------------------------------------


def test_confirming_a_pick_marks_reserved_units_as_picked_and_moves_no_stock(warehouse):
    adjust(warehouse, "NY", "W", 5)
    view = allocated(warehouse, ("W", 3))
    before = move_count(warehouse)
    after = pick(warehouse, view.reference, ("W", "NY", 2))
    assert picked(after) == [(1, "NY", None, 3, 2)]
    assert after.lines[0].picked == 2 and after.status == "allocated"
    assert move_count(warehouse) == before and level(warehouse, "W") == (5, 3, 2)


def test_scanning_another_free_lot_moves_the_reservation_onto_it(warehouse):
    # Given the suggested lot is L-APR,
    adjust(warehouse, "NY", "TEA", 5, lot="L-APR", expiry_date="2026-04-01")
    adjust(warehouse, "NY", "TEA", 5, lot="L-JUN", expiry_date="2026-06-01")
    view = allocated(warehouse, ("TEA", 3))
    assert held(view) == [(1, "NY", "L-APR", 3)]
    # when the picker scans 2 of L-JUN,
    after = pick(warehouse, view.reference, ("TEA", "NY", 2, "L-JUN"))
    # then 2 are reserved (and picked) from L-JUN and only 1 is still promised from L-APR.
    assert picked(after) == [(1, "NY", "L-APR", 1, 0), (1, "NY", "L-JUN", 2, 2)]
    assert level(warehouse, "TEA", lot="L-APR") == (5, 1, 4)
    assert level(warehouse, "TEA", lot="L-JUN") == (5, 2, 3)
    assert_books_balance(warehouse)


def test_a_scanned_lot_that_is_not_free_is_refused_and_nothing_changes(warehouse):
    adjust(warehouse, "NY", "TEA", 5, lot="L-APR", expiry_date="2026-04-01")
    adjust(warehouse, "NY", "TEA", 1, lot="L-JUN", expiry_date="2026-06-01")
    view = allocated(warehouse, ("TEA", 3))
    with pytest.raises(Conflict, match="L-JUN"):
        pick(warehouse, view.reference, ("TEA", "NY", 2, "L-JUN"))
    assert picked(services.sales_orders.get_order(warehouse, view.reference)) == [(1, "NY", "L-APR", 3, 0)]
    assert level(warehouse, "TEA", lot="L-JUN") == (1, 0, 1)
    assert_books_balance(warehouse)


def test_picking_an_expired_lot_is_refused_naming_the_pick_and_nothing_is_written(warehouse):
    adjust(warehouse, "NY", "W", 5)
    adjust(warehouse, "NY", "TEA", 5, lot="OLD", expiry_date="2026-03-01")
    adjust(warehouse, "NY", "TEA", 5, lot="GOOD", expiry_date="2026-09-01")
    view = allocated(warehouse, ("W", 1), ("TEA", 2))
    with pytest.raises(InvalidInput) as error:
        pick(warehouse, view.reference, ("W", "NY", 1), ("TEA", "NY", 2, "OLD"))
    assert error.value.field == "picks[1].lot" and "expired" in error.value.reason
    with pytest.raises(InvalidInput) as error:
        pick(warehouse, view.reference, ("TEA", "NY", 2, "OLD"))
    assert error.value.field == "picks[0].lot"
    assert picked(services.sales_orders.get_order(warehouse, view.reference)) == [
        (1, "NY", None, 1, 0),
        (2, "NY", "GOOD", 2, 0),
    ]
    assert_books_balance(warehouse)


@pytest.mark.parametrize("status", ["quarantined", "recalled"])
def test_picking_a_lot_that_is_not_released_is_refused(warehouse, status):
    adjust(warehouse, "NY", "TEA", 5, lot="GOOD", expiry_date="2026-09-01")
    adjust(warehouse, "NY", "TEA", 5, lot="HELD", expiry_date="2026-09-01")
    services.lots.set_lot_status(warehouse, SetLotStatus(sku="TEA", code="HELD", status=status))
    view = allocated(warehouse, ("TEA", 2))
    with pytest.raises(InvalidInput) as error:
        pick(warehouse, view.reference, ("TEA", "NY", 2, "HELD"))
    assert error.value.field == "picks[0].lot" and status in error.value.reason


def test_picking_a_lot_too_short_dated_for_the_order_is_refused(warehouse):
    services.company.update_company(warehouse, UpdateCompany(min_remaining_shelf_life_days=30))
    adjust(warehouse, "NY", "TEA", 5, lot="SHORT", expiry_date="2026-03-20")
    adjust(warehouse, "NY", "TEA", 5, lot="LONG", expiry_date="2026-09-01")
    view = allocated(warehouse, ("TEA", 2))
    with pytest.raises(InvalidInput, match="too soon") as error:
        pick(warehouse, view.reference, ("TEA", "NY", 2, "SHORT"))
    assert error.value.field == "picks[0].lot"


def test_a_reserved_lot_that_has_expired_since_allocation_cannot_be_picked(warehouse, clock):
    adjust(warehouse, "NY", "TEA", 5, lot="SOON", expiry_date="2026-03-05")
    view = allocated(warehouse, ("TEA", 2))
    assert held(view) == [(1, "NY", "SOON", 2)]
    clock.advance(days=5)  # 2026-03-07: SOON expired two days ago
    with pytest.raises(InvalidInput) as error:
        pick(warehouse, view.reference, ("TEA", "NY", 2, "SOON"))
    assert error.value.field == "picks[0].lot"
    assert picked(services.sales_orders.get_order(warehouse, view.reference)) == [(1, "NY", "SOON", 2, 0)]


def test_a_line_that_pinned_a_lot_cannot_be_picked_from_another_lot(warehouse):
    adjust(warehouse, "NY", "TEA", 5, lot="ASKED", expiry_date="2026-09-01")
    adjust(warehouse, "NY", "TEA", 5, lot="OTHER", expiry_date="2026-06-01")
    view = allocated(warehouse, ("TEA", 2, "ASKED"))
    with pytest.raises(InvalidInput) as error:
        pick(warehouse, view.reference, ("TEA", "NY", 2, "OTHER"))
    assert error.value.field == "picks[0].lot"
    assert level(warehouse, "TEA", lot="OTHER") == (5, 0, 5)


def test_picking_more_than_is_left_to_pick_there_is_a_conflict(warehouse):
    adjust(warehouse, "NY", "W", 5)
    view = allocated(warehouse, ("W", 2))
    with pytest.raises(Conflict, match="only 2"):
        pick(warehouse, view.reference, ("W", "NY", 3))
    with pytest.raises(Conflict, match="only 0"):
        pick(warehouse, view.reference, ("W", "LA", 1))
    pick(warehouse, view.reference, ("W", "NY", 2))
    with pytest.raises(Conflict):
        pick(warehouse, view.reference, ("W", "NY", 1))


def test_a_pick_of_a_lot_tracked_item_needs_the_scanned_lot(warehouse):
    adjust(warehouse, "NY", "TEA", 5, lot="L1")
    view = allocated(warehouse, ("TEA", 1))
    with pytest.raises(InvalidInput) as error:
        pick(warehouse, view.reference, ("TEA", "NY", 1))
    assert error.value.field == "picks[0].lot"
    with pytest.raises(InvalidInput) as error:
        services.picking.confirm_pick(warehouse, ConfirmPick(view.reference, picks=[]))
    assert error.value.field == "picks"


# --- packing ------------------------------------------------------------------------------


def test_picked_goods_are_packed_into_packages_with_their_details(warehouse):
    adjust(warehouse, "NY", "W", 5)
    adjust(warehouse, "NY", "G", 5)
    view = allocated(warehouse, ("W", 3), ("G", 1))
    pick(warehouse, view.reference, ("W", "NY", 3), ("G", "NY", 1))
    packed = services.shipping.pack_order(
        warehouse, PackOrder(view.reference,
        packages=[
            PackageSpec(contents=[(1, 2)], carrier="UPS", tracking_number="1Z999", weight_kg="1.250",
                        dimensions_cm=(30, 20, "10.5")),
            PackageSpec(contents=[(1, 1), (2, 1)]),
        ]),
    )
    first, second = packed.packages
    assert (first.carrier, first.tracking_number, first.weight_kg) == ("UPS", "1Z999", Decimal("1.250"))
    assert (first.length_cm, first.width_cm, first.height_cm) == (30, 20, Decimal("10.5"))
    assert first.contents == ((1, 2),) and second.contents == ((1, 1), (2, 1))
    assert first.shipment_id is None


def test_packing_more_than_was_picked_is_a_conflict_and_packs_nothing(warehouse):
    adjust(warehouse, "NY", "W", 5)
    view = allocated(warehouse, ("W", 3))
    pick(warehouse, view.reference, ("W", "NY", 2))
    with pytest.raises(Conflict, match="line 1 has 2 picked"):
        services.shipping.pack_order(warehouse, PackOrder(view.reference, packages=[PackageSpec(contents=[(1, 3)])]))
    services.shipping.pack_order(warehouse, PackOrder(view.reference, packages=[PackageSpec(contents=[(1, 1)])]))
    with pytest.raises(Conflict, match="2 of it already packed"):
        services.shipping.pack_order(
            warehouse, PackOrder(view.reference, packages=[PackageSpec(contents=[(1, 1)]), PackageSpec(contents=[(1,
                1)])])
        )
    assert len(services.sales_orders.get_order(warehouse, view.reference).packages) == 1


def test_bad_packages_are_refused_naming_the_field(warehouse):
    adjust(warehouse, "NY", "W", 5)
    view = allocated(warehouse, ("W", 3))
    pick(warehouse, view.reference, ("W", "NY", 3))
    for spec, field in (
        (PackageSpec(contents=[(9, 1)]), "packages[0].contents[0].line_no"),
        (PackageSpec(contents=[(1, 0)]), "packages[0].contents[0].quantity"),
        (PackageSpec(contents=[]), "packages[0].contents"),
        (PackageSpec(contents=[(1, 1)], dimensions_cm=(1, 2)), "packages[0].dimensions_cm"),
        (PackageSpec(contents=[(1, 1)], weight_kg="-1"), "packages[0].weight_kg"),
        # Beyond what is stored exactly (10^-6 units in 64 bits): was a 500.
        (PackageSpec(contents=[(1, 1)], weight_kg="999999999999999"), "packages[0].weight_kg"),
        (PackageSpec(contents=[(1, 1)], dimensions_cm=(1, 2, "10000000000")), "packages[0].dimensions_cm"),
    ):
        with pytest.raises(InvalidInput) as error:
            services.shipping.pack_order(warehouse, PackOrder(view.reference, packages=[spec]))
        assert error.value.field == field
    assert services.sales_orders.get_order(warehouse, view.reference).packages == ()


def test_goods_packed_then_shipped_by_line_do_not_block_packing_the_rest(warehouse):
    adjust(warehouse, "NY", "W", 5)
    view = allocated(warehouse, ("W", 4))
    pick(warehouse, view.reference, ("W", "NY", 2))
    services.shipping.pack_order(warehouse, PackOrder(view.reference, packages=[PackageSpec(contents=[(1, 2)])]))
    shipped = ship(warehouse, view.reference, (1, 2))
    assert shipped.packages[0].shipment_id == shipped.shipments[0].id
    pick(warehouse, view.reference, ("W", "NY", 2))
    packed = services.shipping.pack_order(warehouse, PackOrder(view.reference, packages=[PackageSpec(contents=[(1,
        2)])]))
    assert [p.shipment_id is None for p in packed.packages] == [False, True]


# --- shipping -------------------------------------------------------------------------------


def test_shipping_posts_from_the_reserved_place_and_lot_to_the_customer(warehouse):
    adjust(warehouse, "NY", "TEA", 2, lot="L-APR", expiry_date="2026-04-01")
    adjust(warehouse, "NY", "TEA", 5, lot="L-JUN", expiry_date="2026-06-01")
    view = allocated(warehouse, ("TEA", 3))
    shipped = ship(warehouse, view.reference)
    (shipment,) = shipped.shipments
    assert [(ln.line_no, ln.location, ln.lot, ln.quantity) for ln in shipment.lines] == [
        (1, "NY", "L-APR", 2),
        (1, "NY", "L-JUN", 1),
    ]
    posting = services.postings.get_posting(warehouse, shipment.posting_id)
    assert posting.kind == "shipment" and posting.reference == view.reference
    assert sorted((m.from_location, m.to_location, m.lot, m.quantity) for m in posting.moves) == [
        ("NY", "CUSTOMER", "L-APR", 2),
        ("NY", "CUSTOMER", "L-JUN", 1),
    ]
    assert shipped.status == "shipped" and held(shipped) == []
    assert level(warehouse, "TEA") == (4, 0, 4)
    assert_books_balance(warehouse)


def test_an_order_moves_from_open_through_partial_shipments_to_shipped(warehouse):
    view = order(warehouse, ("W", 4), ("G", 2))
    assert view.status == "open"
    adjust(warehouse, "NY", "W", 4)
    view = services.sales_orders.allocate_order(warehouse, OrderAction(view.reference))
    assert view.status == "backordered"
    adjust(warehouse, "NY", "G", 2)
    view = services.sales_orders.get_order(warehouse, view.reference)
    assert view.status == "allocated"
    view = ship(warehouse, view.reference, (1, 1))
    assert view.status == "partially_shipped"
    assert [(ln.shipped, ln.reserved, ln.open) for ln in view.lines] == [(1, 3, 3), (0, 2, 2)]
    view = ship(warehouse, view.reference, (1, 3), (2, 1))
    assert view.status == "partially_shipped"
    assert [(ln.shipped, ln.reserved, ln.open) for ln in view.lines] == [(4, 0, 0), (1, 1, 1)]
    view = ship(warehouse, view.reference)
    assert view.status == "shipped" and len(view.shipments) == 3
    assert [(ln.shipped, ln.open, ln.backordered) for ln in view.lines] == [(4, 0, 0), (2, 0, 0)]
    assert level(warehouse, "W") == (0, 0, 0) and level(warehouse, "G") == (0, 0, 0)
    assert_books_balance(warehouse)


def test_a_backordered_order_ships_what_it_has_and_waits_for_the_rest(warehouse):
    adjust(warehouse, "NY", "W", 2)
    view = allocated(warehouse, ("W", 5))
    view = ship(warehouse, view.reference)
    assert view.status == "partially_shipped"
    assert (view.lines[0].shipped, view.lines[0].reserved, view.lines[0].backordered) == (2, 0, 3)
    adjust(warehouse, "NY", "W", 10)  # a partially shipped order is still served
    view = services.sales_orders.get_order(warehouse, view.reference)
    assert (view.lines[0].reserved, view.lines[0].backordered) == (3, 0)
    assert ship(warehouse, view.reference).status == "shipped"
    assert_books_balance(warehouse)


def test_without_lines_an_order_ships_what_was_picked_when_something_was(warehouse):
    adjust(warehouse, "NY", "W", 5)
    view = allocated(warehouse, ("W", 4))
    pick(warehouse, view.reference, ("W", "NY", 1))
    view = ship(warehouse, view.reference)
    assert view.lines[0].shipped == 1 and view.lines[0].reserved == 3 and view.lines[0].picked == 0


def test_without_lines_an_order_ships_its_packed_packages_and_marks_them_shipped(warehouse):
    adjust(warehouse, "NY", "W", 5)
    view = allocated(warehouse, ("W", 4))
    pick(warehouse, view.reference, ("W", "NY", 3))
    services.shipping.pack_order(warehouse, PackOrder(view.reference, packages=[PackageSpec(contents=[(1, 2)])]))
    view = ship(warehouse, view.reference)
    (package,) = view.packages
    (shipment,) = view.shipments
    assert package.shipment_id == shipment.id
    assert (view.lines[0].shipped, view.lines[0].reserved, view.lines[0].picked) == (2, 2, 1)


def test_shipping_more_than_is_reserved_is_a_conflict_and_writes_nothing(warehouse):
    adjust(warehouse, "NY", "W", 3)
    adjust(warehouse, "NY", "G", 3)
    view = allocated(warehouse, ("W", 5), ("G", 1))
    before = move_count(warehouse)
    with pytest.raises(Conflict, match="only 3 is reserved"):
        ship(warehouse, view.reference, (2, 1), (1, 4))
    with pytest.raises(Conflict):
        ship(warehouse, view.reference, (1, 2), (1, 2))  # the same line twice adds up
    assert move_count(warehouse) == before
    after = services.sales_orders.get_order(warehouse, view.reference)
    assert [(ln.shipped, ln.reserved) for ln in after.lines] == [(0, 3), (0, 1)]
    assert level(warehouse, "W") == (3, 3, 0)
    assert_books_balance(warehouse)


def test_shipping_an_order_with_nothing_reserved_is_a_conflict(warehouse):
    view = allocated(warehouse, ("W", 5))
    with pytest.raises(Conflict, match="nothing reserved"):
        ship(warehouse, view.reference)
    with pytest.raises(Conflict):
        ship(warehouse, view.reference, (1, 1))
    with pytest.raises(InvalidInput) as error:
        ship(warehouse, view.reference, (7, 1))
    assert error.value.field == "lines[0].line_no"


def test_shipping_packages_whose_stock_was_counted_away_is_a_conflict(warehouse):
    adjust(warehouse, "NY", "W", 2)
    view = allocated(warehouse, ("W", 2))
    pick(warehouse, view.reference, ("W", "NY", 2))
    services.shipping.pack_order(warehouse, PackOrder(view.reference, packages=[PackageSpec(contents=[(1, 2)])]))
    services.counts.post_stock_count(warehouse, PostStockCount(location="NY", lines=[StockLine("W", 0)]))
    assert services.sales_orders.get_order(warehouse, view.reference).status == "backordered"
    before = move_count(warehouse)
    with pytest.raises(Conflict, match="reserved"):
        ship(warehouse, view.reference)
    assert move_count(warehouse) == before


def test_a_fully_shipped_order_can_be_shipped_no_more(warehouse):
    adjust(warehouse, "NY", "W", 5)
    view = allocated(warehouse, ("W", 2))
    ship(warehouse, view.reference)
    for again in (
        lambda: ship(warehouse, view.reference),
        lambda: services.sales_orders.allocate_order(warehouse, OrderAction(view.reference)),
        lambda: pick(warehouse, view.reference, ("W", "NY", 1)),
    ):
        with pytest.raises(Conflict, match="shipped"):
            again()
    assert level(warehouse, "W") == (3, 0, 3)


def test_shipping_with_an_idempotency_key_ships_once(warehouse):
    adjust(warehouse, "NY", "W", 5)
    view = allocated(warehouse, ("W", 4))
    first = ship(warehouse, view.reference, (1, 1), idempotency_key="ship-1")
    again = ship(warehouse, view.reference, (1, 1), idempotency_key="ship-1")
    assert again == first and len(again.shipments) == 1
    assert level(warehouse, "W") == (4, 3, 1)


def test_a_line_split_across_sites_ships_from_both(warehouse):
    adjust(warehouse, "NY", "W", 2)
    adjust(warehouse, "LA", "W", 2)
    view = allocated(warehouse, NewOrderLine("W", 3))
    shipped = ship(warehouse, view.reference)
    (shipment,) = shipped.shipments
    assert sorted((ln.location, ln.quantity) for ln in shipment.lines) == [("LA", 2), ("NY", 1)]  # LA first: code
    assert shipped.status == "shipped"
    assert_books_balance(warehouse)


def test_a_lot_recalled_after_it_was_reserved_is_not_shipped(warehouse):
    adjust(warehouse, "NY", "TEA", 5, lot="BAD", expiry_date="2026-09-01")
    view = allocated(warehouse, ("TEA", 2))
    services.lots.set_lot_status(warehouse, SetLotStatus(sku="TEA", code="BAD", status="recalled"))
    assert services.sales_orders.get_order(warehouse, view.reference).status == "backordered"
    with pytest.raises(Conflict):
        ship(warehouse, view.reference)
    assert level(warehouse, "TEA") == (5, 0, 0)


def test_a_lot_that_expired_after_it_was_reserved_is_not_shipped(warehouse, clock):
    adjust(warehouse, "NY", "TEA", 5, lot="SOON", expiry_date="2026-03-05")
    view = allocated(warehouse, ("TEA", 2))
    clock.advance(days=10)
    before = move_count(warehouse)
    with pytest.raises(Conflict, match="SOON"):
        ship(warehouse, view.reference)
    assert move_count(warehouse) == before and level(warehouse, "TEA")[0] == 5


def test_serial_numbers_are_reserved_picked_and_shipped_one_unit_each(warehouse):
    add_item(warehouse, "PHONE", tracking="serial")
    for serial in ("SN1", "SN2", "SN3"):
        adjust(warehouse, "NY", "PHONE", 1, lot=serial)
    view = allocated(warehouse, ("PHONE", 2))
    assert held(view) == [(1, "NY", "SN1", 1), (1, "NY", "SN2", 1)]
    view = pick(warehouse, view.reference, ("PHONE", "NY", 1, "SN3"))  # scanned another serial
    assert picked(view) == [(1, "NY", "SN2", 1, 0), (1, "NY", "SN3", 1, 1)]
    view = ship(warehouse, view.reference)  # what was picked
    assert [(ln.lot, ln.quantity) for ln in view.shipments[0].lines] == [("SN3", 1)]
    assert view.status == "partially_shipped"
    view = ship(warehouse, view.reference, (1, 1, ("SN2",)))  # the serial named on the shipment
    assert view.status == "shipped" and [(ln.lot, ln.quantity) for ln in view.shipments[1].lines] == [("SN2", 1)]
    assert level(warehouse, "PHONE") == (1, 0, 1)
    assert_books_balance(warehouse)
