"""Costing methods, the valuation report and the values of a posting's moves."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.domain.valuation.commands import (
    SetCompanyCostingMethod,
    SetItemCostingMethod,
    SetPriceDifferences,
    ValueOpeningStock,
)
from onhand.entrypoints.api.auth import Bookkeeper, IdempotencyKey, OnhandDep, Reader, SettingsAdmin
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, PathId
from onhand.entrypoints.api.schemas.valuation import (
    CostingChangeList,
    CostingChangeOut,
    CostingIn,
    CostingOut,
    ItemCostingIn,
    ItemCostingOut,
    OpeningValuationIn,
    OpeningValuationOut,
    PostingValuesOut,
    PriceDifferencesIn,
    PriceDifferencesOut,
    UnvaluedList,
    UnvaluedOut,
    ValuationReportOut,
)
from onhand.services.valuation.reports import GroupBy

router = ApiRouter(tags=["valuation"], responses=ERROR_RESPONSES)


@router.get("/costing", summary="The company's costing method")
def get_costing(onhand: OnhandDep, _key: Reader) -> CostingOut:
    return CostingOut(method=services.costing.get_company_costing_method(onhand))


@router.put("/costing", summary="Choose the company's costing method (admin); with history, from now on, "
                                "the stock on hand re-layered at its value")
def set_costing(
    body: CostingIn, onhand: OnhandDep, _key: SettingsAdmin, idempotency_key: IdempotencyKey = None
) -> CostingOut:
    method = services.costing.set_company_costing_method(
        onhand, SetCompanyCostingMethod(body.method), idempotency_key=idempotency_key
    )
    return CostingOut(method=method)


@router.get("/costing/price-differences", summary="Where a receipt's difference from its order's unit cost goes")
def get_price_differences(onhand: OnhandDep, _key: Reader) -> PriceDifferencesOut:
    return PriceDifferencesOut(choice=services.price_differences.get_price_differences(onhand))


@router.put("/costing/price-differences", summary="Choose where a receipt's difference from its order's unit cost "
                                                   "goes (admin): to_stock or variance")
def set_price_differences(
    body: PriceDifferencesIn, onhand: OnhandDep, _key: SettingsAdmin, idempotency_key: IdempotencyKey = None
) -> PriceDifferencesOut:
    chosen = services.price_differences.set_price_differences(
        onhand, SetPriceDifferences(body.choice), idempotency_key=idempotency_key)
    return PriceDifferencesOut(choice=chosen)


@router.get("/costing/changes", summary="The history of changes of costing method (the company's and items' own)")
def costing_changes(
    onhand: OnhandDep,
    _key: Reader,
    sku: Annotated[str | None, Query(description="Only the company's changes and this item's")] = None,
) -> CostingChangeList:
    found = services.costing.costing_changes(onhand, sku=sku)
    return CostingChangeList(changes=[CostingChangeOut.of(change) for change in found])


@router.get("/costing/items/{sku:path}", summary="An item's costing method")
def get_item_costing(sku: str, onhand: OnhandDep, _key: Reader) -> ItemCostingOut:
    return ItemCostingOut.of(services.costing.get_item_costing(onhand, sku))


@router.put("/costing/items/{sku:path}", summary="Give an item its own costing method, or null for the company's")
def set_item_costing(
    sku: str, body: ItemCostingIn, onhand: OnhandDep, _key: SettingsAdmin, idempotency_key: IdempotencyKey = None
) -> ItemCostingOut:
    costing = services.costing.set_item_costing_method(
        onhand, SetItemCostingMethod(sku=sku, method=body.method), idempotency_key=idempotency_key
    )
    return ItemCostingOut.of(costing)


@router.get("/valuation", summary="Quantity and value of stock now or at a past moment, per item, location or lot")
def valuation_report(
    onhand: OnhandDep,
    _key: Reader,
    group_by: GroupBy = GroupBy.ITEM,
    at: Annotated[str | None, Query(description="A past moment (ISO 8601; without an offset, or a bare date, "
                                                "in the company's time zone). Default: now")] = None,
    aging: Annotated[bool, Query(description="Add aging buckets (0-30, 31-60, 61-90, 91-180, 181+ days "
                                             "since the units came in)")] = False,
) -> ValuationReportOut:
    report = services.valuation_reports.valuation_report(onhand, at=at, group_by=group_by)
    return ValuationReportOut.of(report, aging=aging)


@router.get("/valuation/unvalued", summary="On-hand stock without cost layers (it predates valuation)")
def unvalued_stock(onhand: OnhandDep, _key: Reader) -> UnvaluedList:
    return UnvaluedList(unvalued=[UnvaluedOut.of(u) for u in services.opening_valuation.unvalued_stock(onhand)])


@router.post("/valuation/opening", status_code=201,
             summary="Give stock that predates valuation opening cost layers at given unit costs (admin)")
def value_opening_stock(
    body: OpeningValuationIn, onhand: OnhandDep, _key: Bookkeeper, idempotency_key: IdempotencyKey = None
) -> OpeningValuationOut:
    view = services.opening_valuation.value_opening_stock(
        onhand, ValueOpeningStock(
            lines=[line.to_cost(f"lines[{index}]") for index, line in enumerate(body.lines)],
            reference=body.reference, note=body.note,
        ),
        idempotency_key=idempotency_key,
    )
    return OpeningValuationOut.of(view)


@router.get("/postings/{posting_id}/values", summary="What each move of a posting was worth")
def posting_values(posting_id: PathId, onhand: OnhandDep, _key: Reader) -> PostingValuesOut:
    return PostingValuesOut.of(services.valuation_reports.move_values(onhand, posting_id))



