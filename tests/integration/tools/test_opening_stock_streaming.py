"""The import of opening stock streams: its file is read, looked up and written a chunk of
rows at a time into one posting (services/tools/opening_stock.py). Chunks of a few rows
here, so that a small file spans many of them."""

import hashlib

import pytest

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.errors import InvalidInput
from onhand.services.csv_files import CsvSource
from onhand.services.limits import Limits
from onhand.services.tools import opening_stock
from onhand.services.tools.imports import ImportPolicy
from tests.integration.helpers import add_item, add_place, move_count

HEADER = "location,sku,quantity,lot,expiry_date,unit_cost\n"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opening_stock, "CHUNK", 7)


@pytest.fixture
def catalog(onhand: Onhand) -> Onhand:
    add_item(onhand, "TEA", tracking="lot")
    add_item(onhand, "MUG")
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    return onhand


def rows(place: str, count: int) -> list[str]:
    """Rows that come in at given costs and at the current cost, lots new and seen again."""
    return [
        f"{place},TEA,{1 + n % 4},L{n % 5},2030-01-0{1 + n % 5},{'' if n % 3 else f'{n % 7}.25'}\n"
        if n % 2 else f"{place},MUG,{2 + n % 3},,,{'' if n % 4 else '1.10'}\n"
        for n in range(count)
    ]


class Lazy:
    """A file's lines handed out one at a time, counting how many were taken."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.taken = 0

    def __call__(self):
        for line in self.lines:
            self.taken += 1
            yield line

    def source(self) -> CsvSource:
        text = "".join(self.lines)
        return CsvSource(self, hashlib.sha256(text.encode()).hexdigest(), len(self.lines))


def by_place(onhand: Onhand, place: str) -> list[tuple[str, str | None, object, object]]:
    report = services.valuation_reports.valuation_report(onhand, group_by="lot")
    return [(line.sku, line.lot, line.quantity, line.value) for line in report.lines if line.location == place]


def test_a_file_read_as_it_goes_gives_the_same_posting_balances_and_values_as_one_part(catalog, monkeypatch):
    monkeypatch.setattr(opening_stock, "CHUNK", 1000)
    whole = services.imports.import_opening_stock(catalog, HEADER + "".join(rows("NY", 100)))
    monkeypatch.setattr(opening_stock, "CHUNK", 7)
    lazy = Lazy([HEADER, *rows("LA", 100)])
    streamed = services.imports.import_opening_stock(catalog, lazy.source())

    assert (whole.ok, whole.rows_imported, streamed.ok, streamed.rows_imported) == (True, 100, True, 100)
    first = services.postings.get_posting(catalog, whole.posting_id)
    second = services.postings.get_posting(catalog, streamed.posting_id)
    assert second.kind == "opening" and len(second.moves) == 100
    assert [(m.sku, m.lot, m.quantity) for m in first.moves] == [(m.sku, m.lot, m.quantity) for m in second.moves]
    assert by_place(catalog, "NY") == by_place(catalog, "LA") != []
    assert services.integrity.verify(catalog).ok


def test_the_file_is_read_a_chunk_at_a_time(catalog):
    lazy = Lazy([HEADER, *rows("NY", 70)])
    taken_at_progress = []
    services.imports.import_opening_stock(
        catalog, lazy.source(), on_progress=lambda done, total: taken_at_progress.append((done, total, lazy.taken))
    )
    assert taken_at_progress[0] == (7, 70, 8)  # the header and one chunk
    assert taken_at_progress[-1][:2] == (70, 70)


def test_the_report_counts_the_good_rows_and_does_not_list_them(catalog):
    report = services.imports.import_opening_stock(catalog, HEADER + "".join(rows("NY", 30)))
    assert (report.rows_total, report.rows_imported, report.rows_rejected, report.changes) == (30, 30, 0, ())
    preview = services.imports.preview_opening_stock(catalog, HEADER + "".join(rows("NY", 30)))
    assert (preview.dry_run, preview.rows_imported, preview.changes) == (True, 30, ())


def test_bad_rows_far_apart_are_all_reported_and_nothing_is_written(catalog):
    lines = rows("NY", 60)
    lines[1] = "NY,MUG,-1,,,\n"  # line 3
    lines[57] = "MARS,TEA,1,L1,,\n"  # line 59, chunks later
    report = services.imports.import_opening_stock(catalog, HEADER + "".join(lines))
    assert [(e.line, e.field) for e in report.errors] == [(3, "quantity"), (59, "location")]
    assert (report.rows_imported, report.rows_rejected, report.posting_id) == (0, 2, None)
    assert move_count(catalog) == 0


def test_good_rows_of_every_chunk_go_into_one_posting_beside_the_bad_ones(catalog):
    lines = rows("NY", 30)
    lines[2] = "NY,NOPE,1,,,\n"  # line 4
    lines[25] = "NY,MUG,lots,,,\n"  # line 27
    report = services.imports.import_opening_stock(catalog, HEADER + "".join(lines), policy=ImportPolicy.GOOD_ROWS)
    assert [(e.line, e.field) for e in report.errors] == [(4, "sku"), (27, "quantity")]
    assert (report.rows_imported, report.rows_rejected) == (28, 2)
    assert len(services.postings.get_posting(catalog, report.posting_id).moves) == 28
    assert move_count(catalog) == 28 and services.integrity.verify(catalog).ok


def test_the_errors_listed_are_capped_and_the_rest_counted(catalog, monkeypatch):
    monkeypatch.setattr(opening_stock, "MAX_ERRORS_LISTED", 3)
    report = services.imports.import_opening_stock(catalog, HEADER + "NY,MUG,-1,,,\n" * 5)
    assert [e.line for e in report.errors] == [2, 3, 4]
    assert (report.rows_rejected, report.errors_not_listed) == (5, 2)


def test_a_file_longer_than_the_row_limit_is_refused_and_writes_nothing(catalog, clock):
    limited = Onhand(catalog.engine, clock, limits=Limits(max_posting_lines=20))
    with pytest.raises(InvalidInput) as refused:
        services.imports.import_opening_stock(limited, HEADER + "".join(rows("NY", 21)))
    assert refused.value.field == "file" and "more than the 20 rows" in refused.value.reason
    assert move_count(catalog) == 0
    assert services.imports.import_opening_stock(limited, HEADER + "".join(rows("NY", 20))).rows_imported == 20


def test_a_repeat_with_the_same_key_replays_the_first_report_of_a_streamed_file(catalog):
    first = services.imports.import_opening_stock(catalog, Lazy([HEADER, *rows("NY", 20)]).source(),
                                                  idempotency_key="open-1")
    again = services.imports.import_opening_stock(catalog, Lazy([HEADER, *rows("NY", 20)]).source(),
                                                  idempotency_key="open-1")
    assert again == first and move_count(catalog) == 20


def test_a_checkpoint_due_for_many_items_reads_no_pool_whole_and_holds_every_pool_as_written(onhand, monkeypatch):
    from onhand.adapters.db.repositories import cost_pool_reads
    from onhand.services.valuation import posting_values

    for n in range(5):
        add_item(onhand, f"I{n}")
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    lines = lambda place: "".join(  # noqa: E731
        f"{place},I{n % 5},{1 + n % 3},,,{'' if n % 2 else f'{1 + n % 4}.5'}\n" for n in range(20)
    )
    monkeypatch.setattr(opening_stock, "CHUNK", 1000)
    monkeypatch.setattr(posting_values, "CHECKPOINT_EVERY", 6)  # 4 moves an item: none due; then 8: all
    monkeypatch.setattr(cost_pool_reads, "WHOLE_POOL", 1)  # NY's pools of 4 layers: read in part
    whole = []
    real = posting_values._engines
    monkeypatch.setattr(posting_values, "_engines", lambda uow, ids, methods: whole.append(ids) or real(uow, ids,
                                                                                                     methods))

    assert services.imports.import_opening_stock(onhand, HEADER + lines("NY")).ok
    assert services.imports.import_opening_stock(onhand, HEADER + lines("NY") + lines("LA")).ok
    assert whole == []  # a checkpoint no longer reads the pools whole to value the moves
    with onhand.reading() as uow:
        checkpoints = uow.checkpoints.checkpoints_until(onhand.now())
        pools = uow.valuation.pools()
    assert len(checkpoints) == 5
    for item, (_position, kept) in checkpoints.items():  # each at the item's last move: its pools now
        assert kept == {(loc, lot or None): pool for (it, loc, lot), pool in pools.items() if it == item}
        assert [len(pool.layers) for pool in kept.values()] == [8, 4]  # NY's read in part, LA's new
    assert services.integrity.verify(onhand).ok
