"""`onhand orders`: a sales order from the command line, from creation to a return; and
refused commands that change nothing.

The CLI runs on the real clock, so lots expire relative to today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem, UpdateItem
from onhand.domain.ledger.commands import PostAdjustment

TODAY = datetime.now(UTC).date()
EARLY, LATE, ALT, OLD = (str(TODAY + timedelta(days=d)) for d in (60, 400, 700, -10))


@pytest.fixture
def shop(onhand, cli_run):
    """Like the API's two sites: NY (bins NY-B1 walked first, NY-A1, non-sellable NY-RETURNS)
    and LA; TEA 5 at NY-A1 and 20 at LA; HONEY lots H-EARLY 4 and H-OLD (expired) 3 at
    NY-B1, H-LATE 4 and H-ALT 3 at NY-A1."""
    for args in (
        ("NY", "--name", "New York", "--kind", "warehouse"),
        ("NY-A1", "--name", "Aisle A1", "--kind", "bin", "--parent", "NY"),
        ("NY-B1", "--name", "Aisle B1", "--kind", "bin", "--parent", "NY"),
        ("NY-RETURNS", "--name", "Returns", "--kind", "bin", "--parent", "NY", "--non-sellable"),
        ("LA", "--name", "Los Angeles", "--kind", "warehouse"),
    ):
        assert cli_run("locations", "add", *args).exit_code == 0
    for args in (
        ("NY", "--lat", "40.71", "--lon", "-74.01"),
        ("LA", "--lat", "34.05", "--lon", "-118.24"),
        ("NY-B1", "--walk-order", "1"),
        ("NY-A1", "--walk-order", "2"),
    ):
        assert cli_run("locations", "routing", *args).exit_code == 0
    services.items.create_item(onhand, CreateItem(sku="TEA", name="Green tea"))
    services.items.create_item(onhand, CreateItem(sku="HONEY", name="Honey", tracking="lot"))
    line = services.postings.StockLine
    for location, lines in (
        ("NY-A1", [line("TEA", "5"), line("HONEY", "4", lot="H-LATE", expiry_date=LATE),
                   line("HONEY", "3", lot="H-ALT", expiry_date=ALT)]),
        ("NY-B1", [line("HONEY", "4", lot="H-EARLY", expiry_date=EARLY),
                   line("HONEY", "3", lot="H-OLD", expiry_date=OLD)]),
        ("LA", [line("TEA", "20")]),
    ):
        services.adjustments.post_adjustment(onhand, PostAdjustment(location=location, reason="found", lines=lines))
    return cli_run


NEWARK = ("--ship-to-region", "NJ", "--ship-to-country", "US", "--ship-to-postcode", "07102",
          "--ship-to-lat", "40.735", "--ship-to-lon", "-74.172")
LINE_HEADERS = ["Line", "SKU", "Ordered", "Price", "Reserved", "Picked", "Shipped", "Returned", "Backordered",
                "Open", "Lot asked", "Ship from"]


def ok(result):
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def test_an_order_goes_from_creation_to_a_return_on_the_command_line(shop):
    created = ok(shop(
        "orders", "create", "--line", "TEA:3:4.50", "--line", "HONEY:6", "--channel", "shop",
        "--external-id", "1001", "--customer", "Ada", *NEWARK,
    ))
    assert created.row("Reference") == ["Reference", "SO-000001"]
    assert created.row("Status") == ["Status", "open"]
    assert created.row("1", "TEA") == ["1", "TEA", "3", "4.50", "0", "0", "0", "0", "3", "3", "", ""]

    allocated = ok(shop("orders", "allocate", "SO-000001"))
    assert allocated.row("Status") == ["Status", "allocated"]
    assert allocated.row("Routing") == ["Routing", "NY can ship the whole order and is the nearest that can"]
    assert allocated.row("NY-B1", "H-EARLY") == ["NY-B1", "H-EARLY", EARLY, "2", "HONEY", "4", "0"]
    assert allocated.row("NY-A1", "H-LATE") == ["NY-A1", "H-LATE", LATE, "2", "HONEY", "2", "0"]

    picking = ok(shop("orders", "pick-list", "SO-000001"))
    assert "Pick list SO-000001 at NY" in picking.stdout
    assert [row[:3] + row[4:5] for row in picking.rows()] == [
        ["NY-B1", "HONEY", "H-EARLY", "4"], ["NY-A1", "HONEY", "H-LATE", "2"], ["NY-A1", "TEA", "", "3"],
    ]

    ok(shop("orders", "pick", "SO-000001", "TEA", "NY-A1", "3"))
    ok(shop("orders", "pick", "SO-000001", "HONEY", "NY-B1", "4", "--lot", "H-EARLY"))
    swapped = ok(shop("orders", "pick", "SO-000001", "HONEY", "NY-A1", "2", "--lot", "H-ALT"))
    assert swapped.row("NY-A1", "H-ALT") == ["NY-A1", "H-ALT", ALT, "2", "HONEY", "2", "2"]
    assert "Nothing left to pick for SO-000001." in ok(shop("orders", "pick-list", "SO-000001")).stdout

    packed = ok(shop(
        "orders", "pack", "SO-000001", "--line", "1:3", "--line", "2:2", "--carrier", "UPS",
        "--tracking", "1Z999", "--weight-kg", "2.5", "--dims", "30x20x10.5",
    ))
    assert packed.row("P1") == ["P1", "UPS", "1Z999", "2.5", "30x20x10.5", "line 1: 3, line 2: 2", "not shipped"]

    first = ok(shop("orders", "ship", "SO-000001"))
    assert first.row("Status") == ["Status", "partially_shipped"]
    assert first.row("2", "HONEY")[4:10] == ["4", "4", "2", "0", "0", "4"]
    assert first.row("P1")[-1] == "S1"

    rest = ok(shop("orders", "ship", "SO-000001", "--line", "2:4"))
    assert rest.row("Status") == ["Status", "shipped"]
    assert rest.row("2", "HONEY")[4:10] == ["0", "0", "6", "0", "0", "0"]

    returned = ok(shop(
        "orders", "return", "SO-000001", "--location", "NY-RETURNS", "--line", "2:1:H-EARLY",
        "--reason", "defective", "--condition", "damaged", "--return-reference", "RMA-77",
    ))
    assert returned.row("2", "HONEY")[7] == "1"
    stock = ok(shop("stock", "--sku", "HONEY", "--location", "NY-RETURNS", "--group-by", "balance"))
    assert stock.rows() == [["HONEY", "NY-RETURNS", "H-EARLY", EARLY, "1", "0", "0"]]
    assert "OK" in ok(shop("verify")).stdout


def test_lines_can_ask_for_a_lot_and_all_ship_from_one_location(shop):
    created = ok(shop("orders", "create", "--line", "HONEY:2:9.95:H-LATE", "--line", "TEA:1", "--from", "LA"))

    assert created.row("1", "HONEY") == ["1", "HONEY", "2", "9.95", "0", "0", "0", "0", "2", "2", "H-LATE", "LA"]
    allocated = ok(shop("orders", "allocate", "SO-000001"))
    assert allocated.row("LA", "") == ["LA", "", "", "2", "TEA", "1", "0"]
    assert allocated.row("1", "HONEY")[8] == "2"  # no H-LATE at LA: backordered
    assert allocated.row("Status") == ["Status", "backordered"]

    moved = ok(shop("orders", "ship-from", "SO-000001", "1", "NY"))

    assert moved.row("NY-A1", "H-LATE") == ["NY-A1", "H-LATE", LATE, "1", "HONEY", "2", "0"]
    assert moved.row("Status") == ["Status", "allocated"]


def test_the_same_channel_order_is_never_created_twice(shop):
    first = ok(shop("orders", "create", "--line", "TEA:1", "--channel", "shop", "--external-id", "A-1"))
    created_on = str(datetime.now(UTC).date())  # now, not when the module was imported (midnight)
    again = ok(shop("orders", "create", "--line", "TEA:9", "--channel", "shop", "--external-id", "A-1"))

    assert first.row("Reference") == again.row("Reference") == ["Reference", "SO-000001"]
    assert ok(shop("orders", "list", "--channel", "shop")).rows() == [
        ["SO-000001", "shop", "A-1", "", "open", created_on, "1", "1"],
    ]


def test_cancelling_releases_the_reservations(shop):
    ok(shop("orders", "create", "--line", "TEA:4", "--reference", "WEB/7", *NEWARK))
    ok(shop("orders", "allocate", "WEB/7"))
    assert shop("stock", "--sku", "TEA").row("TEA") == ["TEA", "25", "4", "21"]

    cancelled = ok(shop("orders", "cancel", "WEB/7"))

    assert cancelled.row("Status") == ["Status", "cancelled"]
    assert shop("stock", "--sku", "TEA").row("TEA") == ["TEA", "25", "0", "25"]
    assert [row[0] for row in ok(shop("orders", "list", "--status", "cancelled")).rows()] == ["WEB/7"]


def test_an_order_is_changed_and_allocated_again(shop):
    ok(shop("orders", "create", "--line", "TEA:2", *NEWARK))
    ok(shop("orders", "allocate", "SO-000001"))

    changed = ok(shop("orders", "update", "SO-000001", "--line", "TEA:4", "--customer", "Grace"))

    assert changed.row("Customer") == ["Customer", "Grace"]
    assert changed.row("1", "TEA")[4] == "4"


def test_routing_zones_and_shelf_life_settings_are_set_from_the_command_line(shop, onhand):
    routed = ok(shop("locations", "routing", "LA", "--zones", "US:07,us-nj", "--priority", "5"))
    item = ok(shop("items", "update", "HONEY", "--min-remaining-shelf-life-days", "100"))
    company = ok(shop("company", "set", "--min-remaining-shelf-life-days", "30"))

    assert routed.row("Zones") == ["Zones", "US:07, US-NJ"]
    assert routed.row("Routing priority") == ["Routing priority", "5"]
    assert item.row("Min. remaining shelf life (days)") == ["Min. remaining shelf life (days)", "100"]
    assert company.row("Min. remaining shelf life (days)") == ["Min. remaining shelf life (days)", "30"]
    ok(shop("orders", "create", "--line", "TEA:1", "--ship-to-country", "US", "--ship-to-postcode", "07102"))
    ok(shop("orders", "create", "--line", "HONEY:1", "--ship-to-country", "US", "--ship-to-postcode", "07102"))

    tea = ok(shop("orders", "allocate", "SO-000001"))
    honey = ok(shop("orders", "allocate", "SO-000002"))

    assert tea.row("LA", "") == ["LA", "", "", "1", "TEA", "1", "0"]  # LA serves postcodes 07…
    # Only NY has honey; H-EARLY (60 days left) is too short-lived for the item's 100 days
    assert honey.row("NY-A1", "H-LATE") == ["NY-A1", "H-LATE", LATE, "1", "HONEY", "1", "0"]

    ok(shop("locations", "routing", "NY", "--clear-coordinates"))
    ok(shop("locations", "routing", "NY-B1", "--clear-walk-order"))
    site, bin_ = (services.locations.get_location(onhand, code) for code in ("NY", "NY-B1"))
    assert (site.latitude, site.longitude, bin_.walk_order) == (None, None, None)
    refused = shop("locations", "routing", "NY", "--clear-coordinates", "--lat", "1", "--lon", "2")
    assert refused.exit_code != 0 and "latitude" in refused.stderr


def test_a_shipment_repeated_with_its_idempotency_key_ships_once(shop, onhand):
    ok(shop("orders", "create", "--line", "TEA:4", "--from", "NY"))
    ok(shop("orders", "allocate", "SO-000001"))

    first = ok(shop("orders", "ship", "SO-000001", "--line", "1:1", "--idempotency-key", "ship-1"))
    again = ok(shop("orders", "ship", "SO-000001", "--line", "1:1", "--idempotency-key", "ship-1"))

    assert first.row("1", "TEA") == again.row("1", "TEA")
    shown = ok(shop("orders", "show", "SO-000001"))
    assert shown.row("1", "TEA")[4:10] == ["3", "0", "1", "0", "0", "3"]
    assert [row[0] for row in shown.rows() if row[0] in {"S1", "S2"}] == ["S1"]


# ------------------------------------------------------------------ refused commands


@pytest.fixture
def allocated(shop, onhand):
    ok(shop("orders", "create", "--line", "TEA:3", "--line", "HONEY:6", "--from", "NY"))
    ok(shop("orders", "allocate", "SO-000001"))
    return shop


def books(onhand):
    levels = services.stock.stock_levels(onhand, group_by="balance").levels
    moves = services.integrity.verify(onhand).moves_checked
    return moves, [(lv.sku, lv.location, lv.lot, lv.on_hand, lv.reserved) for lv in levels]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("orders", "ship", "SO-000001", "--line", "2:7"), 5,
         "lines[0].quantity: shipping 7 of line 2 (HONEY) but only 6 is reserved"),
        (("orders", "pick", "SO-000001", "HONEY", "NY-B1", "1", "--lot", "H-OLD"), 3,
         f"picks[0].lot: lot H-OLD expired on {OLD}; it cannot be picked"),
        (("orders", "create", "--line", "COFFEE:1"), 4, "lines[0].sku: unknown item 'COFFEE'"),
        (("orders", "allocate", "SO-404"), 4, "order: unknown sales order 'SO-404'"),
        (("orders", "pack", "SO-000001", "--line", "2:1"), 5,
         "packages[0].contents[0].quantity: line 2 has 0 picked, 0 of it already packed"),
        (("orders", "return", "SO-000001", "--location", "NY-RETURNS", "--line", "1:1"), 5,
         "lines[0].quantity: returning 1 of line 1 (TEA) but only 0 was shipped and not yet returned"),
        (("orders", "create", "--line", "TEA"), 2,
         "Invalid value for '--line': 'TEA' is not SKU:QTY[:PRICE[:LOT]] (see 'onhand orders create --help')"),
        (("orders", "create"), 2,
         "Invalid value for '--line': give at least one --line SKU:QTY[:PRICE[:LOT]] "
         "(see 'onhand orders create --help')"),
        (("orders", "pack", "SO-000001", "--line", "one:1"), 2,
         "Invalid value for '--line': 'one:1': the line number must be a whole number "
         "(see 'onhand orders pack --help')"),
        (("orders", "pack", "SO-000001", "--line", "1:1", "--dims", "30x20"), 2,
         "Invalid value for '--dims': '30x20' is not LxWxH, e.g. 30x20x10 (see 'onhand orders pack --help')"),
        (("orders", "list", "--status", "lost"), 3,
         "status: 'lost' is not one of open, backordered, allocated, partially_shipped, shipped, cancelled"),
        (("locations", "routing", "NY", "--lat", "40"), 3, "latitude: give both latitude and longitude, or neither"),
    ],
)
def test_a_refused_order_command_prints_one_line_and_changes_nothing(allocated, onhand, args, code, message):
    before = books(onhand)

    result = allocated(*args)

    assert (result.exit_code, result.stderr) == (code, f"error: {message}\n")
    assert "Traceback" not in result.stdout + result.stderr
    assert books(onhand) == before


def test_a_cancelled_order_cannot_be_shipped(allocated, onhand):
    ok(allocated("orders", "cancel", "SO-000001"))
    before = books(onhand)

    result = allocated("orders", "ship", "SO-000001")

    assert (result.exit_code, result.stderr) == (5, "error: order: SO-000001 is cancelled\n")
    assert books(onhand) == before


def test_a_pick_is_confirmed_by_scanning_its_gs1_code(shop, onhand):
    services.items.update_item(onhand, UpdateItem(sku="HONEY", gtin="09506000134352"))
    ok(shop("orders", "create", "--line", "HONEY:3", *NEWARK))
    ok(shop("orders", "allocate", "SO-000001"))
    expiry = EARLY.replace("-", "")[2:]  # YYMMDD
    picked = ok(shop("orders", "pick-scan", "SO-000001", "NY-B1", f"(01)09506000134352(17){expiry}(10)H-EARLY",
                     "--qty", "3"))
    assert picked.row("NY-B1", "H-EARLY") == ["NY-B1", "H-EARLY", EARLY, "1", "HONEY", "3", "3"]
    unknown = shop("orders", "pick-scan", "SO-000001", "NY-B1", "(01)00614141000418(10)H-EARLY")
    assert unknown.exit_code != 0 and "picks[0].barcode" in unknown.stderr


def test_orders_are_fulfilled_in_waves_from_arguments_and_a_file(shop, onhand, tmp_path):
    refs = []
    for quantity in ("2", "1", "30"):
        ok(shop("orders", "create", "--line", f"TEA:{quantity}", *NEWARK))
        refs.append(services.sales_orders.list_orders(onhand, limit=1)[0].reference)
    listed = tmp_path / "wave.txt"
    listed.write_text(f"{refs[1]}\n\n{refs[2]}\n", encoding="utf-8")

    result = ok(shop("orders", "fulfil", refs[0], "--file", str(listed), "--wave-size", "2"))

    assert "2 shipped, 1 waiting, 0 skipped" in result.stdout
    statuses = [services.sales_orders.get_order(onhand, ref).status for ref in refs]
    assert statuses == ["shipped", "shipped", "backordered"]
    again = ok(shop("orders", "fulfil", refs[0]))
    assert "0 shipped, 0 waiting, 1 skipped" in again.stdout


def test_fulfilling_nothing_or_an_unknown_order_is_refused(shop):
    assert shop("orders", "fulfil").exit_code != 0
    refused = shop("orders", "fulfil", "SO-NOPE")
    assert refused.exit_code != 0
    assert "references[0]" in refused.stderr


def test_an_order_is_created_and_allocated_at_once(shop, onhand):
    created = ok(shop("orders", "create", "--line", "TEA:3", "--channel", "shop", "--external-id", "B-1",
                      "--allocate"))

    assert created.row("Status") == ["Status", "allocated"]
    [order] = services.sales_orders.list_orders(onhand, channel="shop")
    assert [(line.sku, line.reserved) for line in services.sales_orders.get_order(onhand, order.reference).lines] \
        == [("TEA", 3)]
