"""Builders for purchasing tests: a supplier, items, a placed purchase order."""

from __future__ import annotations

from onhand import services
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine
from tests.integration.helpers import add_item, add_place

GTIN_TEA = "07032069804988"


def supplier(onhand, code="ACME", **fields):
    key = fields.pop("idempotency_key", None)
    return services.suppliers.create_supplier(onhand, CreateSupplier(code=code, name=fields.pop("name", code),
        **fields), idempotency_key=key)


def purchasing_setup(onhand):
    """NY with bin NY-A1; items W (each), TEA (lot-tracked, GTIN), CAM (serial-tracked);
    supplier ACME (USD, 7 days lead time)."""
    add_place(onhand, "NY")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    add_item(onhand, "W", weight_kg="2")
    add_item(onhand, "TEA", tracking="lot", gtin=GTIN_TEA, weight_kg="0.5")
    add_item(onhand, "CAM", tracking="serial")
    supplier(onhand, lead_time_days=7)
    return onhand


def placed(onhand, *lines, destination="NY", **fields):
    """A placed purchase order; each line is (sku, quantity, unit cost)."""
    key = fields.pop("idempotency_key", None)
    order = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier=fields.pop("supplier", "ACME"), destination=destination,
        lines=[NewPurchaseLine(*line) for line in lines], **fields),
        idempotency_key=key,
    )
    return services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))


def receive(onhand, reference, *lines, **fields):
    key = fields.pop("idempotency_key", None)
    made = [line if isinstance(line, ReceiptLine) else ReceiptLine(*line) for line in lines]
    return services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(reference, lines=made, **fields),
        idempotency_key=key)
