"""Planning: reorder rules, demand from history, projected stock by day, purchase and
transfer suggestions (and the drafts made from them), alerts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.domain.planning.commands import CreateSuggestedDocuments, RemoveReorderRule, ScanAlerts
from onhand.entrypoints.api.auth import Buyer, IdempotencyKey, OnhandDep, Reader, StockKeeper
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, QueryInt
from onhand.entrypoints.api.schemas.planning import (
    AlertList,
    AlertOut,
    AlertScanIn,
    AlertScanOut,
    CreatedDocumentsOut,
    DemandList,
    DemandOut,
    ProjectionOut,
    ReorderRuleIn,
    ReorderRuleList,
    ReorderRuleOut,
    SuggestedDocumentsIn,
    SuggestionsOut,
)

router = ApiRouter(tags=["planning"], responses=ERROR_RESPONSES)

Code = Annotated[str | None, Query(max_length=200)]
Sku = Annotated[str, Query(max_length=200)]
Method = Annotated[str, Query(max_length=50, description="moving_average (default) or exponential_smoothing "
                                                         "(needs onhand[forecast])")]
Site = Annotated[str, Query(max_length=200, description="A warehouse, store or 3PL (its bins roll up)")]


@router.get("/reorder-rules", summary="Reorder rules, by SKU and site")
def list_rules(onhand: OnhandDep, _key: Reader, sku: Code = None) -> ReorderRuleList:
    return ReorderRuleList(rules=[ReorderRuleOut.of(r) for r in services.reorder_rules.list_reorder_rules(
        onhand, sku=sku)])


@router.put("/reorder-rules", summary="Create or replace the reorder rule of an item at a site")
def set_rule(body: ReorderRuleIn, onhand: OnhandDep, _key: Buyer, idempotency_key: IdempotencyKey = None
             ) -> ReorderRuleOut:
    rule = services.reorder_rules.set_reorder_rule(onhand, body.to_command(), idempotency_key=idempotency_key)
    return ReorderRuleOut.of(rule)


@router.delete("/reorder-rules", status_code=204, summary="Remove the reorder rule of an item at a site")
def remove_rule(onhand: OnhandDep, _key: Buyer, sku: Sku, site: Site) -> None:
    services.reorder_rules.remove_reorder_rule(onhand, RemoveReorderRule(sku=sku, site=site))


@router.get("/demand", summary="Average daily demand and its deviation per item and site, from shipments")
def demand(onhand: OnhandDep, _key: Reader, sku: Code = None, site: Code = None, window_days: QueryInt = 90,
           demand_method: Method = "moving_average") -> DemandList:
    rows = services.forecasts.demand_history(onhand, sku=sku, site_code=site, window_days=window_days,
                                             demand_method=demand_method)
    return DemandList(demand=[DemandOut.of(r) for r in rows])


@router.get("/projected-stock", summary="Available to promise by day of an item at a site")
def projected_stock(onhand: OnhandDep, _key: Reader, sku: Sku, site: Site, days: QueryInt = 60) -> ProjectionOut:
    return ProjectionOut.of(services.forecasts.projected_stock(onhand, sku=sku, site_code=site, days=days))


@router.get("/suggestions", summary="Today's purchase suggestions by supplier and transfer suggestions")
def suggestions(onhand: OnhandDep, _key: Reader, sku: Code = None) -> SuggestionsOut:
    return SuggestionsOut.of(services.suggestions.suggest(onhand, skus=() if sku is None else (sku,)))


@router.post("/suggestions/documents", summary="Turn today's suggestions into draft purchase orders and transfers")
def create_documents(body: SuggestedDocumentsIn, onhand: OnhandDep, _key: Buyer,
                     idempotency_key: IdempotencyKey = None) -> CreatedDocumentsOut:
    made = services.suggested_documents.create_suggested_documents(
        onhand, CreateSuggestedDocuments(skus=tuple(body.skus)), idempotency_key=idempotency_key)
    return CreatedDocumentsOut.of(made)


@router.get("/alerts", summary="Planning alerts open now (as the last scan left them)")
def alerts(onhand: OnhandDep, _key: Reader, kind: Code = None) -> AlertList:
    return AlertList(alerts=[AlertOut.of(a) for a in services.planning_alerts.list_alerts(onhand, kind=kind)])


@router.post("/alerts/scan", summary="Raise the alerts that became true, clear those that no longer are")
def scan(body: AlertScanIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
         ) -> AlertScanOut:
    made = services.planning_alerts.scan_alerts(onhand, ScanAlerts(expiry_days=body.expiry_days),
                                                idempotency_key=idempotency_key)
    return AlertScanOut.of(made)
