"""Serial-tracked units ship only with their serials confirmed — scanned at pick or named
on the shipment — unless the company lets shipments auto-assign them; waves hold back
the orders whose serials nobody confirmed."""

import pytest

from onhand import services
from onhand.domain.catalog.commands import UpdateCompany
from onhand.domain.errors import InvalidInput, SerialsNotConfirmed
from onhand.domain.orders.commands import ConfirmPick, PickConfirmation, ShipLine, ShipOrder
from tests.integration.helpers import add_item, add_place, adjust, allocated, assert_books_balance, move_count, order


@pytest.fixture
def phones(onhand):
    add_item(onhand, "W")
    add_item(onhand, "PHONE", tracking="serial")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W", 5)
    for serial in ("SN1", "SN2", "SN3"):
        adjust(onhand, "NY", "PHONE", 1, lot=serial)
    yield onhand
    assert_books_balance(onhand)


def ship(onhand, reference, *lines):
    return services.shipping.ship_order(
        onhand, ShipOrder(reference, lines=[ShipLine(*ln) for ln in lines] if lines else None))


def shipped_serials(view):
    return sorted(ln.lot for shipment in view.shipments for ln in shipment.lines if ln.lot)


def test_a_serial_line_nobody_confirmed_is_refused_naming_the_line_and_field(phones):
    view = allocated(phones, ("W", 1), ("PHONE", 2))
    before = move_count(phones)
    with pytest.raises(SerialsNotConfirmed) as refused:
        ship(phones, view.reference)
    assert (refused.value.field, refused.value.line_no, refused.value.sku) == ("lines", 2, "PHONE")
    with pytest.raises(SerialsNotConfirmed) as refused:
        ship(phones, view.reference, (1, 1), (2, 2, ("SN1",)))
    assert refused.value.field == "lines[1].serials" and refused.value.confirmed == 1
    assert move_count(phones) == before  # nothing shipped, nothing confirmed


def test_serials_scanned_at_pick_or_named_on_the_shipment_ship(phones):
    view = allocated(phones, ("PHONE", 2))
    services.picking.confirm_pick(phones, ConfirmPick(view.reference, picks=[
        PickConfirmation("PHONE", "NY", 1, lot="SN3")]))
    view = ship(phones, view.reference)  # what was picked
    assert shipped_serials(view) == ["SN3"]
    view = ship(phones, view.reference, (1, 1, ("SN2",)))
    assert view.status == "shipped" and shipped_serials(view) == ["SN2", "SN3"]


def test_a_named_serial_must_be_reserved_for_its_line(phones):
    view = allocated(phones, ("W", 1), ("PHONE", 1))  # SN1 reserved
    with pytest.raises(InvalidInput) as refused:
        ship(phones, view.reference, (2, 1, ("SN3",)))
    assert refused.value.field == "lines[0].serials[0]"
    with pytest.raises(InvalidInput) as refused:
        ship(phones, view.reference, (1, 1, ("SN1",)))
    assert refused.value.field == "lines[0].serials"  # W is not serial-tracked


def test_a_company_that_auto_assigns_serials_ships_what_allocation_reserved(phones):
    services.company.update_company(phones, UpdateCompany(auto_assign_serials=True))
    assert services.company.get_company(phones).auto_assign_serials
    view = ship(phones, allocated(phones, ("PHONE", 2)).reference)
    assert view.status == "shipped" and shipped_serials(view) == ["SN1", "SN2"]


def test_a_wave_holds_back_orders_with_unconfirmed_serials_and_ships_the_rest(phones):
    plain = order(phones, ("W", 1)).reference
    serial = order(phones, ("PHONE", 1)).reference
    picked = allocated(phones, ("PHONE", 1)).reference
    services.picking.confirm_pick(phones, ConfirmPick(picked, picks=[PickConfirmation("PHONE", "NY", 1, lot="SN1")]))
    result = services.waves.fulfil_orders(phones, [plain, serial, picked])
    outcome = {o.reference: o for o in result.orders}
    assert outcome[plain].shipped and outcome[picked].shipped
    held = outcome[serial]
    assert not held.shipped and held.status == "allocated" and held.reserved == (("PHONE", 1),)
    assert "serial-tracked line(s) 1 need their serials confirmed at pick" in held.note


def test_a_wave_ships_serials_when_the_company_auto_assigns_them(phones):
    services.company.update_company(phones, UpdateCompany(auto_assign_serials=True))
    serial = order(phones, ("PHONE", 2)).reference
    assert services.waves.fulfil_orders(phones, [serial]).shipped == (serial,)
