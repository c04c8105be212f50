"""Company settings, units of measure and reason codes."""

from __future__ import annotations

from onhand import services
from onhand.domain.catalog.commands import CreateUnit
from onhand.entrypoints.api.auth import CatalogEditor, IdempotencyKey, OnhandDep, Reader, SettingsAdmin
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.catalog import (
    CompanyOut,
    CompanyPatch,
    ReasonCodeList,
    ReasonCodeOut,
    UnitIn,
    UnitList,
    UnitOut,
)
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES
from onhand.services.catalog import reasons

router = ApiRouter(tags=["settings"], responses=ERROR_RESPONSES)


@router.get("/company")
def get_company(onhand: OnhandDep, _key: Reader) -> CompanyOut:
    return CompanyOut.of(services.company.get_company(onhand))


@router.patch("/company", summary="Change company settings (admin)")
def update_company(
    body: CompanyPatch, onhand: OnhandDep, _key: SettingsAdmin, idempotency_key: IdempotencyKey = None
) -> CompanyOut:
    company = services.company.update_company(
        onhand, body.to_command(), idempotency_key=idempotency_key,
    )
    return CompanyOut.of(company)


@router.get("/units")
def list_units(onhand: OnhandDep, _key: Reader) -> UnitList:
    return UnitList(units=[UnitOut.of(u) for u in services.items.list_units(onhand)])


@router.post("/units", status_code=201)
def create_unit(
    body: UnitIn, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> UnitOut:
    unit = services.items.create_unit(
        onhand, CreateUnit(code=body.code, name=body.name, decimals=body.decimals), idempotency_key=idempotency_key
    )
    return UnitOut.of(unit)


@router.get("/reason-codes")
def list_reason_codes(onhand: OnhandDep, _key: Reader) -> ReasonCodeList:
    return ReasonCodeList(reason_codes=[ReasonCodeOut.of(r) for r in reasons.list_reason_codes(onhand)])
