"""Purchasing: suppliers and their prices, purchase orders, receipts, landed costs, scans.

Purchase order and receipt references may contain "/": routes take the path up to a
known suffix as the reference (`/purchase-orders/PO/7/place` places "PO/7").
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.domain.purchasing.commands import (
    PurchaseOrderAction,
)
from onhand.entrypoints.api import paths  # noqa: F401  (registers the path convertors used below)
from onhand.entrypoints.api.auth import Buyer, IdempotencyKey, OnhandDep, Reader, Receiver
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, QueryInt, UpdatedSince
from onhand.entrypoints.api.schemas.purchasing import (
    PurchaseOrderIn,
    PurchaseOrderList,
    PurchaseOrderOut,
    PurchaseOrderPatch,
)
from onhand.entrypoints.api.schemas.receipts import LandedCostsIn, ReceiptIn, ReceiptList, ReceiptOut, ScanIn, ScanOut
from onhand.entrypoints.api.schemas.supplier_returns import SupplierReturnIn, SupplierReturnList, SupplierReturnOut
from onhand.entrypoints.api.schemas.supplier_shipments import (
    ShipmentReceiptIn,
    ShipmentWriteOffIn,
    SupplierShipmentIn,
    SupplierShipmentList,
    SupplierShipmentOut,
    SupplierShipmentPatch,
)
from onhand.entrypoints.api.schemas.suppliers import (
    SupplierIn,
    SupplierList,
    SupplierOut,
    SupplierPatch,
    SupplierPriceIn,
    SupplierPriceList,
    SupplierPriceOut,
)

router = ApiRouter(tags=["purchasing"], responses=ERROR_RESPONSES)
Text = Annotated[str | None, Query(max_length=200)]


@router.get("/suppliers", summary="Suppliers by code, optionally searching code and name")
def list_suppliers(
    onhand: OnhandDep, _key: Reader, search: Text = None, limit: QueryInt = 100, offset: QueryInt = 0
) -> SupplierList:
    found = services.suppliers.list_suppliers(onhand, search=search, limit=limit, offset=offset)
    return SupplierList(suppliers=[SupplierOut.of(s) for s in found])


@router.post("/suppliers", status_code=201)
def create_supplier(body: SupplierIn, onhand: OnhandDep, _key: Buyer, idempotency_key: IdempotencyKey = None
                    ) -> SupplierOut:
    return SupplierOut.of(services.suppliers.create_supplier(onhand, body.to_command(),
                                                             idempotency_key=idempotency_key))


@router.get("/suppliers/{code}")
def get_supplier(code: str, onhand: OnhandDep, _key: Reader) -> SupplierOut:
    return SupplierOut.of(services.suppliers.get_supplier(onhand, code))


@router.patch("/suppliers/{code}", summary="Change a supplier")
def update_supplier(code: str, body: SupplierPatch, onhand: OnhandDep, _key: Buyer,
                    idempotency_key: IdempotencyKey = None) -> SupplierOut:
    return SupplierOut.of(services.suppliers.update_supplier(onhand, body.to_command(code),
                                                             idempotency_key=idempotency_key))


@router.get("/supplier-prices", summary="The prices of one supplier, or every supplier's price of one SKU")
def list_supplier_prices(onhand: OnhandDep, _key: Reader, supplier: Text = None, sku: Text = None
                         ) -> SupplierPriceList:
    found = services.suppliers.list_supplier_prices(onhand, supplier=supplier, sku=sku)
    return SupplierPriceList(prices=[SupplierPriceOut.of(p) for p in found])


@router.put("/supplier-prices", summary="Set what a supplier charges for a SKU (created or replaced)")
def set_supplier_price(body: SupplierPriceIn, onhand: OnhandDep, _key: Buyer,
                       idempotency_key: IdempotencyKey = None) -> SupplierPriceOut:
    price = services.suppliers.set_supplier_price(onhand, body.to_command(), idempotency_key=idempotency_key)
    return SupplierPriceOut.of(price)


@router.get("/purchase-orders", summary="Purchase orders, newest first, optionally by status and supplier")
def list_purchase_orders(
    onhand: OnhandDep, _key: Reader,
    status: Annotated[str | None, Query(max_length=40, description="draft, ordered, partially_received, "
                                                                   "received, closed, cancelled")] = None,
    supplier: Text = None, limit: QueryInt = 100, offset: QueryInt = 0, updated_since: UpdatedSince = None,
) -> PurchaseOrderList:
    found = services.purchase_orders.list_purchase_orders(
        onhand, status=status, supplier=supplier, limit=limit, offset=offset, updated_since=updated_since)
    return PurchaseOrderList(purchase_orders=[PurchaseOrderOut.of(o) for o in found])


@router.post("/purchase-orders", status_code=201,
             summary="Draft a purchase order; the same supplier and supplier_reference return the existing one")
def create_purchase_order(body: PurchaseOrderIn, onhand: OnhandDep, _key: Buyer,
                          idempotency_key: IdempotencyKey = None) -> PurchaseOrderOut:
    order = services.purchase_orders.create_purchase_order(
        onhand, body.to_command(), idempotency_key=idempotency_key)
    return PurchaseOrderOut.of(order)


# Declared before /purchase-orders/{reference:path} so that "…/receipts" is not read as a reference.
@router.get("/purchase-orders/{reference:path}/receipts", summary="The receipts of an order, oldest first")
def list_receipts(reference: str, onhand: OnhandDep, _key: Reader) -> ReceiptList:
    return ReceiptList(receipts=[ReceiptOut.of(r) for r in services.receiving.list_receipts(onhand, reference)])


@router.get("/purchase-orders/{reference:path}/returns", summary="The returns to supplier of an order, oldest first")
def list_supplier_returns(reference: str, onhand: OnhandDep, _key: Reader) -> SupplierReturnList:
    views = services.supplier_returns.list_supplier_returns(onhand, reference)
    return SupplierReturnList(returns=[SupplierReturnOut.of(v) for v in views])


@router.get("/purchase-orders/{reference:path}/shipments", summary="The supplier shipments of an order, oldest first")
def list_supplier_shipments(reference: str, onhand: OnhandDep, _key: Reader) -> SupplierShipmentList:
    views = services.supplier_shipments.list_supplier_shipments(onhand, reference)
    return SupplierShipmentList(shipments=[SupplierShipmentOut.of(v) for v in views])


@router.get("/purchase-orders/{reference:purchase_order_reference}")
def get_purchase_order(reference: str, onhand: OnhandDep, _key: Reader) -> PurchaseOrderOut:
    return PurchaseOrderOut.of(services.purchase_orders.get_purchase_order(onhand, reference))


@router.patch(
    "/purchase-orders/{reference:purchase_order_reference}",
    summary="Change a draft; dates and references until it ends")
def update_purchase_order(reference: str, body: PurchaseOrderPatch, onhand: OnhandDep, _key: Buyer,
                          idempotency_key: IdempotencyKey = None) -> PurchaseOrderOut:
    order = services.purchase_orders.update_purchase_order(
        onhand, body.to_command(reference), idempotency_key=idempotency_key)
    return PurchaseOrderOut.of(order)


@router.post("/purchase-orders/{reference:path}/place", summary="Send a draft to the supplier: it becomes incoming")
def place_purchase_order(reference: str, onhand: OnhandDep, _key: Buyer, idempotency_key: IdempotencyKey = None
                         ) -> PurchaseOrderOut:
    return PurchaseOrderOut.of(
        services.purchase_orders.place_purchase_order(
            onhand, PurchaseOrderAction(reference), idempotency_key=idempotency_key))


@router.post("/purchase-orders/{reference:path}/close",
             summary="End a partly received order: the rest is no longer expected")
def close_purchase_order(reference: str, onhand: OnhandDep, _key: Buyer, idempotency_key: IdempotencyKey = None
                         ) -> PurchaseOrderOut:
    return PurchaseOrderOut.of(
        services.purchase_orders.close_purchase_order(
            onhand, PurchaseOrderAction(reference), idempotency_key=idempotency_key))


@router.post("/purchase-orders/{reference:path}/cancel", summary="Cancel an order of which nothing was received")
def cancel_purchase_order(reference: str, onhand: OnhandDep, _key: Buyer, idempotency_key: IdempotencyKey = None
                          ) -> PurchaseOrderOut:
    return PurchaseOrderOut.of(
        services.purchase_orders.cancel_purchase_order(
            onhand, PurchaseOrderAction(reference), idempotency_key=idempotency_key))


@router.post("/purchase-orders/{reference:path}/receipts", status_code=201,
             summary="Receive goods (typed or scanned) into the destination or its bins: one posting")
def receive_purchase_order(reference: str, body: ReceiptIn, onhand: OnhandDep, _key: Receiver,
                           idempotency_key: IdempotencyKey = None) -> ReceiptOut:
    receipt = services.receiving.receive_purchase_order(
        onhand, body.to_command(reference), idempotency_key=idempotency_key)
    return ReceiptOut.of(receipt)


@router.post("/purchase-orders/{reference:path}/returns", status_code=201,
             summary="Send received units back to the supplier, from where they were received: one posting")
def return_to_supplier(reference: str, body: SupplierReturnIn, onhand: OnhandDep, _key: Buyer,
                       idempotency_key: IdempotencyKey = None) -> SupplierReturnOut:
    view = services.supplier_returns.return_to_supplier(
        onhand, body.to_command(reference), idempotency_key=idempotency_key)
    return SupplierReturnOut.of(view)


@router.post("/receipts/{reference:path}/landed-costs",
             summary="Add landed costs to a receipt, allocated to its lines by value, quantity or weight")
def add_landed_costs(reference: str, body: LandedCostsIn, onhand: OnhandDep, _key: Buyer,
                     idempotency_key: IdempotencyKey = None) -> ReceiptOut:
    receipt = services.landed_costs.add_landed_costs(
        onhand, body.to_command(reference), idempotency_key=idempotency_key)
    return ReceiptOut.of(receipt)


@router.get("/receipts/{reference:receipt_reference}")
def get_receipt(reference: str, onhand: OnhandDep, _key: Reader) -> ReceiptOut:
    return ReceiptOut.of(services.receiving.get_receipt(onhand, reference))


@router.post("/scan", summary="What a scanned barcode names: item (by GTIN), lot, expiry, serial, count")
def scan(body: ScanIn, onhand: OnhandDep, _key: Reader) -> ScanOut:
    return ScanOut.of(services.scanning.scan(onhand, body.barcode))


@router.post("/purchase-orders/{reference:path}/shipments", status_code=201,
             summary="The supplier shipped (an ASN): its goods are received into transit, one posting")
def ship_purchase_order(reference: str, body: SupplierShipmentIn, onhand: OnhandDep, _key: Buyer,
                        idempotency_key: IdempotencyKey = None) -> SupplierShipmentOut:
    view = services.supplier_shipments.ship_purchase_order(
        onhand, body.to_command(reference), idempotency_key=idempotency_key)
    return SupplierShipmentOut.of(view)


@router.get("/supplier-shipments/{reference:supplier_shipment_reference}")
def get_supplier_shipment(reference: str, onhand: OnhandDep, _key: Reader) -> SupplierShipmentOut:
    return SupplierShipmentOut.of(services.supplier_shipments.get_supplier_shipment(onhand, reference))


@router.patch("/supplier-shipments/{reference:supplier_shipment_reference}",
              summary="The carrier's news: ETA, vessel, container, tracking, note")
def update_supplier_shipment(reference: str, body: SupplierShipmentPatch, onhand: OnhandDep, _key: Buyer,
                             idempotency_key: IdempotencyKey = None) -> SupplierShipmentOut:
    view = services.supplier_shipments.update_supplier_shipment(
        onhand, body.to_command(reference), idempotency_key=idempotency_key)
    return SupplierShipmentOut.of(view)


@router.post("/supplier-shipments/{reference:path}/receive",
             summary="Goods arrived: transit → the order's destination (or its bins), received on the order")
def receive_supplier_shipment(reference: str, body: ShipmentReceiptIn, onhand: OnhandDep, _key: Receiver,
                              idempotency_key: IdempotencyKey = None) -> SupplierShipmentOut:
    view = services.supplier_shipments.receive_supplier_shipment(
        onhand, body.to_command(reference), idempotency_key=idempotency_key)
    return SupplierShipmentOut.of(view)


@router.post("/supplier-shipments/{reference:path}/write-off",
             summary="What will never arrive leaves transit as a loss (reason lost_in_transit by default)")
def write_off_supplier_shipment(reference: str, body: ShipmentWriteOffIn, onhand: OnhandDep, _key: Buyer,
                                idempotency_key: IdempotencyKey = None) -> SupplierShipmentOut:
    view = services.supplier_shipments.write_off_supplier_shipment(
        onhand, body.to_command(reference), idempotency_key=idempotency_key)
    return SupplierShipmentOut.of(view)
