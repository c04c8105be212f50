"""Bundles, bills of materials, build orders, disassembly and lot genealogy.

SKUs may contain "/": routes with a suffix take the path up to it as the SKU
(`/bundles/GIFT/XL/availability` is bundle "GIFT/XL"), declared before the bare ones.
Build order references never contain "/".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.domain.assemblies.commands import BuildOrderAction
from onhand.entrypoints.api import paths  # noqa: F401  (registers the path convertors used below)
from onhand.entrypoints.api.auth import CatalogEditor, IdempotencyKey, OnhandDep, Reader, StockKeeper
from onhand.entrypoints.api.bodies import one_read
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.assemblies import (
    BillOfMaterialsIn,
    BillOfMaterialsOut,
    BuildIn,
    BuildOrderIn,
    BuildOrderList,
    BuildOrderOut,
    BuildRunOut,
    BundleComponentsIn,
    DisassemblyIn,
    KitAvailabilityOut,
    LotGenealogyOut,
)
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, QueryInt

router = ApiRouter(tags=["bundles and assemblies"], responses=ERROR_RESPONSES)

Location = Annotated[str | None, Query(max_length=200, description="Only this location (with its bins)")]


@router.get("/bundles/{sku:path}/availability", summary="How many of a bundle can be sold, in total and per site")
@one_read()
def bundle_availability(sku: str, onhand: OnhandDep, _key: Reader, location: Location = None) -> KitAvailabilityOut:
    return KitAvailabilityOut.of(services.bundles.bundle_availability(onhand, sku, location=location))


@router.put("/bundles/{sku:path}/components", summary="Set a bundle's components (replacing them)")
def set_bundle_components(
    sku: str, body: BundleComponentsIn, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> BillOfMaterialsOut:
    bom = services.bundles.set_components(onhand, body.to_command(sku), idempotency_key=idempotency_key)
    return BillOfMaterialsOut.of(bom)


@router.get("/bundles/{sku:bundle_sku}", summary="A bundle and its components")
def get_bundle(sku: str, onhand: OnhandDep, _key: Reader) -> BillOfMaterialsOut:
    return BillOfMaterialsOut.of(services.bundles.get_bundle(onhand, sku))


@router.get("/boms/{sku:path}/can-build", summary="How many its components' free stock can make, per site")
def can_build(sku: str, onhand: OnhandDep, _key: Reader, location: Location = None) -> KitAvailabilityOut:
    return KitAvailabilityOut.of(services.boms.can_build(onhand, sku, location=location))


@router.put("/boms/{sku:bom_sku}", summary="Set an item's bill of materials (replacing it)")
def set_bill_of_materials(
    sku: str, body: BillOfMaterialsIn, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> BillOfMaterialsOut:
    bom = services.boms.set_bill_of_materials(onhand, body.to_command(sku), idempotency_key=idempotency_key)
    return BillOfMaterialsOut.of(bom)


@router.get("/boms/{sku:bom_sku}", summary="An item's bill of materials")
def get_bill_of_materials(sku: str, onhand: OnhandDep, _key: Reader) -> BillOfMaterialsOut:
    return BillOfMaterialsOut.of(services.boms.get_bill_of_materials(onhand, sku))


@router.get("/build-orders", summary="Build orders, newest first, optionally by status")
def list_build_orders(
    onhand: OnhandDep,
    _key: Reader,
    status: Annotated[
        str | None, Query(max_length=40, description="draft, in_progress, partially_built, done, cancelled")
    ] = None,
    limit: QueryInt = 100,
    offset: QueryInt = 0,
) -> BuildOrderList:
    found = services.builds.list_build_orders(onhand, status=status, limit=limit, offset=offset)
    return BuildOrderList(build_orders=[BuildOrderOut.of(order) for order in found])


@router.post("/build-orders", status_code=201, summary="Plan a build (a draft)")
def create_build_order(
    body: BuildOrderIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> BuildOrderOut:
    order = services.builds.create_build_order(onhand, body.to_command(), idempotency_key=idempotency_key)
    return BuildOrderOut.of(order)


@router.get("/build-orders/{reference}")
def get_build_order(reference: str, onhand: OnhandDep, _key: Reader) -> BuildOrderOut:
    return BuildOrderOut.of(services.builds.get_build_order(onhand, reference))


@router.post("/build-orders/{reference}/builds", status_code=201,
             summary="Build some or all of what is left, in one posting")
def build(
    reference: str, body: BuildIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> BuildOrderOut:
    order = services.builds.build(onhand, body.to_command(reference), idempotency_key=idempotency_key)
    return BuildOrderOut.of(order)


@router.post("/build-orders/{reference}/start", summary="Release a draft (in_progress)")
def start_build_order(
    reference: str, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> BuildOrderOut:
    return BuildOrderOut.of(services.builds.start_build_order(
        onhand, BuildOrderAction(reference), idempotency_key=idempotency_key
    ))


@router.post("/build-orders/{reference}/finish", summary="Close a partly built order as done")
def finish_build_order(
    reference: str, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> BuildOrderOut:
    return BuildOrderOut.of(services.builds.finish_build_order(
        onhand, BuildOrderAction(reference), idempotency_key=idempotency_key
    ))


@router.post("/build-orders/{reference}/cancel", summary="Cancel an open order (what was built stays)")
def cancel_build_order(
    reference: str, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> BuildOrderOut:
    return BuildOrderOut.of(services.builds.cancel_build_order(
        onhand, BuildOrderAction(reference), idempotency_key=idempotency_key
    ))


@router.post("/disassemblies", status_code=201, summary="Take built items apart into their components")
def disassemble(
    body: DisassemblyIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> BuildRunOut:
    run = services.disassembly.disassemble(onhand, body.to_command(), idempotency_key=idempotency_key)
    return BuildRunOut.of(run)


@router.get("/genealogy", summary="What went into a lot, and which lots it went into")
def lot_genealogy(
    onhand: OnhandDep,
    _key: Reader,
    sku: Annotated[str, Query(max_length=200)],
    lot: Annotated[str, Query(max_length=200)],
    levels: Annotated[int, Query(ge=1, le=10, description="How many levels to walk each way")] = 1,
) -> LotGenealogyOut:
    return LotGenealogyOut.of(services.genealogy.lot_genealogy(onhand, sku, lot, levels=levels))
