"""Supplier shipments (advance shipping notices): a purchase order's goods on their way.

Shipping is a receipt of the order into a transit location (`SUPPLIER → transit`, valued
at the order's unit cost like any receipt, so its cost layers and landed costs are the
receipt's); the goods are on hand there but never available. Receiving at the order's
destination moves them on (`transit → destination`, kind `transfer_receive`, the value
travelling with the layers) and only then counts as received on the order; what never
arrives is written off (`transit → adjustment`). The order row is locked first by every
write, so concurrent receipts of one shipment can never take more than is in transit.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.domain.purchasing.commands import (
    ReceivePurchaseOrder,
    ReceiveSupplierShipment,
    ShipmentMoveLine,
    ShipPurchaseOrder,
    UpdateSupplierShipment,
    WriteOffSupplierShipment,
)
from onhand.domain.purchasing.purchase_orders import validate_reference
from onhand.domain.purchasing.supplier_shipments import ShipmentLineProgress, supplier_shipment_status
from onhand.domain.purchasing.views import SupplierShipmentLineView, SupplierShipmentView
from onhand.domain.quantities import positive_quantity
from onhand.domain.transfers.transfer_orders import LOST_IN_TRANSIT
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.ledger.postings import post
from onhand.services.limits import check_line_count
from onhand.services.purchasing.purchase_orders import locked_order, order_row, refresh_status
from onhand.services.purchasing.receiving import post_receipt

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)
_TEXTS = ("container", "vessel", "carrier", "tracking")


def shipment_subject(view: SupplierShipmentView) -> AuditObject:
    return AuditObject("supplier_shipment", view.reference)


def ship_purchase_order(
    ctx: ServiceContext, command: ShipPurchaseOrder, *, idempotency_key: str | None = None
) -> SupplierShipmentView:
    """The supplier shipped: receive the lines into transit and open the shipment."""
    check_line_count(ctx.limits, command.lines, "lines")
    if not command.lines:
        raise InvalidInput("lines", "a shipment needs at least one line")
    for index, line in enumerate(command.lines):
        if line.location:
            raise InvalidInput(f"lines[{index}].location", "a shipment travels in its transit location; "
                                                          "name bins when receiving it")
    texts = {name: resolve.text(getattr(command, name), name, max_length=100) for name in _TEXTS}
    note = resolve.text(command.note, "note", max_length=2000)
    own = validate_reference(command.shipment_reference, "shipment_reference") if command.shipment_reference else None

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, command.reference)
        transit = _transit(uow, command.transit)
        reference = own or _next_reference(uow)
        if uow.supplier_shipments.by_reference(reference) is not None:
            raise AlreadyExists("supplier shipment", reference, "shipment_reference")
        receipt = ReceivePurchaseOrder(command.reference, command.lines, exchange_rate=command.exchange_rate,
                                       landed_costs=command.landed_costs)
        receipt_id, taken = post_receipt(uow, ctx, receipt, delivery=texts["tracking"], own_reference=None,
                                         into=transit)
        per_lot: dict[tuple[int, int | None], dict[str, Any]] = {}
        for line in taken:
            for lot, quantity in line.lots:
                key = (line.order_line.id, lot.id if lot else None)
                row = per_lot.setdefault(key, {"order_line_id": key[0], "item_id": line.item.id, "lot_id": key[1],
                                               "quantity": ZERO})
                row["quantity"] += quantity
        now = ctx.now()
        shipment_id = uow.supplier_shipments.add({
            "reference": reference, "order_id": order.id, "receipt_id": receipt_id, "transit_id": transit.id,
            **texts, "eta": command.eta or order.expected_date, "status": "in_transit", "note": note,
            "created_at": now, "updated_at": now,
        }, list(per_lot.values()))
        refresh_status(uow, order.id, now)
        return shipment_id

    return run_write(ctx, work, load_shipment, action="ship_purchase_order", subject=shipment_subject,
                     idempotency_key=idempotency_key, request=command)


def receive_supplier_shipment(
    ctx: ServiceContext, command: ReceiveSupplierShipment, *, idempotency_key: str | None = None
) -> SupplierShipmentView:
    """Goods arrived: `transit → destination` (or a bin in it), received on the order."""
    check_line_count(ctx.limits, command.lines, "lines")

    def work(uow: UnitOfWork) -> int:
        row, order = _locked(uow, command.reference)
        places = {loc.id: loc for loc in uow.locations.all()}
        site = places[order.destination_id]
        default = _inside(uow, command.location, site, "location")
        moves, done = [], []
        for index, (line, quantity, asked_at) in enumerate(_taking(uow, row, command.lines, "receive")):
            target = _inside(uow, asked_at, site, f"lines[{index}].location") if asked_at else default
            moves.append(MoveLine(_item(uow, line), places[row.transit_id], target, quantity, _lot(uow, line)))
            done.append((int(line.id), target.id, quantity))
        draft = PostingDraft(PostingKind.TRANSFER_RECEIVE, tuple(moves), reference=row.reference,
                             note=f"supplier shipment of {order.reference}")
        return _record(uow, ctx, row, draft, done, "receipt")

    return run_write(ctx, work, load_shipment, action="receive_supplier_shipment", subject=shipment_subject,
                     idempotency_key=idempotency_key, request=command)


def write_off_supplier_shipment(
    ctx: ServiceContext, command: WriteOffSupplierShipment, *, idempotency_key: str | None = None
) -> SupplierShipmentView:
    """What will never arrive leaves transit as a loss (`transit → adjustment`)."""
    check_line_count(ctx.limits, command.lines, "lines")
    note = resolve.text(command.note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        row, _order = _locked(uow, command.reference)
        reason = resolve.reason(uow, command.reason or LOST_IN_TRANSIT)
        transit = next(loc for loc in uow.locations.all() if loc.id == row.transit_id)
        loss = uow.locations.virtual(LocationKind.ADJUSTMENT)
        moves, done = [], []
        for index, (line, quantity, asked_at) in enumerate(_taking(uow, row, command.lines, "write off")):
            if asked_at:
                raise InvalidInput(f"lines[{index}].location", "a write-off is always from the transit location")
            moves.append(MoveLine(_item(uow, line), transit, loss, quantity, _lot(uow, line)))
            done.append((int(line.id), transit.id, quantity))
        draft = PostingDraft(PostingKind.ADJUSTMENT, tuple(moves), reason=reason, reference=row.reference, note=note)
        return _record(uow, ctx, row, draft, done, "write_off")

    return run_write(ctx, work, load_shipment, action="write_off_supplier_shipment", subject=shipment_subject,
                     idempotency_key=idempotency_key, request=command)


def update_supplier_shipment(
    ctx: ServiceContext, command: UpdateSupplierShipment, *, idempotency_key: str | None = None
) -> SupplierShipmentView:
    """The carrier's news (a new ETA, vessel, tracking); None leaves a field as it is."""
    values: dict[str, Any] = {name: resolve.text(getattr(command, name), name, max_length=100)
                               for name in _TEXTS if getattr(command, name) is not None}
    if command.note is not None:
        values["note"] = resolve.text(command.note, "note", max_length=2000)
    if command.eta is not None:
        values["eta"] = command.eta

    def work(uow: UnitOfWork) -> int:
        row, _order = _locked(uow, command.reference)
        uow.supplier_shipments.update(int(row.id), **values, updated_at=ctx.now())
        return int(row.id)

    return run_write(ctx, work, load_shipment, action="update_supplier_shipment", subject=shipment_subject,
                     idempotency_key=idempotency_key, request=command)


def get_supplier_shipment(ctx: ServiceContext, reference: str) -> SupplierShipmentView:
    with ctx.reading() as uow:
        return load_shipment(uow, int(_row(uow, reference).id))


def list_supplier_shipments(ctx: ServiceContext, purchase_order: str) -> list[SupplierShipmentView]:
    """The shipments of one purchase order, oldest first."""
    with ctx.reading() as uow:
        order = order_row(uow, purchase_order)
        return [load_shipment(uow, int(row.id)) for row in uow.supplier_shipments.for_order(order.id)]


def load_shipment(uow: UnitOfWork, shipment_id: int) -> SupplierShipmentView:
    from onhand.services.purchasing.receiving import load_receipt

    row = uow.supplier_shipments.get(shipment_id)
    if row is None:
        raise NotFound("supplier shipment", str(shipment_id), "supplier_shipment")
    receipt = load_receipt(uow, int(row.receipt_id))
    order = uow.purchase_orders.get(row.order_id)
    places = {loc.id: loc.code for loc in uow.locations.all()}
    lines = tuple(
        SupplierShipmentLineView(
            line_no=line.line_no, sku=line.sku, lot=line.lot_code, shipped=line.quantity, received=line.received,
            written_off=line.written_off, in_transit=line.quantity - line.received - line.written_off,
            unit_cost=line.unit_cost,
        ) for line in uow.supplier_shipments.lines(shipment_id)
    )
    return SupplierShipmentView(
        reference=row.reference, purchase_order=order.reference, supplier=receipt.supplier, status=row.status,
        receipt=receipt.reference, transit=places[row.transit_id], destination=places[order.destination_id],
        container=row.container, vessel=row.vessel, carrier=row.carrier, tracking=row.tracking, eta=row.eta,
        note=row.note, created_at=row.created_at, lines=lines, landed_costs=receipt.landed_costs,
    )


def _row(uow: UnitOfWork, reference: str) -> Any:
    row = uow.supplier_shipments.by_reference(reference.strip()) if reference and reference.strip() else None
    if row is None:
        raise NotFound("supplier shipment", reference, "supplier_shipment")
    return row


def _locked(uow: UnitOfWork, reference: str) -> tuple[Any, Any]:
    """The shipment and its order, the order locked (every write to either takes it)."""
    found = _row(uow, reference)
    order = locked_order(uow, uow.purchase_orders.get(found.order_id).reference)
    return uow.supplier_shipments.get(int(found.id)), order


def _transit(uow: UnitOfWork, code: str | None) -> Location:
    if code is not None and code.strip():
        place = resolve.location(uow, code, "transit")
        if place.kind is not LocationKind.TRANSIT:
            raise InvalidInput("transit", f"{place.code!r} is not a transit location")
        return place
    transits = sorted((loc for loc in uow.locations.all() if loc.kind is LocationKind.TRANSIT), key=lambda x: x.code)
    if len(transits) == 1:
        return transits[0]
    if not transits:
        raise InvalidInput("transit", "there is no location of kind transit; create one (e.g. OCEAN-1)")
    raise InvalidInput("transit", "name one of " + ", ".join(loc.code for loc in transits))


def _inside(uow: UnitOfWork, code: str | None, site: Location, field: str) -> Location:
    if code is None or not code.strip():
        return site
    place = resolve.internal_location_in_use(uow, code, field)
    if not place.is_within(site) or place.kind is LocationKind.TRANSIT:
        raise InvalidInput(field, f"{place.code!r} is not {site.code} or a bin inside it")
    return place


def _taking(
    uow: UnitOfWork, row: Any, asks: tuple[ShipmentMoveLine, ...], verb: str
) -> list[tuple[Any, Decimal, str | None]]:
    """(shipment line, quantity, location asked) for each part taken out of transit;
    without asks, everything in transit. Never more than a line and lot has in transit."""
    lines = uow.supplier_shipments.lines(int(row.id))
    left = {int(line.id): line.quantity - line.received - line.written_off for line in lines}
    if not asks:
        parts = [(line, left[int(line.id)], None) for line in lines if left[int(line.id)] > 0]
        if not parts:
            raise Conflict(f"supplier_shipment: {row.reference} has nothing in transit")
        return parts
    asked: dict[int, Decimal] = defaultdict(lambda: ZERO)
    parts = []
    for index, ask in enumerate(asks):
        field = f"lines[{index}]"
        mine = [line for line in lines if line.line_no == ask.line_no]
        if not mine:
            raise InvalidInput(f"{field}.line_no", f"{row.reference} carries no line {ask.line_no} of the order")
        quantity = positive_quantity(ask.quantity, _item(uow, mine[0]).unit, f"{field}.quantity")
        line = _pick_lot(mine, left, ask, field)
        asked[int(line.id)] += quantity
        if asked[int(line.id)] > left[int(line.id)]:
            lot = f" lot {line.lot_code}" if line.lot_code else ""
            raise Conflict(f"{field}.quantity: cannot {verb} {asked[int(line.id)]}: only {left[int(line.id)]} "
                           f"of line {ask.line_no}{lot} is in transit")
        parts.append((line, quantity, ask.location))
    return parts


def _pick_lot(mine: list[Any], left: dict[int, Decimal], ask: ShipmentMoveLine, field: str) -> Any:
    if ask.lot is not None and ask.lot.strip():
        found = next((line for line in mine if line.lot_code == ask.lot.strip()), None)
        if found is None:
            raise InvalidInput(f"{field}.lot", f"lot {ask.lot.strip()!r} is not on line {ask.line_no} of this shipment")
        return found
    moving = [line for line in mine if left[int(line.id)] > 0] or mine
    if len(moving) > 1:
        codes = ", ".join(sorted(line.lot_code or "-" for line in moving))
        raise InvalidInput(f"{field}.lot", f"line {ask.line_no} has lots {codes} in transit; name one")
    return moving[0]


def _item(uow: UnitOfWork, line: Any) -> Any:
    return uow.items.get(line.item_id)


def _lot(uow: UnitOfWork, line: Any) -> Any:
    return uow.lots.by_ids([line.lot_id])[line.lot_id] if line.lot_id else None


def _record(uow: UnitOfWork, ctx: ServiceContext, row: Any, draft: PostingDraft,
            done: list[tuple[int, int, Decimal]], kind: str) -> int:
    now = ctx.now()
    posting_id = post(uow, draft, now=now)
    uow.supplier_shipments.record(int(row.id), kind, posting_id, done, now)
    progress = [ShipmentLineProgress(line.quantity, line.received, line.written_off)
                for line in uow.supplier_shipments.lines(int(row.id))]
    uow.supplier_shipments.update(int(row.id), status=supplier_shipment_status(progress).value, updated_at=now)
    refresh_status(uow, int(row.order_id), now)
    return int(row.id)


def _next_reference(uow: UnitOfWork) -> str:
    """ASN-000123 from the shipment count, skipping numbers a manual reference already took."""
    number = uow.supplier_shipments.count() + 1
    while uow.supplier_shipments.by_reference(f"ASN-{number:06d}") is not None:
        number += 1
    return f"ASN-{number:06d}"
