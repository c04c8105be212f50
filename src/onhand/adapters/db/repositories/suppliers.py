"""Suppliers and what they charge for each item."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from onhand.adapters.db.tables import items
from onhand.adapters.db.tables.purchasing import supplier_prices, suppliers
from onhand.domain.purchasing.views import SupplierPriceView, SupplierView

_ADD = insert(suppliers)
_BY_CODE = select(suppliers).where(suppliers.c.code == bindparam("code"))
_BY_ID = select(suppliers).where(suppliers.c.id == bindparam("supplier_key"))
_UPDATE = update(suppliers).where(suppliers.c.id == bindparam("supplier_key"))
_PRICES = (
    select(
        supplier_prices, suppliers.c.code.label("supplier_code"), suppliers.c.currency, items.c.sku,
    )
    .join_from(supplier_prices, suppliers, supplier_prices.c.supplier_id == suppliers.c.id)
    .join(items, supplier_prices.c.item_id == items.c.id)
)
_PRICE = _PRICES.where(
    supplier_prices.c.supplier_id == bindparam("supplier_key"), supplier_prices.c.item_id == bindparam("item_key")
)
_PRICES_OF_SUPPLIER = _PRICES.where(supplier_prices.c.supplier_id == bindparam("supplier_key")).order_by(items.c.sku)
_PRICES_OF_ITEM = _PRICES.where(supplier_prices.c.item_id == bindparam("item_key")).order_by(suppliers.c.code)
_ADD_PRICE = insert(supplier_prices)
_UPDATE_PRICE = update(supplier_prices).where(supplier_prices.c.id == bindparam("price_key"))


def supplier_view(row: Any) -> SupplierView:
    return SupplierView(
        code=row.code, name=row.name, currency=row.currency, lead_time_days=row.lead_time_days,
        email=row.email, phone=row.phone, over_receipt_tolerance_pct=row.over_receipt_tolerance_pct,
        created_at=row.created_at, updated_at=row.updated_at,
    )


def _price_view(row: Any) -> SupplierPriceView:
    return SupplierPriceView(
        supplier=row.supplier_code, sku=row.sku, supplier_sku=row.supplier_sku, unit_cost=row.unit_cost,
        currency=row.currency, min_order_quantity=row.min_order_quantity, pack_size=row.pack_size,
        updated_at=row.updated_at,
    )


class SupplierRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, values: dict[str, Any]) -> int:
        return int(self._conn.execute(_ADD, values).inserted_primary_key[0])

    def update(self, supplier_id: int, **values: Any) -> None:
        self._conn.execute(_UPDATE, {"supplier_key": supplier_id, **values})

    def by_code(self, code: str) -> Any:
        return self._conn.execute(_BY_CODE, {"code": code}).first()

    def get(self, supplier_id: int) -> Any:
        return self._conn.execute(_BY_ID, {"supplier_key": supplier_id}).first()

    def view(self, supplier_id: int) -> SupplierView:
        return supplier_view(self.get(supplier_id))

    @staticmethod
    def view_of(row: Any) -> SupplierView:
        return supplier_view(row)

    def list(self, *, search: str | None, limit: int, offset: int) -> list[Any]:
        query = select(suppliers).order_by(suppliers.c.code).limit(limit).offset(offset)
        if search:
            needle = search.lower()
            query = query.where(
                suppliers.c.code.ilike(f"%{_escape(needle)}%", escape="\\")
                | suppliers.c.name.ilike(f"%{_escape(needle)}%", escape="\\")
            )
        return list(self._conn.execute(query))

    def price_row(self, supplier_id: int, item_id: int) -> Any:
        return self._conn.execute(_PRICE, {"supplier_key": supplier_id, "item_key": item_id}).first()

    def price(self, supplier_id: int, item_id: int) -> SupplierPriceView | None:
        row = self.price_row(supplier_id, item_id)
        return _price_view(row) if row else None

    def set_price(self, supplier_id: int, item_id: int, values: dict[str, Any]) -> None:
        current = self.price_row(supplier_id, item_id)
        if current is None:
            self._conn.execute(_ADD_PRICE, {"supplier_id": supplier_id, "item_id": item_id, **values})
        else:
            self._conn.execute(_UPDATE_PRICE, {"price_key": current.id, **values})

    def prices_of_supplier(self, supplier_id: int) -> list[SupplierPriceView]:
        return [_price_view(r) for r in self._conn.execute(_PRICES_OF_SUPPLIER, {"supplier_key": supplier_id})]

    def prices_of_item(self, item_id: int) -> list[SupplierPriceView]:
        return [_price_view(r) for r in self._conn.execute(_PRICES_OF_ITEM, {"item_key": item_id})]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
