"""Stock counts by scanning (services/ledger/counts.py): choose a location or bin, scan what
is there — blind, the books' quantities hidden — review book against counted, then post.

The tally of scans travels with the form (hidden fields), so nothing is written until the
count is posted, and the posting is one `post_stock_count`. Book lines at the place that
no scan found are shown in the review and counted as 0 when posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.catalog.locations import Location, LocationKind, site_of
from onhand.domain.errors import InvalidInput, OnhandError
from onhand.domain.ledger.commands import PostStockCount, parse_stock_line
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.web.rendering import is_htmx, render
from onhand.entrypoints.web.scans import is_barcode, sku_and_lot
from onhand.entrypoints.web.sessions import PageRefused, Visitor, VisitorDep

router = APIRouter(include_in_schema=False)
MAX_LINES = 200
COUNTABLE = frozenset({LocationKind.WAREHOUSE, LocationKind.STORE, LocationKind.THREE_PL, LocationKind.BIN})
TallyForm = Annotated[list[str] | None, Form(max_length=MAX_LINES)]


@dataclass(frozen=True)
class Counted:
    sku: str
    lot: str
    expiry: str
    quantity: Decimal


@dataclass(frozen=True)
class Review:
    sku: str
    lot: str
    book: Decimal
    counted: Decimal
    scanned: bool

    @property
    def difference(self) -> Decimal:
        return self.counted - self.book


def _place(visitor: Visitor, code: str) -> Location:
    places = services.locations.list_locations(visitor.onhand)
    by_id = {place.id: place for place in places}
    found = next((place for place in places if place.code == code and place.kind in COUNTABLE), None)
    if found is None:
        raise PageRefused(404, f"No location {code} to count.")
    visitor.require_location(site_of(found, by_id).code)
    return found


def _tally(sku: list[str] | None, lot: list[str] | None, expiry: list[str] | None,
           quantity: list[str] | None) -> list[Counted]:
    columns = [sku or [], lot or [], expiry or [], quantity or []]
    if len({len(column) for column in columns}) != 1:
        raise PageRefused(422, "The count form is incomplete: reload the page and count again.")
    try:
        return [Counted(s[:64], lt[:64], e[:10], parse_decimal(q, "quantity"))
                for s, lt, e, q in zip(*columns, strict=True)]
    except InvalidInput:
        raise PageRefused(422, "The count form is incomplete: reload the page and count again.") from None


def _added(tally: list[Counted], counted: Counted) -> list[Counted]:
    for index, row in enumerate(tally):
        if (row.sku, row.lot) == (counted.sku, counted.lot):
            return [*tally[:index], Counted(row.sku, row.lot, row.expiry or counted.expiry,
                                            row.quantity + counted.quantity), *tally[index + 1:]]
    if len(tally) >= MAX_LINES:
        raise InvalidInput("scan", f"a count holds at most {MAX_LINES} lines: post this one, then count on")
    return [*tally, counted]


def _scanned(visitor: Visitor, scan: str, quantity: str) -> Counted:
    """What one scan counted: item (by GTIN or SKU), lot, expiry, and how many."""
    text = scan.strip()
    if not text:
        raise InvalidInput("scan", "is empty")
    if is_barcode(text):
        seen = services.scanning.scan(visitor.onhand, text)
        if seen.sku is None:
            raise InvalidInput("scan", "the code carries no GTIN, so it names no item")
        sku, lot, expiry, count = seen.sku, seen.lot or seen.serial, seen.expiry_date, seen.count
    else:
        typed, lot = sku_and_lot(text)
        sku = services.items.get_item(visitor.onhand, typed or "").sku
        expiry, count = None, None
    amount = parse_decimal(quantity.strip(), "quantity") if quantity.strip() else count or Decimal(1)
    if amount <= 0:
        raise InvalidInput("quantity", "must be more than 0")
    return Counted(sku, lot or "", expiry.isoformat() if expiry else "", amount)


@router.get("/counts")
def places_to_count(request: Request, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    places = [place for place in services.locations.list_locations(visitor.onhand) if place.kind in COUNTABLE]
    return render(request, "counts_list.html", {"visitor": visitor, "places": places})


def _count_page(request: Request, visitor: Visitor, place: Location, tally: list[Counted], *,
                error: str | None = None, status_code: int = 200) -> Response:
    template = "count_tally.html" if is_htmx(request) else "count.html"
    return render(request, template, {"visitor": visitor, "place": place, "tally": tally, "error": error},
                  status_code)


@router.get("/counts/{code}")
def count_page(request: Request, code: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    return _count_page(request, visitor, _place(visitor, code[:64]), [])


@router.post("/counts/{code}/scan")
def count_scan(
    request: Request, code: str, visitor: VisitorDep,
    scan: Annotated[str, Form(max_length=500)] = "", quantity: Annotated[str, Form(max_length=40)] = "",
    sku: TallyForm = None, lot: TallyForm = None, expiry: TallyForm = None, counted: TallyForm = None,
) -> Response:
    visitor.require(Permission.STOCK)
    place = _place(visitor, code[:64])
    tally = _tally(sku, lot, expiry, counted)
    if not scan.strip():  # back from the review: the tally as it was
        return _count_page(request, visitor, place, tally)
    try:
        tally = _added(tally, _scanned(visitor, scan, quantity))
    except OnhandError as refused:
        return _count_page(request, visitor, place, tally, error=refused.message, status_code=422)
    return _count_page(request, visitor, place, tally)


def _review(visitor: Visitor, place: Location, tally: list[Counted]) -> list[Review]:
    book = {(level.sku, level.lot or ""): level.on_hand
            for level in services.stock.stock_levels(visitor.onhand, location=place.code, group_by="balance").levels
            if level.location == place.code and level.on_hand != 0}
    counted = {(row.sku, row.lot): row.quantity for row in tally}
    keys = list(counted) + [key for key in sorted(book) if key not in counted]
    return [Review(sku, lot, book.get((sku, lot), Decimal(0)), counted.get((sku, lot), Decimal(0)),
                   (sku, lot) in counted) for sku, lot in keys]


@router.post("/counts/{code}/review")
def count_review(
    request: Request, code: str, visitor: VisitorDep,
    sku: TallyForm = None, lot: TallyForm = None, expiry: TallyForm = None, counted: TallyForm = None,
) -> Response:
    visitor.require(Permission.STOCK)
    place = _place(visitor, code[:64])
    tally = _tally(sku, lot, expiry, counted)
    return render(request, "count_review.html", {"visitor": visitor, "place": place, "tally": tally,
                                                 "review": _review(visitor, place, tally)})


@router.post("/counts/{code}")
def count_post(
    request: Request, code: str, visitor: VisitorDep,
    sku: TallyForm = None, lot: TallyForm = None, expiry: TallyForm = None, counted: TallyForm = None,
    reference: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    visitor.require(Permission.STOCK)
    place = _place(visitor, code[:64])
    tally = _tally(sku, lot, expiry, counted)
    review = _review(visitor, place, tally)
    expiries = {(row.sku, row.lot): row.expiry for row in tally}
    try:
        lines = [parse_stock_line(f"lines[{index}]", sku=row.sku, quantity=row.counted, lot=row.lot or None,
                                  expiry_date=expiries.get((row.sku, row.lot)) or None)
                 for index, row in enumerate(review)]
        if not lines:
            raise InvalidInput("lines", "nothing was counted and the books hold nothing here")
        posting = services.counts.post_stock_count(visitor.onhand, PostStockCount(
            location=place.code, lines=tuple(lines), reference=reference.strip() or None))
    except OnhandError as refused:
        return render(request, "count_review.html", {"visitor": visitor, "place": place, "tally": tally,
                                                     "review": review, "error": refused.message}, 422)
    return render(request, "count_done.html", {"visitor": visitor, "place": place, "posting": posting,
                                               "review": review})
