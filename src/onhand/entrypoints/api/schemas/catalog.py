"""Company settings, units of measure, reason codes, items and lots."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, StrictBool, StrictInt

from onhand.domain.calendar import parse_date
from onhand.domain.catalog.commands import CreateItem, CreateLot, UpdateCompany, UpdateItem, given_decimal
from onhand.domain.catalog.items import Item, ItemKind, Tracking
from onhand.domain.catalog.lots import Lot, LotStatus
from onhand.domain.quantities import UnitOfMeasure
from onhand.entrypoints.api.schemas.common import (
    MAX_INT32,
    DateIn,
    DecimalIn,
    DecimalOut,
    RequestModel,
    ResponseModel,
    choices,
)
from onhand.services.catalog.reasons import ReasonCode
from onhand.services.views import Company

ShelfLife = StrictInt  # days; the service checks that it is positive


MIN_REMAINING = "Days of shelf life a lot must still have on the ship date to be allocated (0-36500)"
AUTO_SERIALS = ("Whether a shipment may ship the serials allocation reserved without their being confirmed "
                "(scanned at pick or named on the shipment); default false")
TOLERANCE = "Percent a purchase receipt may exceed the ordered quantity (suppliers may override)"
WEIGHT = "Weight of one unit in kg (for sharing landed costs by weight)"
CATEGORY = "For account codes per category in the daily journals"


class CompanyOut(ResponseModel):
    name: str
    timezone: str
    currency: str
    min_remaining_shelf_life_days: int = Field(description=MIN_REMAINING)
    over_receipt_tolerance_pct: DecimalOut = Field(description=TOLERANCE)
    auto_assign_serials: bool = Field(description=AUTO_SERIALS)

    @classmethod
    def of(cls, company: Company) -> CompanyOut:
        return cls(
            name=company.name, timezone=company.timezone, currency=company.currency,
            min_remaining_shelf_life_days=company.min_remaining_shelf_life_days,
            over_receipt_tolerance_pct=company.over_receipt_tolerance_pct,
            auto_assign_serials=company.auto_assign_serials,
        )


class CompanyPatch(RequestModel):
    name: str | None = None
    timezone: str | None = Field(None, examples=["Europe/Berlin"])
    currency: str | None = Field(None, examples=["EUR"])
    min_remaining_shelf_life_days: ShelfLife | None = Field(None, description=MIN_REMAINING)
    over_receipt_tolerance_pct: DecimalIn | None = Field(None, description=TOLERANCE)
    confirm_timezone_change: StrictBool = Field(
        False, description="Change the time zone although postings exist (their business days move); "
        "without it such a change is refused (409).")
    auto_assign_serials: StrictBool | None = Field(None, description=AUTO_SERIALS)

    def to_command(self) -> UpdateCompany:
        return UpdateCompany(
            name=self.name, timezone=self.timezone, currency=self.currency,
            min_remaining_shelf_life_days=self.min_remaining_shelf_life_days,
            over_receipt_tolerance_pct=given_decimal(self.over_receipt_tolerance_pct, "over_receipt_tolerance_pct"),
            confirm_timezone_change=self.confirm_timezone_change,
            auto_assign_serials=self.auto_assign_serials,
        )


class UnitOut(ResponseModel):
    code: str
    name: str
    decimals: int

    @classmethod
    def of(cls, unit: UnitOfMeasure) -> UnitOut:
        return cls(code=unit.code, name=unit.name, decimals=unit.decimals)


class UnitList(ResponseModel):
    units: list[UnitOut]


class UnitIn(RequestModel):
    code: str = Field(examples=["bottle"])
    name: str
    decimals: StrictInt = Field(description="How many decimals a quantity may have (0-6)")


class ReasonCodeOut(ResponseModel):
    code: str
    description: str

    @classmethod
    def of(cls, reason: ReasonCode) -> ReasonCodeOut:
        return cls(code=reason.code, description=reason.description)


class ReasonCodeList(ResponseModel):
    reason_codes: list[ReasonCodeOut]


class ItemOut(ResponseModel):
    sku: str
    name: str
    unit: str
    tracking: str
    kind: str
    gtin: str | None
    shelf_life_days: int | None
    min_remaining_shelf_life_days: int | None = Field(description=MIN_REMAINING + "; null: the company's")
    weight_kg: DecimalOut | None = Field(description=WEIGHT)
    category: str | None = Field(None, description=CATEGORY)
    archived_at: datetime | None = Field(None, description="When it was archived; null: in use")

    @classmethod
    def of(cls, item: Item) -> ItemOut:
        return cls(
            sku=item.sku, name=item.name, unit=item.unit.code, tracking=item.tracking.value,
            kind=item.kind.value, gtin=item.gtin, shelf_life_days=item.shelf_life_days,
            min_remaining_shelf_life_days=item.min_remaining_shelf_life_days, weight_kg=item.weight_kg,
            category=item.category, archived_at=item.archived_at,
        )


class ItemList(ResponseModel):
    items: list[ItemOut]


class ItemIn(RequestModel):
    sku: str = Field(examples=["TEA-1"])
    name: str
    unit: str = "each"
    tracking: str = Field("none", description="none, lot or serial", json_schema_extra=choices(Tracking))
    gtin: str | None = None
    shelf_life_days: ShelfLife | None = Field(None, le=MAX_INT32)
    kind: str = Field(
        "stocked", description="stocked, bundle (a virtual kit) or assembly (built from a BOM)",
        json_schema_extra=choices(ItemKind),
    )
    weight_kg: DecimalIn | None = Field(None, description=WEIGHT)
    category: str | None = Field(None, description=CATEGORY)

    def to_command(self) -> CreateItem:
        return CreateItem(
            sku=self.sku, name=self.name, unit=self.unit, tracking=self.tracking, gtin=self.gtin,
            shelf_life_days=self.shelf_life_days, kind=self.kind,
            weight_kg=given_decimal(self.weight_kg, "weight_kg"), category=self.category,
        )


class ItemPatch(RequestModel):
    """Absent or null fields stay as they are; `"gtin": ""` removes the GTIN."""

    name: str | None = None
    gtin: str | None = None
    shelf_life_days: ShelfLife | None = Field(None, le=MAX_INT32)
    min_remaining_shelf_life_days: ShelfLife | None = Field(None, description=MIN_REMAINING)
    weight_kg: DecimalIn | None = Field(None, description=WEIGHT)
    category: str | None = Field(None, description=CATEGORY + '; "" removes it')

    def to_command(self, sku: str) -> UpdateItem:
        return UpdateItem(
            sku=sku, name=self.name, gtin=self.gtin, shelf_life_days=self.shelf_life_days,
            min_remaining_shelf_life_days=self.min_remaining_shelf_life_days,
            weight_kg=given_decimal(self.weight_kg, "weight_kg"), category=self.category,
        )


class LotOut(ResponseModel):
    sku: str
    code: str
    status: str
    expiry_date: date | None
    production_date: date | None

    @classmethod
    def of(cls, sku: str, lot: Lot) -> LotOut:
        return cls(
            sku=sku, code=lot.code, status=lot.status.value,
            expiry_date=lot.expiry_date, production_date=lot.production_date,
        )


class LotList(ResponseModel):
    lots: list[LotOut]


class LotIn(RequestModel):
    code: str = Field(examples=["L2026-03"])
    expiry_date: DateIn | None = None
    production_date: DateIn | None = None

    def to_command(self, sku: str) -> CreateLot:
        return CreateLot(
            sku=sku, code=self.code, expiry_date=parse_date(self.expiry_date, "expiry_date"),
            production_date=parse_date(self.production_date, "production_date"),
        )


class LotStatusIn(RequestModel):
    status: str = Field(
        description="released, quarantined or recalled", examples=["quarantined"], json_schema_extra=choices(LotStatus)
    )
