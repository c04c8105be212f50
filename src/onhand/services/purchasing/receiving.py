"""Receiving against a purchase order, partially and repeatedly, typed or scanned.

One receipt is one posting of `SUPPLIER → location` moves (a bin inside the order's
destination, or the destination itself). Each receipt line keeps its order line,
quantity, lot and unit cost in the order's currency, and the receipt its exchange rate
to the company currency, for valuation. A line may not go past its ordered quantity
plus the over-receipt tolerance (the supplier's, else the company's); a short line
stays open until the order is closed.

A line may give the supplier's invoiced unit cost (`unit_cost`) when it differs from the
order's; the company's costing setting says where the difference goes
(domain/valuation/price_differences.py): `to_stock`, the line's layers take the invoiced
cost; `variance`, they keep the order's, and the line keeps the invoiced cost beside it
(`invoiced_unit_cost`) for the journal's purchase price variance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.items import Item, Tracking
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.catalog.lots import LOT_CODE_PATTERN, Lot
from onhand.domain.errors import AlreadyExists, InvalidInput, NotFound, OverReceipt
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.domain.purchasing.commands import ReceiptLine, ReceivePurchaseOrder
from onhand.domain.purchasing.purchase_orders import (
    PurchaseOrderStatus,
    receivable_limit,
    require_receivable,
    validate_exchange_rate,
    validate_money,
    validate_reference,
)
from onhand.domain.quantities import plain, positive_quantity
from onhand.domain.valuation.price_differences import PriceDifferences
from onhand.services import resolve
from onhand.services.catalog.lots import add_lot, parse_date
from onhand.services.catalog.scanning import resolve_scan
from onhand.services.context import ServiceContext, run_write
from onhand.services.ledger.postings import parse_effective_at, post
from onhand.services.limits import check_line_count
from onhand.services.purchasing.landed_costs import record_landed_cost
from onhand.services.purchasing.purchase_orders import locked_order, order_row, refresh_status
from onhand.services.purchasing.views import ReceiptView, receipt_subject
from onhand.services.valuation.backdating import value_landed_costs

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)
SIX = Decimal("0.000001")


@dataclass
class _Line:
    order_line: Any
    item: Item
    quantity: Decimal
    place: Location
    lots: list[tuple[Lot | None, Decimal]]
    invoiced: Decimal | None = None  # the supplier's unit cost, when given

    def costs(self, differences: PriceDifferences) -> tuple[Decimal, Decimal | None]:
        """The unit cost the layers take, and the invoiced one kept beside it for a variance."""
        ordered = self.order_line.unit_cost
        if self.invoiced is None or self.invoiced == ordered:
            return ordered, None
        if differences is PriceDifferences.VARIANCE:
            return ordered, self.invoiced
        return self.invoiced, None


def receive_purchase_order(
    ctx: ServiceContext, command: ReceivePurchaseOrder, *, idempotency_key: str | None = None
) -> ReceiptView:
    """Post what arrived (all lines or none) and return the receipt; a moment without an
    offset (`effective_at`) is read in the company's time zone."""
    lines, delivery_reference, receipt_reference = command.lines, command.delivery_reference, command.receipt_reference
    check_line_count(ctx.limits, lines, "lines")
    if not lines:
        raise InvalidInput("lines", "a receipt needs at least one line")
    delivery = resolve.text(delivery_reference, "delivery_reference", max_length=100)
    own_reference = validate_reference(receipt_reference, "receipt_reference") if receipt_reference else None

    def work(uow: UnitOfWork) -> int:
        receipt_id, _taken = post_receipt(uow, ctx, command, delivery=delivery, own_reference=own_reference)
        return receipt_id

    return run_write(ctx, work, load_receipt, action="receive_purchase_order", subject=receipt_subject,
                     idempotency_key=idempotency_key, request=command)


def post_receipt(
    uow: UnitOfWork, ctx: ServiceContext, command: ReceivePurchaseOrder, *, delivery: str | None,
    own_reference: str | None, into: Location | None = None,
) -> tuple[int, list[_Line]]:
    """Post one receipt of the order (locked here) and record it; `into` (a transit
    location) receives there instead of the destination: a supplier shipment."""
    reference, lines, location, exchange_rate, landed_costs, effective_at = (
        command.reference, command.lines, command.location, command.exchange_rate, command.landed_costs,
        command.effective_at,
    )
    order = locked_order(uow, reference)
    require_receivable(PurchaseOrderStatus(order.status), order.reference)
    company = uow.company.get()
    rate = _exchange_rate(exchange_rate, order.currency, company.currency)
    target = next(loc for loc in uow.locations.all() if loc.id == order.destination_id)
    default_place = _place(uow, location, target, "location") if location else target
    default_place = into or default_place
    supplier = uow.suppliers.get(order.supplier_id)
    tolerance = supplier.over_receipt_tolerance_pct
    tolerance = company.over_receipt_tolerance_pct if tolerance is None else tolerance
    order_lines = uow.purchase_orders.lines(order.id)
    received = defaultdict(Decimal, uow.purchase_orders.delivered(order.id))
    now = ctx.now()
    taken: list[_Line] = []
    for index, given in enumerate(lines):
        line = _resolve(uow, given, f"lines[{index}]", order_lines, received, target, default_place, now)
        limit = receivable_limit(line.order_line.quantity, tolerance)
        if received[line.order_line.id] + line.quantity > limit:
            raise OverReceipt(
                f"lines[{index}].quantity", reference=order.reference, line_no=line.order_line.line_no,
                sku=line.item.sku, ordered=line.order_line.quantity, received=received[line.order_line.id],
                receiving=line.quantity, allowed=limit, tolerance_pct=tolerance,
            )
        received[line.order_line.id] += line.quantity
        taken.append(line)
    grn = own_reference or _next_reference(uow)
    if uow.receipts.by_reference(grn) is not None:
        raise AlreadyExists("receipt", grn, "receipt_reference")
    source = uow.locations.virtual(LocationKind.SUPPLIER)
    differences = PriceDifferences(uow.valuation.price_differences())
    moves = [
        MoveLine(ln.item, source, ln.place, quantity, lot, unit_cost=ln.costs(differences)[0] * rate)
        for ln in taken for lot, quantity in ln.lots
    ]
    draft = PostingDraft(kind=PostingKind.RECEIPT, moves=tuple(moves), reference=grn,
                         note=f"receipt against {order.reference}")
    posting_id = post(uow, draft, now=now, effective_at=parse_effective_at(effective_at, uow, now=now))
    rows = [
        {"order_line_id": ln.order_line.id, "item_id": ln.item.id, "location_id": ln.place.id,
         "lot_id": lot.id if lot else None, "quantity": quantity, "unit_cost": ln.costs(differences)[0],
         "invoiced_unit_cost": ln.costs(differences)[1]}
        for ln in taken for lot, quantity in ln.lots
    ]
    header = {"reference": grn, "order_id": order.id, "posting_id": posting_id, "currency": order.currency,
              "exchange_rate": rate, "delivery_reference": delivery, "created_at": now}
    receipt_id, _ids = uow.receipts.add(header, rows)
    receipt = uow.receipts.get(receipt_id)
    for index, cost in enumerate(landed_costs):
        record_landed_cost(uow, receipt, cost, f"landed_costs[{index}]", company_currency=company.currency, now=now)
    if landed_costs:
        value_landed_costs(uow, receipt_id)
    if into is None:  # a shipment refreshes it once its lines say what is in transit
        refresh_status(uow, order.id, now)
    return receipt_id, taken


def _exchange_rate(given: Decimal | int | str | None, currency: str, company_currency: str) -> Decimal:
    if given is None:
        if currency != company_currency:
            raise InvalidInput(
                "exchange_rate", f"required: the order is in {currency}, the company in {company_currency}"
            )
        return Decimal(1)
    rate = validate_exchange_rate(given)
    if currency == company_currency and rate != 1:
        raise InvalidInput("exchange_rate", f"must be 1: the order is in the company's currency {currency}")
    return rate


def _place(uow: UnitOfWork, code: str, target: Location, field: str) -> Location:
    place = resolve.internal_location_in_use(uow, code, field)
    if not place.is_within(target):
        raise InvalidInput(field, f"{place.code!r} is not {target.code} or a bin inside it")
    return place


def _resolve(
    uow: UnitOfWork, given: ReceiptLine, field: str, order_lines: list[Any], received: dict[int, Decimal],
    target: Location, default_place: Location, now: Any,
) -> _Line:
    scanned, scanned_item = resolve_scan(uow, given.barcode, f"{field}.barcode") if given.barcode else (None, None)
    if given.line_no is not None:
        order_line = next((ln for ln in order_lines if ln.line_no == given.line_no), None)
        if order_line is None:
            raise InvalidInput(f"{field}.line_no", f"the purchase order has no line {given.line_no}")
        if scanned_item is not None and scanned_item.id != order_line.item_id:
            raise InvalidInput(
                f"{field}.barcode", f"names {scanned_item.sku}, but line {given.line_no} is {order_line.sku}"
            )
    elif scanned_item is not None:
        candidates = [ln for ln in order_lines if ln.item_id == scanned_item.id]
        if not candidates:
            raise InvalidInput(f"{field}.barcode", f"{scanned_item.sku} is not on this purchase order")
        # The first line of the item still open, else its first line.
        order_line = next((ln for ln in candidates if received[ln.id] < ln.quantity), candidates[0])
    elif given.barcode:
        raise InvalidInput(f"{field}.barcode", "carries no GTIN (AI 01 or 02); give the line number too")
    else:
        raise InvalidInput(f"{field}.line_no", "give the order line number or a scanned barcode")
    item = uow.items.get(order_line.item_id)
    assert item is not None  # an order line's item exists
    place = _place(uow, given.location, target, f"{field}.location") if given.location else default_place
    lot_code = _agreed(given.lot, scanned.lot if scanned else None, f"{field}.lot")
    expiry = parse_date(given.expiry_date, f"{field}.expiry_date") or (scanned.expiry_date if scanned else None)
    production = parse_date(given.production_date, f"{field}.production_date") or (
        scanned.production_date if scanned else None)
    serials = [s.strip() for s in given.serials] + ([scanned.serial] if scanned and scanned.serial else [])
    if given.quantity is not None:
        quantity = positive_quantity(given.quantity, item.unit, f"{field}.quantity")
    elif serials:
        quantity = Decimal(len(serials))
    elif scanned is not None:
        quantity = positive_quantity(scanned.count or 1, item.unit, f"{field}.quantity")
    else:
        raise InvalidInput(f"{field}.quantity", "required (or give serials)")
    if item.tracking is Tracking.SERIAL:
        if lot_code is not None:
            raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is serial-tracked; give serials, not a lot")
        if len(serials) != quantity:
            raise InvalidInput(f"{field}.serials", f"item {item.sku!r} is serial-tracked: give {quantity} serials, "
                                                   f"got {len(serials)}")
        if len(set(serials)) != len(serials):
            raise InvalidInput(f"{field}.serials", "a serial is given twice")
        lots = [(_lot(uow, item, code, expiry, production, f"{field}.serials[{i}]", now), Decimal(1))
                for i, code in enumerate(serials)]
    elif item.tracking is Tracking.LOT:
        if serials:
            raise InvalidInput(f"{field}.serials", f"item {item.sku!r} is lot-tracked, not serial-tracked")
        if lot_code is None:
            raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is lot-tracked; a lot is required")
        lots = [(_lot(uow, item, lot_code, expiry, production, f"{field}.lot", now), quantity)]
    else:
        if lot_code is not None or serials:
            raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is not lot- or serial-tracked; give no lot")
        lots = [(None, quantity)]
    invoiced = validate_money(given.unit_cost, f"{field}.unit_cost") if given.unit_cost is not None else None
    return _Line(order_line, item, quantity, place, lots, invoiced)


def _agreed(typed: str | None, scanned: str | None, field: str) -> str | None:
    typed = typed.strip() if typed and typed.strip() else None
    if typed and scanned and typed != scanned:
        raise InvalidInput(field, f"{typed!r} differs from the scanned {scanned!r}")
    return typed or scanned


def _lot(
    uow: UnitOfWork, item: Item, code: str, expiry: date | None, production: date | None, field: str, now: Any
) -> Lot:
    """The lot (or serial) received: known already, or created with its dates."""
    existing = uow.lots.get(item.id, code.strip()) if LOT_CODE_PATTERN.match(code.strip()) else None
    if existing is None:
        try:
            return add_lot(uow, item, code, expiry_date=expiry, production_date=production, now=now, field=field)
        except AlreadyExists:  # a concurrent first receipt of it committed since the look above
            existing = uow.lots.get(item.id, code.strip())
            if existing is None:
                raise
    if expiry is not None and existing.expiry_date != expiry:
        raise InvalidInput(field.rsplit(".", 1)[0] + ".expiry_date",
                           f"lot {existing.code} of {item.sku} expires {existing.expiry_date}, not {expiry}")
    return existing


def _next_reference(uow: UnitOfWork) -> str:
    """GRN-000123 from the receipt count, skipping numbers a manual reference already took."""
    number = uow.receipts.count() + 1
    while uow.receipts.by_reference(f"GRN-{number:06d}") is not None:
        number += 1
    return f"GRN-{number:06d}"


def load_receipt(uow: UnitOfWork, receipt_id: int) -> ReceiptView:
    receipt = uow.receipts.get(receipt_id)
    if receipt is None:
        raise NotFound("receipt", str(receipt_id), "receipt")
    costs = uow.receipts.landed_costs(receipt_id)
    landed: dict[int, Decimal] = defaultdict(Decimal)
    for cost in costs:
        for share in cost.allocations:
            landed[share.receipt_line_id] += share.amount * cost.exchange_rate
    order = uow.purchase_orders.get(receipt.order_id)
    return ReceiptView(
        reference=receipt.reference, purchase_order=order.reference,
        supplier=uow.suppliers.get(order.supplier_id).code, posting_id=receipt.posting_id,
        currency=receipt.currency, exchange_rate=receipt.exchange_rate, company_currency=uow.company.get().currency,
        delivery_reference=receipt.delivery_reference, created_at=receipt.created_at,
        lines=tuple(uow.receipts.lines(receipt_id, {k: plain(v.quantize(SIX)) for k, v in landed.items()})),
        landed_costs=tuple(costs), purchase_order_status=order.status,
    )


def get_receipt(ctx: ServiceContext, reference: str) -> ReceiptView:
    with ctx.reading() as uow:
        row = uow.receipts.by_reference(reference.strip()) if reference and reference.strip() else None
        if row is None:
            raise NotFound("receipt", reference, "receipt")
        return load_receipt(uow, int(row.id))


def list_receipts(ctx: ServiceContext, purchase_order: str) -> list[ReceiptView]:
    """The receipts of one purchase order, oldest first."""
    with ctx.reading() as uow:
        order = order_row(uow, purchase_order)
        return [load_receipt(uow, int(row.id)) for row in uow.receipts.for_order(order.id)]
