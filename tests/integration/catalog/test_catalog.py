import pytest

from onhand import services
from onhand.domain.catalog.commands import (
    CreateItem,
    CreateLocation,
    CreateLot,
    CreateUnit,
    SetLotStatus,
    UpdateCompany,
    UpdateItem,
    UpdateLocation,
)
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from tests.integration.helpers import add_item, add_place, adjust


def test_an_item_is_created_with_its_unit_tracking_gtin_and_shelf_life(onhand):
    item = add_item(onhand, "TEA-1", name="Green tea", unit="kg", tracking="lot",
                    gtin="4006381333931", shelf_life_days=365)
    assert (item.unit.code, item.unit.decimals, item.tracking.value) == ("kg", 3, "lot")
    assert item.gtin == "04006381333931" and item.shelf_life_days == 365
    assert services.items.find_by_gtin(onhand, "4006381333931").sku == "TEA-1"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sku": "bad sku"}, "sku"),
        ({"sku": "OK", "name": " "}, "name"),
        ({"sku": "OK", "unit": "parsec"}, "unit"),
        ({"sku": "OK", "tracking": "vibes"}, "tracking"),
        ({"sku": "OK", "gtin": "4006381333932"}, "gtin"),
        ({"sku": "OK", "shelf_life_days": 0}, "shelf_life_days"),
    ],
)
def test_an_invalid_item_is_refused_naming_the_field(onhand, fields, field):
    with pytest.raises((InvalidInput, NotFound)) as error:
        services.items.create_item(onhand, CreateItem(**{"name": "x", **fields}))
    assert error.value.field == field
    assert services.items.list_items(onhand) == []


def test_skus_and_gtins_are_unique(onhand):
    add_item(onhand, "A", gtin="96385074")
    with pytest.raises(AlreadyExists) as error:
        add_item(onhand, "A")
    assert error.value.field == "sku"
    with pytest.raises(AlreadyExists) as error:
        add_item(onhand, "B", gtin="96385074")
    assert error.value.field == "gtin"


def test_items_are_listed_and_searched(onhand):
    for sku in ("TEA-1", "TEA-2", "MUG"):
        add_item(onhand, sku)
    assert [i.sku for i in services.items.list_items(onhand, search="tea")] == ["TEA-1", "TEA-2"]
    assert [i.sku for i in services.items.list_items(onhand, limit=1, offset=1)] == ["TEA-1"]


def test_an_item_can_be_renamed_and_given_a_gtin(onhand):
    add_item(onhand, "MUG")
    item = services.items.update_item(onhand, UpdateItem(sku="MUG", name="Big mug", gtin="036000291452"))
    assert (item.name, item.gtin) == ("Big mug", "00036000291452")


def test_a_custom_unit_of_measure_fixes_its_precision(onhand):
    services.items.create_unit(onhand, CreateUnit(code="lb", name="Pound", decimals=2))
    item = add_item(onhand, "FLOUR", unit="lb")
    assert item.unit.decimals == 2


def test_bins_nest_inside_a_warehouse_and_a_store_needs_no_parent(onhand):
    add_place(onhand, "NY", address={"city": "New York", "region": "NY", "country": "us"})
    aisle = add_place(onhand, "NY-A", kind="bin", parent="NY")
    shelf = add_place(onhand, "NY-A-1", kind="bin", parent="NY-A")
    assert shelf.path == (*aisle.path, shelf.id)
    ny = services.locations.get_location(onhand, "NY")
    assert (ny.address.city, ny.address.country) == ("New York", "US")


def test_transit_is_created_non_sellable(onhand):
    assert not add_place(onhand, "OCEAN-1", kind="transit").sellable


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "bin"}, "parent"),
        ({"kind": "customer"}, "kind"),
        ({"kind": "store", "parent": "NOWHERE"}, "parent"),
        ({"kind": "store", "address": {"country": "USA"}}, "address.country"),
        ({"kind": "store", "address": {"planet": "Mars"}}, "address.planet"),
    ],
)
def test_an_invalid_location_is_refused_naming_the_field(onhand, fields, field):
    with pytest.raises((InvalidInput, NotFound)) as error:
        services.locations.create_location(onhand, CreateLocation(code="X", name="X", **fields))
    assert error.value.field == field


def test_a_location_can_be_marked_non_sellable_later(onhand):
    add_place(onhand, "RETURNS", kind="store")
    place = services.locations.update_location(onhand, UpdateLocation(code="RETURNS", sellable=False,
                                               address={"city": "Reno"}))
    assert not place.sellable and place.address.city == "Reno"


def test_a_lot_has_dates_and_a_status(onhand):
    add_item(onhand, "TEA", tracking="lot", shelf_life_days=30)
    lot = services.lots.create_lot(onhand, CreateLot(sku="TEA", code="B1", production_date="2026-01-01"))
    assert str(lot.expiry_date) == "2026-01-31"  # from the shelf life
    held = services.lots.set_lot_status(onhand, SetLotStatus(sku="TEA", code="B1", status="quarantined"))
    assert held.status.value == "quarantined"
    with pytest.raises(AlreadyExists):
        services.lots.create_lot(onhand, CreateLot(sku="TEA", code="B1"))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"expiry_date": "31/12/2026"}, "expiry_date"),
        ({"expiry_date": "2026-01-01", "production_date": "2026-02-01"}, "expiry_date"),
        ({"code": "bad code!"}, "code"),
    ],
)
def test_an_invalid_lot_is_refused_naming_the_field(onhand, fields, field):
    add_item(onhand, "TEA", tracking="lot")
    with pytest.raises(InvalidInput) as error:
        services.lots.create_lot(onhand, CreateLot(sku="TEA", **{"code": "B1", **fields}))
    assert error.value.field == field


def test_once_stock_has_moved_the_time_zone_changes_only_when_confirmed(onhand):
    services.company.update_company(onhand, UpdateCompany(timezone="Europe/Berlin"))  # nothing posted yet
    add_item(onhand, "MUG")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "MUG", 1)

    with pytest.raises(Conflict, match=r"^timezone: postings exist"):
        services.company.update_company(onhand, UpdateCompany(name="Acme", timezone="America/New_York"))

    assert services.company.get_company(onhand).name != "Acme"  # refused whole
    unchanged = services.company.update_company(onhand, UpdateCompany(timezone="Europe/Berlin"))
    assert unchanged.timezone == "Europe/Berlin"
    changed = services.company.update_company(
        onhand, UpdateCompany(timezone="America/New_York", confirm_timezone_change=True)
    )
    assert changed.timezone == "America/New_York"


def test_a_plain_item_has_no_lots(onhand):
    add_item(onhand, "MUG")
    with pytest.raises(InvalidInput, match="not lot"):
        services.lots.create_lot(onhand, CreateLot(sku="MUG", code="B1"))


def test_the_company_time_zone_must_be_a_real_one(onhand):
    with pytest.raises(InvalidInput) as error:
        services.company.update_company(onhand, UpdateCompany(timezone="Mars/Olympus"))
    assert error.value.field == "timezone"
    company = services.company.update_company(onhand, UpdateCompany(name="Acme", timezone="America/New_York"))
    assert (company.name, company.timezone, company.currency) == ("Acme", "America/New_York", "USD")
