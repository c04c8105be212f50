"""Build orders: make an assembly from its bill of materials, all at once or in parts.

Each build run is one posting (kind `build`): components `location → production` (free
stock only, first-expired-first-out unless lots are given), the output
`production → location`, with the lot genealogy recorded. See `domain/assemblies/builds.py` for
the states of an order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from onhand.domain.assemblies.builds import (
    BuildStatus,
    check_build_quantity,
    check_open,
    check_startable,
    parse_build_status,
    status_after_build,
    status_after_finish,
    validate_reference,
)
from onhand.domain.assemblies.bundles import Component, consumption
from onhand.domain.assemblies.commands import BuildOrderAction, BuildRun, CreateBuildOrder
from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import Tracking
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import AlreadyExists, InvalidInput, NotFound, TransientConflict
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.domain.quantities import positive_quantity
from onhand.services import resolve
from onhand.services.assemblies.boms import build_site, recipe
from onhand.services.assemblies.production import (
    business_day_of,
    output_lot,
    plan_consumption,
    record_run,
)
from onhand.services.assemblies.views import BuildOrderView
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.ledger.postings import clock_in_turn, parse_effective_at
from onhand.services.limits import check_line_count

if TYPE_CHECKING:
    from onhand.domain.assemblies.records import BuildOrderRecord
    from onhand.services.context import UnitOfWork


def create_build_order(
    ctx: ServiceContext, command: CreateBuildOrder, *, idempotency_key: str | None = None
) -> BuildOrderView:
    """Plan to build `quantity` of `sku` at `location` (a draft; reference BO-000001 by default)."""
    sku, location, quantity, reference = command.sku, command.location, command.quantity, command.reference
    clean_reference = validate_reference(reference, "reference") if reference and reference.strip() else None
    clean_note = resolve.text(command.note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        item = resolve.item_in_use(uow, sku)
        recipe(uow, item)
        site = build_site(uow, location)
        amount = positive_quantity(quantity, item.unit)
        if clean_reference and uow.builds.by_reference(clean_reference) is not None:
            raise AlreadyExists("build order", clean_reference, "reference")
        order_id = uow.builds.add_order(
            reference=clean_reference, item_id=item.id, location_id=site.id, quantity=amount,
            note=clean_note, now=ctx.now(),
        )
        if clean_reference is None:
            uow.builds.set_reference(order_id, resolve.document_number("BO", order_id, uow.builds.by_reference))
        return order_id

    return run_write(ctx, work, load_order, action="create_build_order", subject=build_order_subject,
                     idempotency_key=idempotency_key, request=command)


def build_order_subject(order: BuildOrderView) -> AuditObject:
    return AuditObject("build_order", order.reference)


def load_order(uow: UnitOfWork, order_id: int) -> BuildOrderView:
    found = uow.builds.view(order_id)
    if found is None:
        raise NotFound("build order", str(order_id), "reference")
    return found


def _order(uow: UnitOfWork, reference: str) -> BuildOrderRecord:
    found = uow.builds.by_reference(reference.strip()) if reference and reference.strip() else None
    if found is None:
        raise NotFound("build order", reference, "reference")
    return found


def get_build_order(ctx: ServiceContext, reference: str) -> BuildOrderView:
    with ctx.reading() as uow:
        return load_order(uow, _order(uow, reference).id)


def list_build_orders(
    ctx: ServiceContext, *, status: str | None = None, limit: int = 100, offset: int = 0
) -> list[BuildOrderView]:
    resolve.page(limit, offset)
    wanted = parse_build_status(status) if status else None
    with ctx.reading() as uow:
        return uow.builds.list(status=wanted, limit=limit, offset=offset)


def start_build_order(
    ctx: ServiceContext, command: BuildOrderAction, *, idempotency_key: str | None = None
) -> BuildOrderView:
    """Release a draft to the floor (in_progress); building a draft starts it too."""

    def work(uow: UnitOfWork) -> int:
        order = _order(uow, command.reference)
        check_startable(order.reference, order.status)
        _set_status(uow, order, BuildStatus.IN_PROGRESS, ctx)
        return order.id

    return run_write(ctx, work, load_order, action="start_build_order", subject=build_order_subject,
                     idempotency_key=idempotency_key, request=command)


def cancel_build_order(
    ctx: ServiceContext, command: BuildOrderAction, *, idempotency_key: str | None = None
) -> BuildOrderView:
    """Close an open order; what it already built stays in stock."""

    def work(uow: UnitOfWork) -> int:
        order = _order(uow, command.reference)
        check_open(order.reference, order.status, "cancel it")
        _set_status(uow, order, BuildStatus.CANCELLED, ctx)
        return order.id

    return run_write(ctx, work, load_order, action="cancel_build_order", subject=build_order_subject,
                     idempotency_key=idempotency_key, request=command)


def finish_build_order(
    ctx: ServiceContext, command: BuildOrderAction, *, idempotency_key: str | None = None
) -> BuildOrderView:
    """Close a partly built order as done: the rest will not be built."""

    def work(uow: UnitOfWork) -> int:
        order = _order(uow, command.reference)
        _set_status(uow, order, status_after_finish(order.reference, order.status, order.built), ctx)
        return order.id

    return run_write(ctx, work, load_order, action="finish_build_order", subject=build_order_subject,
                     idempotency_key=idempotency_key, request=command)


def _set_status(uow: UnitOfWork, order: BuildOrderRecord, new: BuildStatus, ctx: ServiceContext) -> None:
    if not uow.builds.set_status(order.id, current=order.status, new=new, now=ctx.now()):
        raise TransientConflict(f"build order {order.reference} changed meanwhile")


def build(ctx: ServiceContext, command: BuildRun, *, idempotency_key: str | None = None) -> BuildOrderView:
    """Build `quantity` (default: all that is left) of a build order in one posting;
    returns the order with this run (`get_build_order` lists them all).

    `effective_at` backdates the run (as an adjustment: never in the future, nor on or
    before the lock date): it consumes its components at what they were worth then, and
    its output enters the assembly's history then; the stock it takes is free stock now.

    Components are consumed from the order's location and its bins, only free stock,
    first-expired-first-out unless `component_lots` name them (then they must add up to
    what is needed). A lot-tracked output goes into `output_lot` (new, or an
    existing lot continued); its expiry defaults to the earliest of the inputs' expiries
    and the item's shelf life from today.
    """
    reference, quantity, component_lots = command.reference, command.quantity, command.component_lots
    check_line_count(ctx.limits, component_lots, "component_lots")

    def work(uow: UnitOfWork) -> int:
        order = _order(uow, reference)
        check_open(order.reference, order.status, "build it")
        item = uow.items.get(order.item_id)
        assert item is not None  # a foreign key
        amount = order.quantity - order.built if quantity is None else positive_quantity(quantity, item.unit)
        check_build_quantity(amount, order.quantity, order.built)
        if item.tracking is Tracking.SERIAL and amount != 1:
            raise InvalidInput("quantity", f"{item.sku} is serial-tracked: build one unit per serial number")
        now = clock_in_turn(ctx, uow)
        day = today(ctx, uow)
        effective = parse_effective_at(command.effective_at, uow, now=now)
        # The order's row first: concurrent runs of one order queue here and cannot overbuild.
        so_far = uow.builds.record_built(order.id, amount, now)
        if so_far is None:
            raise TransientConflict(f"build order {order.reference} changed meanwhile")
        # From what is stored now, not what was read: another run may have committed since.
        status = status_after_build(so_far.planned, so_far.built)
        if status is not so_far.status:
            uow.builds.set_status(order.id, current=so_far.status, new=status, now=now)
        site = {loc.id: loc for loc in uow.locations.all()}[order.location_id]
        needs = [
            (part, consumption(amount, Component(part.id, per_unit, scrap), part.unit.decimals))
            for part, per_unit, scrap in recipe(uow, item)
        ]
        taken = plan_consumption(uow, needs, site=site, day=day, lots=component_lots)
        lot = output_lot(
            uow, item, code=command.output_lot, expiry=command.output_expiry,
            inputs=[t.lot for t in taken if t.lot is not None], day=business_day_of(uow, effective, day), now=now,
        )
        production = uow.locations.virtual(LocationKind.PRODUCTION)
        consumed = [MoveLine(t.item, t.place, production, t.quantity, t.lot) for t in taken]
        bom = uow.boms.view(item.id)
        added = bom.labour_cost + bom.overhead_cost if bom else None
        made = MoveLine(item, production, site, amount, lot, added_cost=added)
        draft = PostingDraft(kind=PostingKind.BUILD, moves=(*consumed, made), reference=order.reference)
        return record_run(
            uow, draft, kind="build", order_id=order.id, parent=item, parent_lot=lot, site=site,
            quantity=amount, components=consumed, now=now, effective_at=effective,
        )

    return run_write(ctx, work, _load_after_run, action="build", subject=build_order_subject,
                     idempotency_key=idempotency_key, request=command)


def _load_after_run(uow: UnitOfWork, run_id: int) -> BuildOrderView:
    found = uow.builds.view_after_run(run_id)
    assert found is not None  # written in this same transaction
    return found

