"""Disassembly: take built items apart into their components, in one posting.

The assembled item goes `location → production`, each component `production →
location` as its bill of materials says (scrap is not recovered). Lot-tracked
components go back into the lots given, or else into the lots the genealogy says went
into the lot taken apart. The run records which lots came out of which.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.assemblies.bundles import Component, yield_of
from onhand.domain.assemblies.commands import Disassemble
from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import Item, Tracking
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.catalog.lots import LOT_CODE_PATTERN, Lot
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.domain.quantities import positive_quantity
from onhand.domain.quantities import quantity as parse_quantity
from onhand.services import resolve
from onhand.services.assemblies.boms import build_site, recipe
from onhand.services.assemblies.production import ComponentLot, explicit_lots, plan_consumption, record_run
from onhand.services.assemblies.views import BuildRunView
from onhand.services.catalog.lots import add_lot, parse_date
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.ledger.postings import clock_in_turn, parse_effective_at
from onhand.services.limits import check_line_count

if TYPE_CHECKING:
    from datetime import datetime

    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


def disassemble(ctx: ServiceContext, command: Disassemble, *, idempotency_key: str | None = None) -> BuildRunView:
    """Take `quantity` of `sku` (lot `lot`, if tracked) at `location` apart; `effective_at`
    backdates it (as a build: valued then, taking what is free now)."""
    sku, location, quantity, lot = command.sku, command.location, command.quantity, command.lot
    component_lots = command.component_lots
    check_line_count(ctx.limits, component_lots, "component_lots")
    clean_reference = resolve.text(command.reference, "reference")
    clean_note = resolve.text(command.note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        item = resolve.item(uow, sku)
        parts = recipe(uow, item)
        site = build_site(uow, location)
        amount = positive_quantity(quantity, item.unit)
        if item.tracking is Tracking.SERIAL and amount != 1:
            raise InvalidInput("quantity", f"{item.sku} is serial-tracked: take one unit apart per serial number")
        taken_lot = _taken_lot(uow, item, lot)
        day, now = today(ctx, uow), clock_in_turn(ctx, uow)
        effective = parse_effective_at(command.effective_at, uow, now=now)
        given = [ComponentLot(item.sku, taken_lot.code, amount)] if taken_lot else []
        taken = plan_consumption(uow, [(item, amount)], site=site, day=day, lots=given, field="lot")
        production = uow.locations.virtual(LocationKind.PRODUCTION)
        returned = _returned(uow, parts, amount, taken_lot, component_lots, site, production, now)
        consumed = [MoveLine(t.item, t.place, production, t.quantity, t.lot) for t in taken]
        draft = PostingDraft(
            kind=PostingKind.DISASSEMBLY, moves=(*consumed, *returned), reference=clean_reference, note=clean_note,
        )
        return record_run(
            uow, draft, kind="disassembly", order_id=None, parent=item, parent_lot=taken_lot, site=site,
            quantity=amount, components=returned, now=now, effective_at=effective,
        )

    return run_write(ctx, work, _load, action="disassemble",
                     subject=lambda run: AuditObject("posting", str(run.posting_id)),
                     idempotency_key=idempotency_key, request=command)


def _load(uow: UnitOfWork, run_id: int) -> BuildRunView:
    found = uow.builds.run(run_id)
    assert found is not None  # written in this same transaction
    return found


def _taken_lot(uow: UnitOfWork, item: Item, code: str | None) -> Lot | None:
    if not item.tracks_lots:
        if code and code.strip():
            raise InvalidInput("lot", f"item {item.sku!r} is not lot-tracked; give no lot")
        return None
    if not code or not code.strip():
        raise InvalidInput("lot", f"item {item.sku!r} is lot-tracked; give the lot to take apart")
    return resolve.lot(uow, item, code)


def _returned(
    uow: UnitOfWork,
    parts: list[tuple[Item, Decimal, Decimal]],
    amount: Decimal,
    taken_lot: Lot | None,
    lines: Sequence[ComponentLot],
    site: Location,
    production: Location,
    now: datetime,
) -> list[MoveLine]:
    """The moves giving each component back, into the given lots or the recorded ones."""
    given = explicit_lots(uow, lines, {part.id: part for part, _q, _s in parts})
    recorded = uow.builds.links_into([taken_lot.id]) if taken_lot else []
    moves = []
    for part, per_unit, _scrap in parts:
        back = yield_of(amount, Component(part.id, per_unit))
        try:
            parse_quantity(back, part.unit, "quantity")
        except InvalidInput:
            raise InvalidInput(
                "quantity", f"taking {amount} apart gives {back} of {part.sku}, finer than its unit allows"
            ) from None
        if not part.tracks_lots:
            moves.append(MoveLine(part, production, site, back))
            continue
        if part.id in given:
            total = sum((q for _code, q, _index in given[part.id]), ZERO)
            if total != back:
                raise InvalidInput("components", f"the lots given for {part.sku} add up to {total}; {back} come back")
            for code, q, index in given[part.id]:
                line = lines[index]
                moves.append(MoveLine(part, production, site, q, _lot_for(uow, part, code, line, now, index)))
            continue
        sources = [r for r in recorded if r.child_item_id == part.id and r.child_lot_id and r.link.kind == "build"]
        lots = uow.lots.by_ids([r.child_lot_id for r in sources if r.child_lot_id])
        need = back
        for record in sources:
            if need <= 0:
                break
            share = min(record.link.quantity, need)
            moves.append(MoveLine(part, production, site, share, lots[record.child_lot_id or 0]))
            need -= share
        if need > 0:
            origin = f"the builds of lot {taken_lot.code} do not cover it" if taken_lot else "its lots are unknown"
            raise InvalidInput(
                "components", f"{part.sku} is lot-tracked and {origin}; give the lots it goes back into"
            )
    return moves


def _lot_for(uow: UnitOfWork, part: Item, code: str, line: ComponentLot, now: datetime, index: int) -> Lot:
    """An existing lot of the component, or a new one (with the line's expiry)."""
    field = f"components[{index}]"
    found = uow.lots.get(part.id, code) if LOT_CODE_PATTERN.match(code) else None
    if found is not None:
        return found
    return add_lot(
        uow, part, code, expiry_date=parse_date(line.expiry_date, f"{field}.expiry_date"),
        production_date=None, now=now, field=f"{field}.lot",
    )
