"""Lots: trace a lot (scan its GS1 code or type SKU/LOT), a lot's page — status, expiry,
stock per place, the trace both ways, the recall report and the audit trail — and the
one-click recall, confirmed before it runs (services/traceability; docs/traceability.md).
Every rule is the services'; their refusals are shown as they are."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.catalog.items import Item
from onhand.domain.catalog.locations import effective_sellable
from onhand.domain.catalog.lots import Lot
from onhand.domain.errors import OnhandError
from onhand.domain.traceability.commands import LotRef, RecallLots, ReleaseRecall
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.scans import is_barcode, sku_and_lot
from onhand.entrypoints.web.sessions import PageRefused, Visitor, VisitorDep
from onhand.entrypoints.web.trace_tree import backward_tree, forward_tree

router = APIRouter(include_in_schema=False)
FOUND = 20
# A SKU and a lot code are each at most 64 characters, and either may hold a "/".
MAX_NAME = 64 * 2 + 1
Text = Annotated[str, Form(max_length=64)]


def lot_path(sku: str, lot: str) -> str:
    return f"/lots/{quote(sku, safe='/')}/{quote(lot, safe='/')}"


def _find(visitor: Visitor, name: str) -> tuple[Item, Lot]:
    """The lot that `SKU/LOT` names. Both may hold a "/", so each split is tried in turn."""
    if len(name) > MAX_NAME or "/" not in name:
        raise PageRefused(404, "No such lot: name it as SKU/LOT.")
    position = name.find("/")
    while position != -1:
        sku, code = name[:position], name[position + 1:]
        try:
            return services.items.get_item(visitor.onhand, sku), services.lots.get_lot(visitor.onhand, sku=sku,
                                                                                        code=code)
        except OnhandError:
            position = name.find("/", position + 1)
    raise PageRefused(404, f"No lot {name}.")


def _quarantine_places(visitor: Visitor) -> list[str]:
    """Where a recall may move stock: internal places that sell nothing."""
    places = services.locations.list_locations(visitor.onhand)
    by_id = {place.id: place for place in places}
    return [place.code for place in places if place.is_internal and not effective_sellable(place, by_id)]


def _lot_page(request: Request, visitor: Visitor, item: Item, lot: Lot, *, done: str | None = None,
              error: str | None = None, status_code: int = 200) -> Response:
    sku, code = item.sku, lot.code
    stock = services.stock.stock_levels(visitor.onhand, sku=sku, lot=code, group_by="balance").levels
    backward = services.traces.trace_backward(visitor.onhand, sku=sku, lot=code)
    report = services.traces.recall_report(visitor.onhand, lots=[LotRef(sku, code)])
    audit = (services.audit.list_audit(visitor.onhand, object_type="lot", object_key=f"{sku} {code}", limit=20)
             if visitor.may(Permission.AUDIT) else None)
    # A recall reaches every site: not for a user limited to some.
    may_recall = visitor.may(Permission.RECALL) and visitor.reaches_every_site
    return render(request, "lot.html", {
        "visitor": visitor, "item": item, "lot": lot, "stock": stock, "report": report,
        "backward": backward_tree(backward, sku, code), "forward": forward_tree(report.trace, sku, code),
        "account": next((a for a in report.trace.accounts if (a.sku, a.lot) == (sku, code)), None),
        "built": [traced for traced in report.trace.lots if traced.depth > 0],
        "audit": audit, "may_recall": may_recall,
        "quarantine_places": _quarantine_places(visitor) if may_recall else [], "lot_path": lot_path,
        "done": done, "error": error,
    }, status_code)


@router.get("/lots")
def trace_a_lot(
    request: Request, visitor: VisitorDep, code: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    """The search form: a GS1 code names item and lot; `SKU/LOT` too; a lot code alone
    lists the lots of that code (one found: its page)."""
    visitor.require(Permission.READ)
    text, error, found = code.strip(), None, None
    if text:
        try:
            if is_barcode(text):
                scanned = services.scanning.scan(visitor.onhand, text)
                if scanned.sku is None or scanned.lot is None:
                    raise PageRefused(422, "This code names no lot: scan a code with a lot (10) in it.")
                return RedirectResponse(lot_path(scanned.sku, scanned.lot), status_code=303)
            sku, lot = sku_and_lot(text)
            if sku is not None and lot is not None:
                item, found_lot = _find(visitor, text)
                return RedirectResponse(lot_path(item.sku, found_lot.code), status_code=303)
            found = services.lot_search.find_lots(visitor.onhand, lot=sku or lot, limit=FOUND)
            if len(found) == 1:
                return RedirectResponse(lot_path(found[0].sku, found[0].lot), status_code=303)
        except (PageRefused, OnhandError) as refused:
            error = refused.message
    return _search_page(request, visitor, code=code, error=error, found=found)


def _search_page(request: Request, visitor: Visitor, *, code: str = "", error: str | None = None,
                 found: object = None, done: str | None = None) -> Response:
    recalls = services.recalls.list_recalls(visitor.onhand, limit=10)
    return render(request, "lots.html", {
        "visitor": visitor, "code": code, "error": error, "found": found, "recalls": recalls, "lot_path": lot_path,
        "done": done, "may_recall": visitor.may(Permission.RECALL) and visitor.reaches_every_site,
    }, 422 if error else 200)


@router.post("/lots/recalls/release")
def release(request: Request, visitor: VisitorDep, reference: Text = "") -> Response:
    """Undo a recall: each lot its previous status, the stock moved to quarantine back."""
    visitor.require(Permission.RECALL)
    visitor.require_everywhere()
    try:
        done = services.recalls.release_recall(visitor.onhand, ReleaseRecall(reference.strip()))
    except OnhandError as refused:
        return _search_page(request, visitor, error=refused.message)
    return _search_page(request, visitor, done=f"Released recall {done.reference}: its lots have their status back"
                        + (f" and the stock moved to {done.quarantine_location} went back." if done.quarantine_location
                           else "."))


@router.post("/lots/recall")
def recall(
    request: Request, visitor: VisitorDep, sku: Text = "", lot: Text = "",
    status: Annotated[str, Form(max_length=16)] = "recalled", quarantine_location: Text = "",
    note: Annotated[str, Form(max_length=2000)] = "", confirm: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """First a confirmation page saying what will stop and who has it; then the recall."""
    visitor.require(Permission.RECALL)
    visitor.require_everywhere()
    item, found = _find(visitor, f"{sku.strip()}/{lot.strip()}")
    command = RecallLots(lots=(LotRef(item.sku, found.code),), status=status,
                         quarantine_location=quarantine_location.strip() or None, note=note.strip() or None)
    if confirm != "yes":
        report = services.traces.recall_report(visitor.onhand, lots=[LotRef(item.sku, found.code)])
        return render(request, "lot_recall.html", {
            "visitor": visitor, "item": item, "lot": found, "command": command, "report": report,
            "lot_path": lot_path,
        })
    try:
        done = services.recalls.recall_lots(visitor.onhand, command)
    except OnhandError as refused:
        return _lot_page(request, visitor, item, found, error=refused.message, status_code=422)
    item, found = _find(visitor, f"{item.sku}/{found.code}")
    stopped = len(done.lots)
    message = (f"Recall {done.reference}: {stopped} lot{'s' if stopped != 1 else ''} {done.status}"
               + (f", stock on hand moved to {done.quarantine_location}" if done.quarantine_location else "")
               + ".")
    if done.short:
        message += " Order lines now short: " + ", ".join(
            f"{line.order} line {line.line_no} ({line.backordered.normalize():f} × {line.sku})" for line in done.short
        ) + "."
    return _lot_page(request, visitor, item, found, done=message)


@router.get("/lots/{name:path}")
def lot_page(request: Request, name: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    item, found = _find(visitor, name)
    return _lot_page(request, visitor, item, found)
