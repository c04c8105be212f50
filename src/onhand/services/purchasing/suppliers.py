"""Suppliers (code, name, currency, lead time, contact, over-receipt tolerance) and the
price each charges for an item (supplier SKU, unit cost, minimum order quantity, pack size)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import validate_name
from onhand.domain.errors import AlreadyExists, InvalidInput, NotFound
from onhand.domain.orders.sales_orders import validate_currency
from onhand.domain.purchasing.commands import CreateSupplier, SetSupplierPrice, UpdateSupplier
from onhand.domain.purchasing.purchase_orders import (
    validate_email,
    validate_lead_time,
    validate_money,
    validate_supplier_code,
    validate_tolerance,
)
from onhand.domain.quantities import positive_quantity
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.purchasing.views import SupplierPriceView, SupplierView

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

Number = Decimal | int | str


def supplier_row(uow: UnitOfWork, code: str, field: str = "supplier") -> Any:
    row = uow.suppliers.by_code(code.strip()) if isinstance(code, str) and code.strip() else None
    if row is None:
        raise NotFound("supplier", code, field)
    return row


def _tolerance(value: Number | None) -> Decimal | None:
    """An override in percent; "" clears it (the company's tolerance applies again)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validate_tolerance(value)


def create_supplier(
    ctx: ServiceContext, command: CreateSupplier, *, idempotency_key: str | None = None
) -> SupplierView:
    currency = command.currency
    clean_code = validate_supplier_code(command.code)
    values: dict[str, Any] = {
        "code": clean_code,
        "name": validate_name(command.name),
        "lead_time_days": validate_lead_time(command.lead_time_days),
        "email": validate_email(command.email),
        "phone": resolve.text(command.phone, "phone", max_length=50),
        "over_receipt_tolerance_pct": _tolerance(command.over_receipt_tolerance_pct),
    }

    def work(uow: UnitOfWork) -> int:
        if uow.suppliers.by_code(clean_code) is not None:
            raise AlreadyExists("supplier", clean_code, "code")
        now = ctx.now()
        return uow.suppliers.add(
            {**values, "currency": validate_currency(currency or uow.company.get().currency),
             "created_at": now, "updated_at": now}
        )

    return run_write(ctx, work, load_supplier, action="create_supplier", subject=supplier_subject,
                     idempotency_key=idempotency_key, request=command)


def update_supplier(
    ctx: ServiceContext, command: UpdateSupplier, *, idempotency_key: str | None = None
) -> SupplierView:
    """Change what is given; "" clears email, phone and the tolerance override.

    Orders already made keep their own currency.
    """
    code, name, currency, lead_time_days, email, phone, over_receipt_tolerance_pct = (
        command.code, command.name, command.currency, command.lead_time_days, command.email, command.phone,
        command.over_receipt_tolerance_pct,
    )
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = validate_name(name)
    if currency is not None:
        changes["currency"] = validate_currency(currency)
    if lead_time_days is not None:
        changes["lead_time_days"] = validate_lead_time(lead_time_days)
    if email is not None:
        changes["email"] = validate_email(email)
    if phone is not None:
        changes["phone"] = resolve.text(phone, "phone", max_length=50)
    if over_receipt_tolerance_pct is not None:
        changes["over_receipt_tolerance_pct"] = _tolerance(over_receipt_tolerance_pct)

    def work(uow: UnitOfWork) -> int:
        row = supplier_row(uow, code, "code")
        if changes:
            uow.suppliers.update(row.id, **changes, updated_at=ctx.now())
        return int(row.id)

    return run_write(ctx, work, load_supplier, action="update_supplier", subject=supplier_subject,
                     idempotency_key=idempotency_key, request=command,
                     before=lambda uow: load_supplier(uow, int(supplier_row(uow, code, "code").id)))


def load_supplier(uow: UnitOfWork, supplier_id: int) -> SupplierView:
    return uow.suppliers.view(supplier_id)


def supplier_subject(supplier: SupplierView) -> AuditObject:
    return AuditObject("supplier", supplier.code)


def get_supplier(ctx: ServiceContext, code: str) -> SupplierView:
    with ctx.reading() as uow:
        return load_supplier(uow, int(supplier_row(uow, code, "code").id))


def list_suppliers(
    ctx: ServiceContext, *, search: str | None = None, limit: int = 100, offset: int = 0
) -> list[SupplierView]:
    resolve.page(limit, offset)
    needle = resolve.text(search, "search", max_length=100)
    with ctx.reading() as uow:
        return [uow.suppliers.view_of(row) for row in uow.suppliers.list(search=needle, limit=limit, offset=offset)]


def set_supplier_price(
    ctx: ServiceContext, command: SetSupplierPrice, *, idempotency_key: str | None = None
) -> SupplierPriceView:
    """What `supplier` charges for one unit of `sku`, in the supplier's currency (created or replaced)."""
    supplier, sku, unit_cost, supplier_sku, min_order_quantity, pack_size = (
        command.supplier, command.sku, command.unit_cost, command.supplier_sku, command.min_order_quantity,
        command.pack_size,
    )
    cost = validate_money(unit_cost, "unit_cost")
    clean_supplier_sku = resolve.text(supplier_sku, "supplier_sku", max_length=64)

    def work(uow: UnitOfWork) -> int:
        row = supplier_row(uow, supplier)
        item = resolve.item(uow, sku)
        uow.suppliers.set_price(
            row.id, item.id,
            {
                "supplier_sku": clean_supplier_sku,
                "unit_cost": cost,
                "min_order_quantity": None if min_order_quantity is None
                else positive_quantity(min_order_quantity, item.unit, "min_order_quantity"),
                "pack_size": None if pack_size is None else positive_quantity(pack_size, item.unit, "pack_size"),
                "updated_at": ctx.now(),
            },
        )
        return int(row.id)

    def load(uow: UnitOfWork, supplier_id: int) -> SupplierPriceView:
        found = uow.suppliers.price(supplier_id, resolve.item(uow, sku).id)
        assert found is not None  # written in this same transaction
        return found

    def was(uow: UnitOfWork) -> SupplierPriceView | None:
        return uow.suppliers.price(supplier_row(uow, supplier).id, resolve.item(uow, sku).id)

    return run_write(
        ctx, work, load, action="set_supplier_price",
        subject=lambda price: AuditObject("supplier_price", f"{supplier.strip()} {sku.strip()}"),
        idempotency_key=idempotency_key, request=command, before=was,
    )


def list_supplier_prices(
    ctx: ServiceContext, *, supplier: str | None = None, sku: str | None = None
) -> list[SupplierPriceView]:
    """The prices of one supplier, or every supplier's price for one item."""
    if (supplier is None) == (sku is None):
        raise InvalidInput("supplier", "give either a supplier or a sku")
    with ctx.reading() as uow:
        if supplier is not None:
            return uow.suppliers.prices_of_supplier(int(supplier_row(uow, supplier).id))
        return uow.suppliers.prices_of_item(resolve.item(uow, sku or "").id)
