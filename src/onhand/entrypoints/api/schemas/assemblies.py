"""Bundles, bills of materials, build orders, disassembly and lot genealogy."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from onhand.domain.assemblies.commands import (
    BuildRun,
    ComponentLine,
    ComponentLot,
    CreateBuildOrder,
    Disassemble,
    SetBillOfMaterials,
    SetBundleComponents,
    parse_component_line,
    parse_component_lot,
)
from onhand.domain.calendar import parse_date, read_moment
from onhand.domain.quantities import optional_decimal, parse_decimal
from onhand.entrypoints.api.schemas.common import DateIn, DecimalIn, DecimalOut, QuantityIn, RequestModel, ResponseModel
from onhand.entrypoints.api.schemas.postings import EFFECTIVE_AT
from onhand.services.assemblies.views import (
    BillOfMaterials,
    BuildOrderView,
    BuildRunView,
    GenealogyLink,
    KitAvailability,
    LotGenealogy,
)


class BundleComponentIn(RequestModel):
    sku: str = Field(examples=["MUG-12OZ"])
    quantity: QuantityIn = Field(description="Per one bundle, in the component's unit")

    def to_line(self, field: str) -> ComponentLine:
        return parse_component_line(field, sku=self.sku, quantity=self.quantity)


class BundleComponentsIn(RequestModel):
    """Replaces the bundle's components. A component may itself be a bundle."""

    components: list[BundleComponentIn]

    def to_command(self, sku: str) -> SetBundleComponents:
        return SetBundleComponents(sku, tuple(c.to_line(f"components[{n}]") for n, c in enumerate(self.components)))


class BomComponentIn(BundleComponentIn):
    scrap_percent: DecimalIn = Field("0", description="Percent consumed on top of the quantity")

    def to_line(self, field: str) -> ComponentLine:
        return parse_component_line(field, sku=self.sku, quantity=self.quantity, scrap_percent=self.scrap_percent)


class BillOfMaterialsIn(RequestModel):
    """Replaces the item's bill of materials: what one unit of output consumes."""

    components: list[BomComponentIn]
    labour_cost: DecimalIn = Field("0", description="Per unit of output, kept for valuation")
    overhead_cost: DecimalIn = Field("0", description="Per unit of output, kept for valuation")
    note: str | None = None

    def to_command(self, sku: str) -> SetBillOfMaterials:
        return SetBillOfMaterials(
            sku, tuple(c.to_line(f"components[{n}]") for n, c in enumerate(self.components)),
            labour_cost=parse_decimal(self.labour_cost, "labour_cost"),
            overhead_cost=parse_decimal(self.overhead_cost, "overhead_cost"), note=self.note,
        )


class ComponentOut(ResponseModel):
    sku: str
    name: str
    unit: str
    kind: str
    quantity: DecimalOut
    scrap_percent: DecimalOut


class BillOfMaterialsOut(ResponseModel):
    sku: str
    name: str
    kind: str = Field(description="bundle (a virtual kit) or build (a recipe)")
    components: list[ComponentOut]
    labour_cost: DecimalOut
    overhead_cost: DecimalOut
    note: str | None
    updated_at: datetime | None

    @classmethod
    def of(cls, bom: BillOfMaterials) -> BillOfMaterialsOut:
        return cls(
            **{**bom.__dict__, "components": [ComponentOut(**c.__dict__) for c in bom.components]}
        )


class LocationQuantityOut(ResponseModel):
    location: str
    quantity: DecimalOut


class ComponentStockOut(ResponseModel):
    sku: str
    per_unit: DecimalOut
    available: DecimalOut


class KitAvailabilityOut(ResponseModel):
    sku: str
    available: DecimalOut
    locations: list[LocationQuantityOut]
    components: list[ComponentStockOut]

    @classmethod
    def of(cls, figure: KitAvailability) -> KitAvailabilityOut:
        return cls(
            sku=figure.sku, available=figure.available,
            locations=[LocationQuantityOut(**p.__dict__) for p in figure.locations],
            components=[ComponentStockOut(**c.__dict__) for c in figure.components],
        )


class BuildOrderIn(RequestModel):
    sku: str = Field(examples=["JAM-250"])
    location: str = Field(examples=["NY"])
    quantity: QuantityIn
    reference: str | None = Field(None, description="Default: the next BO-000001")
    note: str | None = None

    def to_command(self) -> CreateBuildOrder:
        return CreateBuildOrder(sku=self.sku, location=self.location, quantity=parse_decimal(self.quantity, "quantity"),
                                reference=self.reference, note=self.note)


class ComponentLotIn(RequestModel):
    sku: str
    lot: str
    quantity: QuantityIn
    expiry_date: DateIn | None = Field(None, description="For a new lot a disassembly gives back into")

    def to_lot(self, field: str) -> ComponentLot:
        return parse_component_lot(field, sku=self.sku, lot=self.lot, quantity=self.quantity,
                                   expiry_date=self.expiry_date)


class BuildIn(RequestModel):
    quantity: QuantityIn | None = Field(None, description="Default: all that is left to build")
    output_lot: str | None = Field(None, description="Lot (or serial) of the output, if tracked")
    output_expiry: DateIn | None = Field(
        None, description="Default: the earliest of the inputs' expiries and the shelf life from today"
    )
    component_lots: list[ComponentLotIn] = Field(
        default_factory=list, description="Lots to consume; default first-expired-first-out"
    )
    effective_at: str | None = Field(None, description=EFFECTIVE_AT, examples=["2026-03-01T17:00:00Z"])

    def to_command(self, reference: str) -> BuildRun:
        return BuildRun(
            reference, quantity=optional_decimal(self.quantity, "quantity"), output_lot=self.output_lot,
            output_expiry=parse_date(self.output_expiry, "output_expiry"),
            component_lots=tuple(line.to_lot(f"components[{n}]") for n, line in enumerate(self.component_lots)),
            effective_at=read_moment(self.effective_at, "effective_at"),
        )


class DisassemblyIn(RequestModel):
    sku: str
    location: str
    quantity: QuantityIn
    lot: str | None = Field(None, description="The lot to take apart, if tracked")
    component_lots: list[ComponentLotIn] = Field(
        default_factory=list, description="Lots to give components back into; default the lots they came from"
    )
    reference: str | None = None
    note: str | None = None
    effective_at: str | None = Field(None, description=EFFECTIVE_AT, examples=["2026-03-01T17:00:00Z"])

    def to_command(self) -> Disassemble:
        return Disassemble(
            sku=self.sku, location=self.location, quantity=parse_decimal(self.quantity, "quantity"), lot=self.lot,
            component_lots=tuple(line.to_lot(f"components[{n}]") for n, line in enumerate(self.component_lots)),
            reference=self.reference, note=self.note,
            effective_at=read_moment(self.effective_at, "effective_at"),
        )


class GenealogyLineOut(ResponseModel):
    sku: str
    lot: str | None
    quantity: DecimalOut
    expiry_date: date | None


class BuildRunOut(ResponseModel):
    id: int
    kind: str
    build_order: str | None
    posting_id: int
    sku: str
    lot: str | None
    location: str
    quantity: DecimalOut
    reference: str | None
    created_at: datetime
    components: list[GenealogyLineOut]

    @classmethod
    def of(cls, run: BuildRunView) -> BuildRunOut:
        return cls(**{**run.__dict__, "components": [GenealogyLineOut(**c.__dict__) for c in run.components]})


class BuildOrderOut(ResponseModel):
    reference: str
    sku: str
    location: str
    quantity: DecimalOut
    built: DecimalOut
    remaining: DecimalOut
    status: str
    note: str | None
    created_at: datetime
    updated_at: datetime
    runs: list[BuildRunOut]

    @classmethod
    def of(cls, order: BuildOrderView) -> BuildOrderOut:
        fields = {k: v for k, v in order.__dict__.items() if k not in ("id", "runs")}
        return cls(**fields, remaining=order.remaining, runs=[BuildRunOut.of(r) for r in order.runs])


class BuildOrderList(ResponseModel):
    build_orders: list[BuildOrderOut]


class GenealogyLinkOut(ResponseModel):
    depth: int
    kind: str
    build_order: str | None
    posting_id: int
    location: str
    created_at: datetime
    parent_sku: str
    parent_lot: str | None
    child_sku: str
    child_lot: str | None
    quantity: DecimalOut


class LotGenealogyOut(ResponseModel):
    sku: str
    lot: str
    made_from: list[GenealogyLinkOut]
    used_in: list[GenealogyLinkOut]

    @classmethod
    def of(cls, found: LotGenealogy) -> LotGenealogyOut:
        def links(values: tuple[GenealogyLink, ...]) -> list[GenealogyLinkOut]:
            return [GenealogyLinkOut(**{k: v for k, v in ln.__dict__.items() if k != "run_id"}) for ln in values]

        return cls(sku=found.sku, lot=found.lot, made_from=links(found.made_from), used_in=links(found.used_in))
