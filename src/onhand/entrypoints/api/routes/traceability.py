"""Customers, traces both ways, the recall report, recalls, lot search and expiring stock.

Customers are the order desk's (orders permission); a recall stops stock (stock
permission); everything else reads.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.traceability.commands import LotRef, ReleaseRecall
from onhand.entrypoints.api.auth import IdempotencyKey, OnhandDep, OrderDesk, Reader, Recaller, StockKeeper
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, QueryInt
from onhand.entrypoints.api.schemas.customers import CustomerIn, CustomerList, CustomerOut, CustomerPatch
from onhand.entrypoints.api.schemas.recalls import RecallIn, RecallList, RecallOut
from onhand.entrypoints.api.schemas.traceability import (
    BackwardTraceOut,
    ExpiringList,
    ExpiringOut,
    ForwardTraceOut,
    FoundLotList,
    FoundLotOut,
    RecallReportOut,
    SupplierLotIn,
)
from onhand.services.traceability.report_csv import recall_report_csv

router = ApiRouter(tags=["traceability"], responses=ERROR_RESPONSES)

Text = Annotated[str | None, Query(max_length=200)]
Skus = Annotated[list[str], Query(max_length=100, description="The item of each `lot`, in the same order")]
Lots = Annotated[list[str], Query(max_length=100, description="Lot codes, one per `sku`")]
SupplierLot = Annotated[str | None, Query(max_length=64, description="The supplier's batch number")]


def _lots(sku: list[str], lot: list[str]) -> list[LotRef]:
    if len(sku) != len(lot):
        raise InvalidInput("lot", "give one sku for each lot, in the same order")
    return [LotRef(s, code) for s, code in zip(sku, lot, strict=True)]


@router.get("/customers", summary="Customers by name (or a word of it) and email")
def list_customers(
    onhand: OnhandDep, _key: Reader, name: Text = None, email: Text = None, limit: QueryInt = 100,
    offset: QueryInt = 0,
) -> CustomerList:
    found = services.customers.list_customers(onhand, name=name, email=email, limit=limit, offset=offset)
    return CustomerList(customers=[CustomerOut.of(c) for c in found])


@router.post("/customers", status_code=201)
def create_customer(
    body: CustomerIn, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> CustomerOut:
    return CustomerOut.of(services.customers.create_customer(
        onhand, body.to_command(), idempotency_key=idempotency_key))


@router.get("/customers/by-external-id/{channel}/{external_id:path}",
            summary="The customer a channel knows by this id")
def find_customer(channel: str, external_id: str, onhand: OnhandDep, _key: Reader) -> CustomerOut:
    return CustomerOut.of(services.customers.find_customer(onhand, channel=channel, external_id=external_id))


@router.get("/customers/{code}")
def get_customer(code: str, onhand: OnhandDep, _key: Reader) -> CustomerOut:
    return CustomerOut.of(services.customers.get_customer(onhand, code))


@router.patch("/customers/{code}")
def update_customer(
    code: str, body: CustomerPatch, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> CustomerOut:
    return CustomerOut.of(services.customers.update_customer(
        onhand, body.to_command(code), idempotency_key=idempotency_key))


@router.get("/trace/forward", summary="Where lots went: transfers, builds (recursively), shipments, returns")
def trace_forward(
    onhand: OnhandDep, _key: Reader, sku: Skus = [], lot: Lots = [],  # noqa: B006  (FastAPI copies defaults)
    supplier_lot: SupplierLot = None,
) -> ForwardTraceOut:
    return ForwardTraceOut.of(services.traces.trace_forward(onhand, lots=_lots(sku, lot), supplier_lot=supplier_lot))


@router.get("/trace/backward",
            summary="Where a lot or serial, a shipment, an order or an order line came from, down to receipts")
def trace_backward(
    onhand: OnhandDep, _key: Reader, sku: Text = None,
    lot: Annotated[str | None, Query(max_length=200, description="A lot or serial (sku optional if unique)")] = None,
    order: Text = None,
    line_no: Annotated[QueryInt | None, Query(description="A line of `order`")] = None,
    shipment: Annotated[QueryInt | None, Query(description="A shipment's id")] = None,
) -> BackwardTraceOut:
    return BackwardTraceOut.of(services.traces.trace_backward(
        onhand, sku=sku, lot=lot, order=order, line_no=line_no, shipment=shipment))


@router.get("/recall-report", summary="Who received lots (directly or inside products) and where the rest is",
            response_model=RecallReportOut,
            responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
def recall_report(
    onhand: OnhandDep, _key: Reader, sku: Skus = [], lot: Lots = [],  # noqa: B006
    supplier_lot: SupplierLot = None,
    format: Annotated[str, Query(max_length=10, description="json or csv")] = "json",
) -> RecallReportOut | Response:
    if format not in ("json", "csv"):
        raise InvalidInput("format", "must be json or csv")
    report = services.traces.recall_report(onhand, lots=_lots(sku, lot), supplier_lot=supplier_lot)
    if format == "csv":
        return Response(content=recall_report_csv(report).encode(), media_type="text/csv; charset=utf-8")
    return RecallReportOut.of(report)


@router.post("/recalls", status_code=201,
             summary="Recall or quarantine lots and every lot built from them; optionally move them to quarantine")
def recall_lots(body: RecallIn, onhand: OnhandDep, _key: Recaller,
                idempotency_key: IdempotencyKey = None) -> RecallOut:
    return RecallOut.of(services.recalls.recall_lots(onhand, body.to_command(), idempotency_key=idempotency_key))


@router.get("/recalls", summary="Recalls, newest first")
def list_recalls(onhand: OnhandDep, _key: Reader, limit: QueryInt = 100, offset: QueryInt = 0) -> RecallList:
    return RecallList(recalls=[RecallOut.of(r) for r in services.recalls.list_recalls(onhand, limit=limit,
                                                                                        offset=offset)])


@router.get("/recalls/{reference}")
def get_recall(reference: str, onhand: OnhandDep, _key: Reader) -> RecallOut:
    return RecallOut.of(services.recalls.get_recall(onhand, reference))


@router.post("/recalls/{reference}/release", summary="Give the lots their status and the stock its place back")
def release_recall(reference: str, onhand: OnhandDep, _key: Recaller,
                   idempotency_key: IdempotencyKey = None) -> RecallOut:
    released = services.recalls.release_recall(onhand, ReleaseRecall(reference), idempotency_key=idempotency_key)
    return RecallOut.of(released)


@router.get("/lots", summary="Lots of any item by code or by the supplier's batch number")
def find_lots(
    onhand: OnhandDep, _key: Reader, lot: Text = None, supplier_lot: SupplierLot = None, limit: QueryInt = 100,
    offset: QueryInt = 0,
) -> FoundLotList:
    found = services.lot_search.find_lots(onhand, lot=lot, supplier_lot=supplier_lot, limit=limit, offset=offset)
    return FoundLotList(lots=[FoundLotOut.of(f) for f in found])


@router.post("/lots/supplier-lot", summary="Record the supplier's batch number of a lot")
def set_supplier_lot(body: SupplierLotIn, onhand: OnhandDep, _key: StockKeeper,
                     idempotency_key: IdempotencyKey = None) -> FoundLotOut:
    return FoundLotOut.of(services.lot_search.set_supplier_lot(
        onhand, sku=body.sku, lot=body.lot, supplier_lot=body.supplier_lot, idempotency_key=idempotency_key))


@router.get("/reports/expiring", summary="Stock of lots expiring within `days` days, and of expired lots")
def expiring_stock(
    onhand: OnhandDep, _key: Reader,
    days: Annotated[int, Query(ge=0, le=3650, description="Days from today")] = 30,
) -> ExpiringList:
    return ExpiringList(stock=[ExpiringOut.of(r) for r in services.expiry.expiring_stock(onhand, days=days)])


@router.get("/reports/expired", summary="Stock of expired lots still on hand")
def expired_stock(onhand: OnhandDep, _key: Reader) -> ExpiringList:
    return ExpiringList(stock=[ExpiringOut.of(r) for r in services.expiry.expired_stock(onhand)])
