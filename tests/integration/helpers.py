"""Small builders for service-level tests."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from onhand import services
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.orders.commands import CreateOrder, OrderAction
from onhand.services.ledger.postings import StockLine


def add_item(onhand, sku="W-1", **fields):
    return services.items.create_item(onhand, CreateItem(sku=sku, name=fields.pop("name", sku), **fields))


def add_place(onhand, code="NY", kind="warehouse", **fields):
    return services.locations.create_location(
        onhand, CreateLocation(code=code, name=fields.pop("name", code), kind=kind, **fields)
    )


def adjust(onhand, location, sku, quantity, lot=None, reason="found", **line):
    return services.adjustments.post_adjustment(
        onhand, PostAdjustment(location=location, lines=[StockLine(sku, quantity, lot, **line)], reason=reason)
    )


def level(onhand, sku, location=None, lot=None, group_by="item"):
    """The single stock level row for a query (zeros when there is none)."""
    report = services.stock.stock_levels(onhand, sku=sku, location=location, lot=lot, group_by=group_by)
    if not report.levels:
        return (Decimal(0), Decimal(0), Decimal(0))
    (row,) = report.levels
    return (row.on_hand, row.reserved, row.available)


def move_count(onhand):
    return services.integrity.verify(onhand).moves_checked


def at(onhand, sku, location):
    """On hand of `sku` at exactly `location` (not its bins)."""
    report = services.stock.stock_levels(onhand, sku=sku, location=location, group_by="bin")
    return sum((lv.on_hand for lv in report.levels if lv.location == location), Decimal(0))


# --- sales orders ------------------------------------------------------------------


def order(onhand, *lines, **fields):
    """Create a sales order; each line is a NewOrderLine or a (sku, quantity[, lot]) tuple."""
    from onhand.services.orders.sales_orders import NewOrderLine

    made = [ln if isinstance(ln, NewOrderLine) else NewOrderLine(ln[0], ln[1], lot=ln[2] if len(ln) > 2 else None)
            for ln in lines]
    key = fields.pop("idempotency_key", None)
    return services.sales_orders.create_order(onhand, CreateOrder(lines=made, **fields), idempotency_key=key)


def allocated(onhand, *lines, **fields):
    """Create a sales order and allocate it."""
    created = order(onhand, *lines, **fields)
    return services.sales_orders.allocate_order(onhand, OrderAction(created.reference))


def held(view):
    """(line no, location, lot, quantity) of every reservation of an order view, sorted."""
    return sorted(
        (ln.line_no, r.location, r.lot, r.quantity) for ln in view.lines for r in ln.reservations
    )


def reserved_by_line(view):
    return [ln.reserved for ln in view.lines]


def assert_books_balance(onhand):
    """verify: projection == ledger, conservation, reserved == sum(reservations), no oversell."""
    report = services.integrity.verify(onhand)
    assert report.ok, report
    return report


def counted_calls(monkeypatch, module, name):
    """A mark for each call of `module.name` from then on (the function patched in its module)."""
    calls: list[int] = []
    original = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


@contextmanager
def turn_kept_by(conn):
    """The PostgreSQL group turn of `conn`'s schema kept by `conn`, another session than the
    groups' (a stuck server process, say), for the block."""
    from onhand.adapters.db.group_turn import GROUP_TURN_KEY

    assert conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({GROUP_TURN_KEY})").scalar()
    try:
        yield
    finally:
        conn.exec_driver_sql(f"SELECT pg_advisory_unlock({GROUP_TURN_KEY})")
        conn.commit()
