"""Builders for planning tests: sales history on chosen days, rules, suppliers with prices."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from onhand import services
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, OrderAction, ShipOrder
from onhand.domain.planning.commands import SetReorderRule
from onhand.domain.purchasing.commands import SetSupplierPrice


def sell(onhand, clock, site, sku, quantity, day: date, **fields):
    """An order of `quantity` shipped from `site` at noon of `day` (the clock is put back)."""
    was = clock.current
    clock.current = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    try:
        made = services.sales_orders.create_order(
            onhand, CreateOrder(lines=[NewOrderLine(sku, Decimal(quantity), location=site)], **fields))
        services.sales_orders.allocate_order(onhand, OrderAction(made.reference))
        services.shipping.ship_order(onhand, ShipOrder(made.reference))
        return made.reference
    finally:
        clock.current = was


def rule(onhand, sku, site, **fields):
    numbers = {k: (Decimal(v) if isinstance(v, int | str) and k not in ("lead_time_days", "demand_window_days")
                   and v is not None else v) for k, v in fields.items()}
    return services.reorder_rules.set_reorder_rule(onhand, SetReorderRule(sku=sku, site=site, **numbers))


def price(onhand, supplier, sku, unit_cost, **fields):
    return services.suppliers.set_supplier_price(
        onhand, SetSupplierPrice(supplier=supplier, sku=sku, unit_cost=Decimal(unit_cost),
                                 **{k: Decimal(v) for k, v in fields.items()}))


def promise_from(onhand, site, sku, quantity, **fields):
    """A sales order allocated from `site`: what it cannot reserve waits on backorder."""
    made = services.sales_orders.create_order(onhand, CreateOrder(
        lines=[NewOrderLine(sku, Decimal(quantity), location=site)], **fields))
    return services.sales_orders.allocate_order(onhand, OrderAction(made.reference))
