"""Reorder rules: one per item and site, set (created or replaced), listed and removed."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import ItemKind
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.planning.commands import RemoveReorderRule, SetReorderRule
from onhand.domain.planning.demand import MAX_WINDOW_DAYS
from onhand.domain.planning.rules import ReorderRule, check_quantities
from onhand.domain.planning.safety_stock import check_service_level
from onhand.domain.planning.views import ReorderRuleView
from onhand.domain.purchasing.purchase_orders import MAX_LEAD_TIME_DAYS
from onhand.domain.quantities import non_negative_quantity, positive_quantity
from onhand.services import resolve
from onhand.services.audit import record_removal
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

SITE_KINDS = frozenset({LocationKind.WAREHOUSE, LocationKind.STORE, LocationKind.THREE_PL})


def rule_view(rule: ReorderRule) -> ReorderRuleView:
    return ReorderRuleView(
        sku=rule.sku, site=rule.site, minimum=rule.minimum, maximum=rule.maximum,
        reorder_quantity=rule.reorder_quantity, safety_stock=rule.safety_stock, service_level=rule.service_level,
        supplier=rule.supplier, lead_time_days=rule.lead_time_days, min_order_quantity=rule.min_order_quantity,
        order_multiple=rule.order_multiple, demand_window_days=rule.demand_window_days,
    )


def site(uow: UnitOfWork, code: str, field: str = "site") -> Location:
    """A warehouse, store or 3PL: the place a rule, a projection or a suggestion is about."""
    place = resolve.location(uow, code, field)
    if place.kind not in SITE_KINDS:
        raise InvalidInput(field, f"{place.code!r} is a {place.kind.value}; planning works per site "
                                  "(a warehouse, store or 3PL, its bins rolled up)")
    return place


def _subject(view: ReorderRuleView) -> AuditObject:
    return AuditObject("reorder_rule", f"{view.sku} {view.site}")


def _found(uow: UnitOfWork, item_id: int, site_id: int) -> ReorderRule | None:
    return next((r for r in uow.planning.rules(item_ids=[item_id]) if r.site_id == site_id), None)


def _check_whole(value: int | None, field: str, low: int, high: int) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
        raise InvalidInput(field, f"must be a whole number from {low} to {high}")


def set_reorder_rule(
    ctx: ServiceContext, command: SetReorderRule, *, idempotency_key: str | None = None
) -> ReorderRuleView:
    """Create or replace the rule of an item at a site (quantities in the item's unit)."""
    c = command
    _check_whole(c.lead_time_days, "lead_time_days", 0, MAX_LEAD_TIME_DAYS)
    _check_whole(c.demand_window_days, "demand_window_days", 1, MAX_WINDOW_DAYS)
    if c.service_level is not None:
        check_service_level(c.service_level)
    if c.service_level is not None and c.safety_stock is not None:
        raise InvalidInput("service_level", "give a safety stock or a service level, not both")

    def work(uow: UnitOfWork) -> int:
        item = resolve.item(uow, c.sku)
        if item.kind is ItemKind.BUNDLE:
            raise InvalidInput("sku", f"{item.sku!r} is a bundle: it has no stock of its own; "
                                      "give its components rules")
        place = site(uow, c.site)
        unit = item.unit

        def amount(value: Decimal | None, field: str) -> Decimal | None:
            return None if value is None else non_negative_quantity(value, unit, field)

        values = {
            "minimum": amount(c.minimum, "minimum"), "maximum": amount(c.maximum, "maximum"),
            "reorder_quantity": None if c.reorder_quantity is None
            else positive_quantity(c.reorder_quantity, unit, "reorder_quantity"),
            "safety_stock": amount(c.safety_stock, "safety_stock"), "service_level": c.service_level,
            "lead_time_days": c.lead_time_days,
            "min_order_quantity": amount(c.min_order_quantity, "min_order_quantity"),
            "order_multiple": None if c.order_multiple is None
            else positive_quantity(c.order_multiple, unit, "order_multiple"),
            "demand_window_days": c.demand_window_days,
            "supplier_id": None,
        }
        check_quantities(minimum=values["minimum"], maximum=values["maximum"],
                         reorder_quantity=values["reorder_quantity"])
        if c.supplier is not None:
            supplier = uow.suppliers.by_code(c.supplier.strip()) if c.supplier.strip() else None
            if supplier is None:
                raise NotFound("supplier", c.supplier, "supplier")
            values["supplier_id"] = supplier.id
        return uow.planning.save_rule(item.id, place.id, values, ctx.now())

    def load(uow: UnitOfWork, rule_id: int) -> ReorderRuleView:
        item = resolve.item(uow, c.sku)
        return rule_view(next(r for r in uow.planning.rules(item_ids=[item.id]) if r.id == rule_id))

    def was(uow: UnitOfWork) -> ReorderRuleView | None:
        try:
            rule = _found(uow, resolve.item(uow, c.sku).id, site(uow, c.site).id)
        except (NotFound, InvalidInput):
            return None  # `work` names what is wrong
        return rule_view(rule) if rule else None

    return run_write(ctx, work, load, action="set_reorder_rule", subject=_subject,
                     idempotency_key=idempotency_key, request=command, before=was)


def remove_reorder_rule(ctx: ServiceContext, command: RemoveReorderRule) -> None:
    with ctx.writing() as uow:
        item = resolve.item(uow, command.sku)
        place = site(uow, command.site)
        rule = _found(uow, item.id, place.id)
        if rule is None:
            raise NotFound("reorder rule", f"{item.sku} {place.code}", "sku")
        uow.planning.remove_rule(item.id, place.id)
        view = rule_view(rule)
        record_removal(uow, ctx.now(), "remove_reorder_rule", _subject(view), view)


def list_reorder_rules(ctx: ServiceContext, *, sku: str | None = None) -> list[ReorderRuleView]:
    with ctx.reading() as uow:
        item_ids = None if sku is None else [resolve.item(uow, sku).id]
        return [rule_view(rule) for rule in uow.planning.rules(item_ids=item_ids)]
