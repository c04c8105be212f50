from onhand import services


def test_a_new_database_has_the_virtual_locations(onhand):
    codes = {loc.code for loc in services.locations.list_locations(onhand)}
    assert {"SUPPLIER", "CUSTOMER", "ADJUSTMENT", "PRODUCTION", "SCRAP"} <= codes
