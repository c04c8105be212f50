"""Traces: forward from lots (who received them, directly or inside products built from
them, and where the rest is), backward from lots, serials, shipments, orders and order
lines (the lots they were built from and the receipts, purchase orders and suppliers of
all of them), and the recall report that answers "who and where" in one call.

Reads only: each is one read transaction of a few set-based statements
(adapters/db/repositories/trace_queries.py), however many build levels deep.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.catalog.lots import LOT_CODE_PATTERN
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.traceability.shares import as_decimal, shares
from onhand.services import resolve
from onhand.services.context import ServiceContext
from onhand.services.traceability.lot_accounts import exposures, lot_accounts
from onhand.services.traceability.views import (
    Address,
    BackwardTrace,
    BuildLink,
    Delivery,
    ForwardTrace,
    Holding,
    LotRef,
    Movement,
    RecallReport,
    Receipt,
    StockHeld,
    SupplierReturn,
    TracedLot,
)

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

MAX_LOTS = 100


def trace_forward(
    ctx: ServiceContext, *, lots: Sequence[LotRef] = (), supplier_lot: str | None = None
) -> ForwardTrace:
    """Every transfer, build (and the lots built, recursively), shipment, return and
    supplier return of these lots (or of the lots received as the supplier's `supplier_lot`)."""
    with ctx.reading() as uow:
        trace, info = _forward(uow, origin_lots(uow, lots, supplier_lot))
        places = uow.locations.by_id()
        movements = tuple(
            Movement(posting_id=m.posting_id, kind=m.kind, reference=m.reference, at=m.at, sku=info[m.lot_id].sku,
                     lot=info[m.lot_id].lot_code, source=places[m.from_location_id].code,
                     destination=places[m.to_location_id].code, quantity=m.quantity)
            for m in uow.traces.moves(sorted(info))
        )
    return replace(trace, movements=movements)


def recall_report(
    ctx: ServiceContext, *, lots: Sequence[LotRef] = (), supplier_lot: str | None = None
) -> RecallReport:
    """Who received these lots (directly or inside built products) and how much of them,
    and what is still on hand, in transit and inside products in stock: the forward
    trace (without its list of every move) with its customers summed up."""
    with ctx.reading() as uow:
        trace = forward(uow, origin_lots(uow, lots, supplier_lot))
    return RecallReport(origins=trace.origins, customers=exposures(trace), trace=trace)


def trace_backward(
    ctx: ServiceContext,
    *,
    sku: str | None = None,
    lot: str | None = None,
    order: str | None = None,
    line_no: int | None = None,
    shipment: int | None = None,
) -> BackwardTrace:
    """Where a lot or serial (`sku` and `lot`), a shipment, a sales order or one of its
    lines came from, every build level down to the receipts."""
    given = [name for name, value in (("lot", lot), ("order", order), ("shipment", shipment)) if value is not None]
    if len(given) != 1:
        raise InvalidInput("lot", "name exactly one of: a lot (with its sku), an order (and line), a shipment")
    if line_no is not None and order is None:
        raise InvalidInput("line_no", "names a line of an order: give the order too")
    with ctx.reading() as uow:
        if lot is not None:
            start_ids = [_lot_without_item(uow, lot) if sku is None else _lot_id(uow, LotRef(sku, lot), "lot")]
            start = f"lot {lot.strip()}" if sku is None else f"lot {sku.strip()}/{lot.strip()}"
        elif shipment is not None:
            resolve.record_id(shipment, "shipment")
            reference = uow.traces.order_of_shipment(shipment)
            if reference is None:
                raise NotFound("shipment", str(shipment), "shipment")
            start_ids = uow.traces.shipped_lot_ids(order_reference=reference, shipment_id=shipment)
            start = f"shipment {shipment} of order {reference}"
        else:
            assert order is not None
            reference = order.strip()
            if uow.orders.id_by_reference(reference) is None:
                raise NotFound("sales order", order, "order")
            start_ids = uow.traces.shipped_lot_ids(order_reference=reference, line_no=line_no)
            start = f"order {reference}" + (f" line {line_no}" if line_no is not None else "")
        return backward(uow, start, start_ids)


def origin_lots(uow: UnitOfWork, lots: Sequence[LotRef], supplier_lot: str | None) -> list[int]:
    """Lot ids of the named lots (SKU and code) and of the lots with the supplier's batch number."""
    if len(lots) > MAX_LOTS:
        raise InvalidInput("lots", f"at most {MAX_LOTS} lots")
    ids = [_lot_id(uow, ref, f"lots[{index}]") for index, ref in enumerate(lots)]
    if supplier_lot is not None:
        batch = resolve.text(supplier_lot, "supplier_lot", max_length=64)
        found = uow.traces.find_lots(code=None, supplier_lot=batch, limit=MAX_LOTS + 1, offset=0) if batch else []
        if not found:
            raise NotFound("supplier lot", supplier_lot, "supplier_lot")
        ids += found
    if not ids:
        raise InvalidInput("lots", "name at least one lot, or a supplier lot")
    if len(set(ids)) > MAX_LOTS:
        raise InvalidInput("lots", f"at most {MAX_LOTS} lots")
    return sorted(set(ids))


def _lot_id(uow: UnitOfWork, ref: LotRef, field: str) -> int:
    item = resolve.item(uow, ref.sku, f"{field}.sku")
    if not item.tracks_lots:
        raise InvalidInput(f"{field}.sku", f"item {item.sku!r} is not lot- or serial-tracked")
    return resolve.lot(uow, item, ref.lot, f"{field}.lot").id


def _lot_without_item(uow: UnitOfWork, code: str) -> int:
    clean = code.strip()
    found = (uow.traces.find_lots(code=clean, supplier_lot=None, limit=2, offset=0)
             if LOT_CODE_PATTERN.match(clean) else [])
    if not found:
        raise NotFound("lot", code, "lot")
    if len(found) > 1:
        raise InvalidInput("lot", f"lots of several items are coded {clean!r}: give the sku too")
    return int(found[0])


def _traced_lot(row: Any, depth: int, holds: tuple[Holding, ...]) -> TracedLot:
    return TracedLot(
        sku=row.sku, item_name=row.item_name, unit=row.unit_code, lot=row.lot_code, status=row.status,
        expiry_date=row.expiry_date, supplier_lot=row.supplier_lot, depth=depth, holds=holds,
    )


def forward(uow: UnitOfWork, origin_ids: list[int]) -> ForwardTrace:
    """The forward trace without its list of movements (what a recall needs)."""
    return _forward(uow, origin_ids)[0]


def _forward(uow: UnitOfWork, origin_ids: list[int]) -> tuple[ForwardTrace, dict[int, Any]]:
    rows = uow.traces.descendants(origin_ids)
    info: dict[int, Any] = {}
    depth: dict[int, int] = {}
    orders: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        info.setdefault(row.lot_id, row)
        depth[row.lot_id] = min(depth.get(row.lot_id, row.depth), row.depth)
        orders[row.origin_id].append(row.lot_id)
    lot_ids = sorted(info)
    edges = [e for e in uow.traces.edges_into(lot_ids) if e.child_lot_id in info]
    produced = uow.traces.produced(lot_ids)
    share = shares(orders, [(e.child_lot_id, e.parent_lot_id, e.quantity) for e in edges], produced)
    origins = [info[o] for o in origin_ids]

    parts = {lot_id: [(o, share[o.lot_id][lot_id]) for o in origins if lot_id in share[o.lot_id]] for lot_id in info}
    known: dict[tuple[int, Decimal | int], tuple[Holding, ...]] = {}

    def holds(lot_id: int, quantity: Decimal | int = 1) -> tuple[Holding, ...]:
        found = known.get((lot_id, quantity))
        if found is None:
            found = known[(lot_id, quantity)] = tuple(
                Holding(o.sku, o.lot_code, _times(part, quantity)) for o, part in parts[lot_id])
        return found

    places = uow.locations.by_id()
    stock = []
    for b in uow.traces.balances(sorted({r.item_id for r in info.values()}), lot_ids):
        place = places[b.location_id]
        if place.is_internal:
            row = info[b.lot_id]
            stock.append(StockHeld(
                sku=row.sku, lot=row.lot_code, depth=depth[b.lot_id], location=place.code,
                location_kind=place.kind.value, in_transit=place.kind is LocationKind.TRANSIT,
                on_hand=b.on_hand, reserved=b.reserved, holds=holds(b.lot_id, b.on_hand),
            ))
    stock.sort(key=lambda s: (s.depth, s.sku, s.lot, s.location))
    deliveries = [_delivery("shipment", str(r.shipment_id), r, info, places, holds)
                  for r in uow.traces.shipped(lot_ids)]
    deliveries += [_delivery("return", r.return_reference, r, info, places, holds)
                   for r in uow.traces.returned(lot_ids)]
    deliveries.sort(key=lambda d: (d.at, d.kind != "shipment", d.order, d.line_no))
    sent_back = tuple(
        SupplierReturn(at=r.at, reference=r.return_reference, purchase_order=r.purchase_order,
                       supplier_code=r.supplier_code, supplier=r.supplier_name, sku=info[r.lot_id].sku,
                       lot=info[r.lot_id].lot_code, location=places[r.location_id].code, quantity=r.quantity)
        for r in uow.traces.sent_back(lot_ids)
    )
    links = tuple(
        BuildLink(sku=info[e.parent_lot_id].sku, lot=info[e.parent_lot_id].lot_code, component_sku=e.child_sku,
                  component_lot=e.child_lot_code, quantity=e.quantity)
        for e in sorted(edges, key=lambda e: (depth[e.parent_lot_id], e.parent_lot_id, e.child_lot_id))
    )
    trace = ForwardTrace(
        origins=tuple(LotRef(o.sku, o.lot_code) for o in origins),
        lots=tuple(_traced_lot(info[i], depth[i], holds(i)) for i in sorted(info, key=lambda i: (depth[i], i))),
        builds=links, movements=(), deliveries=tuple(deliveries), supplier_returns=sent_back,
        stock=tuple(stock), accounts=tuple(lot_accounts(origins, share, uow.traces.move_totals(lot_ids), places)),
    )
    return trace, info


def _times(share: Fraction, quantity: Decimal | int) -> Decimal:
    """`quantity` × `share`: exact when the share is whole (most are), else to 10^-6."""
    if share.denominator == 1:
        return Decimal(quantity) * share.numerator
    return as_decimal(share * Fraction(quantity))


def _delivery(kind: str, document: str, r: Any, info: dict[int, Any], places: dict[int, Any],
              holds: Any) -> Delivery:
    return Delivery(
        kind=kind, at=r.at, document=document, order=r.order_reference, line_no=r.line_no, channel=r.channel,
        customer_code=r.customer_code, customer=r.customer_name, email=r.customer_email,
        ship_to=Address(r.ship_to_name, r.ship_to_line1, r.ship_to_line2, r.ship_to_city, r.ship_to_region,
                        r.ship_to_postcode, r.ship_to_country),
        sku=info[r.lot_id].sku, lot=info[r.lot_id].lot_code, location=places[r.location_id].code,
        quantity=r.quantity, holds=holds(r.lot_id, r.quantity),
    )



def backward(uow: UnitOfWork, start: str, lot_ids: list[int]) -> BackwardTrace:
    rows = uow.traces.ancestors(lot_ids) if lot_ids else []
    info = {row.lot_id: row for row in rows}
    ids = sorted(info)
    edges = uow.traces.edges_into(ids)
    places = uow.locations.by_id()
    receipts = tuple(
        Receipt(at=r.at, receipt=r.receipt_reference, delivery_reference=r.delivery_reference,
                purchase_order=r.purchase_order, supplier_reference=r.supplier_reference,
                supplier_code=r.supplier_code, supplier=r.supplier_name, sku=info[r.lot_id].sku,
                lot=info[r.lot_id].lot_code, supplier_lot=info[r.lot_id].supplier_lot,
                location=places[r.location_id].code, quantity=r.quantity)
        for r in uow.traces.received(ids)
    )
    links = tuple(
        BuildLink(sku=info[e.parent_lot_id].sku, lot=info[e.parent_lot_id].lot_code, component_sku=e.child_sku,
                  component_lot=e.child_lot_code, quantity=e.quantity)
        for e in sorted(edges, key=lambda e: (info[e.parent_lot_id].depth, e.parent_lot_id, e.child_lot_id or 0))
    )
    return BackwardTrace(
        start=start, lots=tuple(_traced_lot(r, r.depth, ()) for r in rows), builds=links, receipts=receipts,
    )
