"""Items, units of measure, company settings and reason codes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, or_, select, update

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.repositories.publishing import Publish, ignore
from onhand.adapters.db.tables import company, items, reason_codes, units
from onhand.domain.catalog.events import ItemChanged
from onhand.domain.catalog.items import Item, ItemKind, Tracking
from onhand.domain.catalog.views import Company
from onhand.domain.quantities import UnitOfMeasure


def _unit(row: Any) -> UnitOfMeasure:
    return UnitOfMeasure(row.code, row.name, row.decimals)


class UnitRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, code: str) -> UnitOfMeasure | None:
        row = self._conn.execute(select(units).where(units.c.code == code)).first()
        return _unit(row) if row else None

    def list(self) -> list[UnitOfMeasure]:
        return [_unit(r) for r in self._conn.execute(select(units).order_by(units.c.code))]

    def add(self, unit: UnitOfMeasure) -> None:
        self._conn.execute(insert(units).values(code=unit.code, name=unit.name, decimals=unit.decimals))


_ITEM_COLUMNS = (
    items.c.id,
    items.c.sku,
    items.c.name,
    items.c.tracking,
    items.c.kind,
    items.c.gtin,
    items.c.shelf_life_days,
    items.c.min_remaining_shelf_life_days,
    items.c.weight_kg,
    items.c.category,
    items.c.archived_at,
    units.c.code,
    units.c.name.label("unit_name"),
    units.c.decimals,
)


def _item(row: Any) -> Item:
    return Item(
        id=row.id,
        sku=row.sku,
        name=row.name,
        unit=UnitOfMeasure(row.code, row.unit_name, row.decimals),
        tracking=Tracking(row.tracking),
        kind=ItemKind(row.kind),
        gtin=row.gtin,
        shelf_life_days=row.shelf_life_days,
        min_remaining_shelf_life_days=row.min_remaining_shelf_life_days,
        weight_kg=row.weight_kg,
        category=row.category,
        archived_at=row.archived_at,
    )


_ITEMS = select(*_ITEM_COLUMNS).join_from(items, units)
_ITEM_BY_ID = Hot(_ITEMS.where(items.c.id == bindparam("key")))
_ITEM_BY_SKU = Hot(_ITEMS.where(items.c.sku == bindparam("key")))
_ITEM_BY_GTIN = _ITEMS.where(items.c.gtin == bindparam("key"))
_ITEMS_BY_IDS = Hot(_ITEMS.where(items.c.id.in_(bindparam("keys", expanding=True))))
_ITEMS_BY_SKUS = Hot(_ITEMS.where(items.c.sku.in_(bindparam("keys", expanding=True))))
_ADD_ITEM = insert(items)
_REASON_EXISTS = Hot(select(reason_codes.c.code).where(reason_codes.c.code == bindparam("code")))
_COMPANY = Hot(select(company).where(company.c.id == 1))


class ItemRepository:
    """Items, read at most once per transaction (a repository lives as long as its unit of
    work): an order's import read its one item three times (mapping its SKU, its line, its
    allocation). After the transaction writes an item, every read goes to the database: a
    savepoint rolled back could otherwise leave a changed item in the cache."""

    def __init__(self, conn: Connection, publish: Publish = ignore) -> None:
        self._conn = conn
        self._publish = publish
        self._select = _ITEMS
        self._by_id: dict[int, Item] | None = {}
        self._id_of_sku: dict[str, int] = {}

    def _keep(self, item: Item) -> Item:
        if self._by_id is not None:
            self._by_id[item.id] = item
            self._id_of_sku[item.sku] = item.id
        return item

    def _written(self) -> None:
        self._by_id = None
        self._id_of_sku.clear()

    def _kept(self, item_id: int | None) -> Item | None:
        return None if self._by_id is None or item_id is None else self._by_id.get(item_id)

    def add(self, item: Item, created_at: datetime) -> int:
        result = self._conn.execute(
            _ADD_ITEM,
            {
                "sku": item.sku,
                "name": item.name,
                "unit_code": item.unit.code,
                "tracking": item.tracking.value,
                "kind": item.kind.value,
                "gtin": item.gtin,
                "shelf_life_days": item.shelf_life_days,
                "min_remaining_shelf_life_days": item.min_remaining_shelf_life_days,
                "weight_kg": item.weight_kg,
                "category": item.category,
                "created_at": created_at,
            },
        )
        item_id = int(result.inserted_primary_key[0])
        self._written()
        self._publish(ItemChanged(item_id, item.sku, created=True))
        return item_id

    def update(self, item: Item) -> None:
        self._written()
        self._conn.execute(
            update(items)
            .where(items.c.id == item.id)
            .values(
                name=item.name,
                gtin=item.gtin,
                shelf_life_days=item.shelf_life_days,
                min_remaining_shelf_life_days=item.min_remaining_shelf_life_days,
                weight_kg=item.weight_kg,
                category=item.category,
            )
        )
        self._publish(ItemChanged(item.id, item.sku, created=False))

    def set_archived(self, item: Item, at: datetime | None) -> None:
        """Archive the item at `at`, or bring it back (None)."""
        self._written()
        self._conn.execute(update(items).where(items.c.id == item.id).values(archived_at=at))
        self._publish(ItemChanged(item.id, item.sku, created=False))

    def get(self, item_id: int) -> Item | None:
        kept = self._kept(item_id)
        if kept is not None:
            return kept
        row = _ITEM_BY_ID.first(self._conn, {"key": item_id})
        return self._keep(_item(row)) if row else None

    def get_by_sku(self, sku: str) -> Item | None:
        kept = self._kept(self._id_of_sku.get(sku))
        if kept is not None:
            return kept
        row = _ITEM_BY_SKU.first(self._conn, {"key": sku})
        return self._keep(_item(row)) if row else None

    def read_skus(self, skus: Iterable[str]) -> None:
        """Reads the items of these SKUs not read yet, in one statement, for `get_by_sku` to
        find (a group of requests, each naming its own item, one read instead of one each)."""
        if self._by_id is None:
            return
        missing = sorted({sku for sku in skus if sku not in self._id_of_sku})
        if missing:
            for row in _ITEMS_BY_SKUS.rows(self._conn, {"keys": missing}):
                self._keep(_item(row))

    def get_by_gtin(self, gtin: str) -> Item | None:
        row = self._conn.execute(_ITEM_BY_GTIN, {"key": gtin}).first()
        return _item(row) if row else None

    def by_skus(self, skus: list[str]) -> dict[str, Item]:
        if not skus:
            return {}
        return {row.sku: _item(row) for row in _ITEMS_BY_SKUS.rows(self._conn, {"keys": skus})}

    def by_ids(self, ids: list[int]) -> dict[int, Item]:
        if not ids:
            return {}
        found = {item_id: kept for item_id in ids if (kept := self._kept(item_id)) is not None}
        missing = [item_id for item_id in ids if item_id not in found]
        if missing:
            rows = _ITEMS_BY_IDS.rows(self._conn, {"keys": missing})
            found |= {row.id: self._keep(_item(row)) for row in rows}
        return found

    def list(
        self, *, search: str | None = None, limit: int = 100, offset: int = 0, ids: Sequence[int] | None = None,
        archived: bool | None = False,
    ) -> list[Item]:
        """Items by SKU; `archived`: False those in use, True the archived ones, None both."""
        query = self._select.order_by(items.c.sku).limit(limit).offset(offset)
        if archived is not None:
            query = query.where(items.c.archived_at.is_not(None) if archived else items.c.archived_at.is_(None))
        if ids is not None:
            query = query.where(items.c.id.in_(sorted(set(ids))))
        if search:
            needle = search.lower()
            query = query.where(
                or_(
                    func.lower(items.c.sku).contains(needle, autoescape=True),
                    func.lower(items.c.name).contains(needle, autoescape=True),
                )
            )
        return [_item(r) for r in self._conn.execute(query)]


_BUMP_SETTINGS = update(company).where(company.c.id == 1).values(settings_version=company.c.settings_version + 1)


class CompanyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        # Read once per unit of work: nearly every action needs the settings.
        self._row: Any = None

    def _read(self) -> Any:
        if self._row is None:
            self._row = _COMPANY.one(self._conn)
        return self._row

    def get(self) -> Company:
        row = self._read()
        return Company(
            name=row.name, timezone=row.timezone, currency=row.currency,
            min_remaining_shelf_life_days=row.min_remaining_shelf_life_days,
            over_receipt_tolerance_pct=row.over_receipt_tolerance_pct,
            auto_assign_serials=bool(row.auto_assign_serials),
        )

    def lock_date(self) -> date | None:
        """The period lock date: nothing may be dated on or before it."""
        return self._read().lock_date  # type: ignore[no-any-return]

    def settings_version(self) -> int:
        """Raised by every change to locations (see `bump_settings_version`)."""
        return int(self._read().settings_version)

    def bump_settings_version(self) -> None:
        self._conn.execute(_BUMP_SETTINGS)
        self._row = None

    def save(self, value: Company) -> None:
        self._row = None
        self._conn.execute(
            update(company)
            .where(company.c.id == 1)
            .values(
                name=value.name, timezone=value.timezone, currency=value.currency,
                min_remaining_shelf_life_days=value.min_remaining_shelf_life_days,
                over_receipt_tolerance_pct=value.over_receipt_tolerance_pct,
                auto_assign_serials=value.auto_assign_serials,
            )
        )


class ReasonCodeRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._found: set[str] = set()

    def exists(self, code: str) -> bool:
        # Reason codes are never removed: one found stays found for the transaction.
        if code in self._found:
            return True
        if _REASON_EXISTS.first(self._conn, {"code": code}) is None:
            return False
        self._found.add(code)
        return True

    def list(self) -> list[tuple[str, str]]:
        rows = self._conn.execute(select(reason_codes).order_by(reason_codes.c.code))
        return [(r.code, r.description) for r in rows]

    def add(self, code: str, description: str) -> None:
        self._conn.execute(insert(reason_codes).values(code=code, description=description))
