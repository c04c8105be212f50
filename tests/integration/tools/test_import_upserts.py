"""Imports that change what exists (upsert), dry runs, every error of a row, ';' files."""

from __future__ import annotations

from onhand import services
from onhand.domain.actors import cli_actor
from onhand.services.tools.import_rows import ImportMode
from tests.integration.feed.settle import settle
from tests.integration.helpers import add_item, add_place

UPSERT = ImportMode.UPSERT


def outcomes(report):
    return [(c.line, c.key, c.outcome, [(f.field, f.old, f.new) for f in c.fields]) for c in report.changes]


def test_an_upsert_changes_only_the_fields_that_differ_and_audits_each_with_its_actor(onhand):
    add_item(onhand, "TEA", name="Green tea")
    add_item(onhand, "MUG", name="Mug")
    clerk = onhand.acting_as(cli_actor("alice"))
    settle(onhand)
    mark = services.events.events_after(onhand, after=0, limit=1000).events[-1].id

    text = "sku,name,shelf_life_days\nTEA,Sencha,365\nMUG,Mug,\nRICE,Rice,\n"
    report = services.imports.import_items(clerk, text, mode=UPSERT)

    assert report.ok and report.rows_imported == 3
    assert outcomes(report) == [
        (2, "TEA", "updated", [("name", "Green tea", "Sencha"), ("shelf_life_days", None, "365")]),
        (3, "MUG", "unchanged", []),
        (4, "RICE", "created", []),
    ]
    assert services.items.get_item(onhand, "TEA").name == "Sencha"
    (entry,) = services.audit.list_audit(onhand, action="update_item").entries
    assert (entry.actor, entry.object.key) == (cli_actor("alice"), "TEA")
    assert entry.after == {"name": "Sencha", "shelf_life_days": 365}
    settle(onhand)
    events = services.events.events_after(onhand, after=mark, limit=1000).events
    assert [(e.type, e.body["sku"]) for e in events] == [("item.changed", "TEA"), ("item.created", "RICE")]


def test_without_upsert_an_existing_record_is_an_error_as_before(onhand):
    add_item(onhand, "TEA")
    report = services.imports.import_items(onhand, "sku,name\nTEA,Tea again\n")
    assert [(e.field, e.reason) for e in report.errors] == [("sku", "item 'TEA' already exists")]


def test_a_dry_run_shows_every_outcome_and_writes_nothing(onhand):
    add_place(onhand, "NY", name="New York")
    text = ("code,name,kind,parent,sellable,city\nNY,NYC,warehouse,,no,Brooklyn\nNY-A,Aisle A,bin,NY,,\n"
            "LA,,warehouse,,maybe,\n")
    report = services.imports.preview_locations(onhand, text, mode=UPSERT)

    assert report.dry_run and report.run_id is None
    assert outcomes(report) == [
        (2, "NY", "updated", [("name", "New York", "NYC"), ("sellable", "True", "False"), ("city", None, "Brooklyn")]),
        (3, "NY-A", "created", []),
    ]
    assert [(e.line, e.field) for e in report.errors] == [(4, "name"), (4, "sellable")]
    ny = services.locations.get_location(onhand, "NY")
    assert (ny.name, ny.sellable) == ("New York", True)
    assert [p.code for p in services.locations.list_locations(onhand) if p.is_internal] == ["NY"]
    assert services.audit.list_audit(onhand, action="import_locations").entries == ()


def test_every_bad_field_of_a_row_is_reported_and_fixed_fields_cannot_change(onhand):
    add_item(onhand, "TEA", unit="kg")
    text = "sku,name,unit,tracking,gtin,shelf_life_days\nBAD SKU,,parsec,often,123,x\nTEA,Tea,each,lot,,\n"
    report = services.imports.import_items(onhand, text, mode=UPSERT)
    assert [(e.line, e.field) for e in report.errors] == [
        (2, "sku"), (2, "name"), (2, "unit"), (2, "tracking"), (2, "gtin"), (2, "shelf_life_days"),
        (3, "unit"), (3, "tracking"),
    ]
    assert report.rows_imported == 0
    assert services.items.get_item(onhand, "TEA").unit.code == "kg"


def test_a_semicolon_file_with_a_byte_order_mark_imports(onhand):
    report = services.imports.import_items(onhand, "\ufeffsku;name;unit\nTEA;Tea, green;kg\n")
    assert report.ok
    assert services.items.get_item(onhand, "TEA").name == "Tea, green"


def test_an_opening_stock_row_reports_its_location_and_its_line(onhand):
    add_item(onhand, "TEA")
    report = services.imports.import_opening_stock(onhand, "location,sku,quantity\nMARS,NOPE,1\n")
    assert [(e.line, e.field) for e in report.errors] == [(2, "location"), (2, "sku")]
