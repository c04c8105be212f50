import pytest

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.services.tools.imports import ImportPolicy
from tests.integration.helpers import add_item, add_place, level, move_count

ITEMS = """sku,name,unit,tracking,gtin,shelf_life_days
TEA-1,Green tea,kg,lot,4006381333931,365
MUG,Mug,each,none,,
"""


def test_items_locations_and_opening_stock_import_from_csv(onhand):
    report = services.imports.import_items(onhand, ITEMS)
    assert (report.ok, report.rows_total, report.rows_imported) == (True, 2, 2)
    places = "code,name,kind,parent,sellable,city,country\nNY,New York,warehouse,,,New York,US\n" \
             "NY-A,Aisle A,bin,NY,,,\nQC,Quarantine,warehouse,,no,,\n"
    assert services.imports.import_locations(onhand, places).rows_imported == 3
    assert not services.locations.get_location(onhand, "QC").sellable
    stock = "location,sku,quantity,lot,expiry_date\nNY-A,TEA-1,2.5,B1,2027-01-31\nNY,MUG,12,,\n"
    report = services.imports.import_opening_stock(onhand, stock)
    assert report.ok and report.posting_id is not None
    posting = services.postings.get_posting(onhand, report.posting_id)
    assert posting.kind == "opening" and len(posting.moves) == 2
    assert level(onhand, "TEA-1", location="NY") == (2.5, 0, 2.5)
    assert services.integrity.verify(onhand).ok


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(onhand):
    text = ITEMS + "BAD SKU,Broken,each,none,,\nCUP,,each,none,,\nPLATE,Plate,parsec,none,,\n"
    report = services.imports.import_items(onhand, text)
    assert report.rows_imported == 0
    assert [(e.line, e.field) for e in report.errors] == [(4, "sku"), (5, "name"), (6, "unit")]
    assert services.items.list_items(onhand) == []


def test_good_rows_can_be_imported_on_their_own_when_asked(onhand):
    text = ITEMS + "MUG,Duplicate mug,each,none,,\n"
    report = services.imports.import_items(onhand, text, policy=ImportPolicy.GOOD_ROWS)
    assert report.rows_imported == 2
    assert [(e.line, e.field, e.reason) for e in report.errors] == [
        (4, "sku", "item 'MUG' already exists")
    ]
    assert [i.sku for i in services.items.list_items(onhand)] == ["MUG", "TEA-1"]


def test_opening_stock_rows_are_checked_like_any_posting(onhand):
    add_item(onhand, "TEA", tracking="lot")
    add_item(onhand, "MUG")
    add_place(onhand, "NY")
    text = "location,sku,quantity,lot\nNY,TEA,5,\nNY,MUG,1.5,\nNY,MUG,-1,\nMARS,MUG,1,\nNY,MUG,3,\n"
    report = services.imports.import_opening_stock(onhand, text)
    assert [(e.line, e.field) for e in report.errors] == [
        (2, "lot"), (3, "quantity"), (4, "quantity"), (5, "location"),
    ]
    assert move_count(onhand) == 0


def test_progress_is_reported_row_by_row(onhand):
    seen = []
    services.imports.import_items(onhand, ITEMS, on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("", "file"),
        ("sku,name,colour\nA,B,red\n", "column 'colour'"),
        ("name\nA\n", "column 'sku'"),
        ('sku,name\nA,"unterminated\n', "line 2"),
        ("sku,name\nA,B,C\n", "line 2"),
    ],
)
def test_a_malformed_csv_file_is_one_clear_error(onhand, text, field):
    with pytest.raises(InvalidInput) as error:
        services.imports.import_items(onhand, text)
    assert error.value.field == field


def test_an_import_repeated_with_its_key_replays_the_first_report(onhand):
    first = services.imports.import_items(onhand, ITEMS, idempotency_key="file-1")
    again = services.imports.import_items(onhand, ITEMS, idempotency_key="file-1")
    assert again == first and again.ok


def test_numbers_in_csv_rows_are_read_exactly_as_the_api_reads_them(onhand):
    add_item(onhand, "MUG")
    add_place(onhand, "NY")
    items = "sku,name,shelf_life_days\nA,A,1_0\nB,B,\u0663\u0660\nC,C,+30\n"
    report = services.imports.import_items(onhand, items)
    assert [(e.line, e.field) for e in report.errors] == [(2, "shelf_life_days"), (3, "shelf_life_days"),
                                                          (4, "shelf_life_days")]
    stock = "location,sku,quantity,unit_cost\nNY,MUG,1e1,\nNY,MUG,\uff11,\nNY,MUG,1,1e400\nNY,MUG,1_0,\n"
    report = services.imports.import_opening_stock(onhand, stock)
    assert [(e.line, e.field) for e in report.errors] == [
        (2, "quantity"), (3, "quantity"), (4, "unit_cost"), (5, "quantity"),
    ]
    assert move_count(onhand) == 0 and services.items.list_items(onhand)[0].sku == "MUG"
