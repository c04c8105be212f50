"""Bills of materials: what one unit of a built item consumes, and how many can be built.

"Can build" is `domain.bundles.kit_quantity` over each component's free stock (on hand
less reserved, in usable lots) where a build at that location takes components from
(`domain.builds.production_sources`), scrap included.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.assemblies.builds import production_sources
from onhand.domain.assemblies.bundles import kit_quantity
from onhand.domain.assemblies.commands import SetBillOfMaterials
from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import Item, ItemKind
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.catalog.lots import LotStatus, lot_usable
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.availability import available
from onhand.domain.quantities import MAX_QUANTITY, parse_decimal, plain
from onhand.services import resolve
from onhand.services.assemblies.bundles import check_acyclic, resolve_components
from onhand.services.assemblies.views import BillOfMaterials, ComponentStock, KitAvailability, LocationQuantity
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.limits import check_line_count

if TYPE_CHECKING:
    from datetime import date

    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)
MONEY_STEP = Decimal("0.000001")


def money(value: Decimal | int | str, field: str) -> Decimal:
    """A cost per unit: exact, not negative, at most 6 decimals."""
    number = parse_decimal(value, field)
    if number < 0:
        raise InvalidInput(field, f"must not be negative, got {number}")
    if number > MAX_QUANTITY or number.quantize(MONEY_STEP) != number:
        raise InvalidInput(field, f"{number} is too large or has more than 6 decimals")
    return plain(number)


def set_bill_of_materials(
    ctx: ServiceContext, command: SetBillOfMaterials, *, idempotency_key: str | None = None
) -> BillOfMaterials:
    """Give a stocked item (usually an assembly) its recipe, replacing any it had.

    Quantities are per unit of output in each component's unit; `scrap_percent` more is
    consumed; labour and overhead are costs per unit of output, kept for valuation.
    """
    sku, components = command.sku, command.components
    check_line_count(ctx.limits, components, "components")
    labour = money(command.labour_cost, "labour_cost")
    overhead = money(command.overhead_cost, "overhead_cost")
    clean_note = resolve.text(command.note, "note", max_length=2000)

    def work(uow: UnitOfWork) -> int:
        item = resolve.item(uow, sku)
        if item.kind is ItemKind.BUNDLE:
            raise InvalidInput("sku", f"{item.sku} is a bundle (never built); give it components instead")
        parts = resolve_components(uow, item, components)
        kinds = uow.items.by_ids([part.item_id for part in parts])
        for index, part in enumerate(parts):
            if kinds[part.item_id].kind is ItemKind.BUNDLE:
                raise InvalidInput(
                    f"components[{index}].sku",
                    f"{kinds[part.item_id].sku} is a bundle with no stock of its own; list its components",
                )
        check_acyclic(uow, item, parts, uow.boms.recipe_graph(), components)
        uow.boms.save(item.id, parts, labour_cost=labour, overhead_cost=overhead, note=clean_note, now=ctx.now())
        return item.id

    return run_write(
        ctx, work, _load, action="set_bill_of_materials",
        subject=lambda bom: AuditObject("bill_of_materials", bom.sku), idempotency_key=idempotency_key,
        request=command, before=lambda uow: uow.boms.view(resolve.item(uow, sku).id),
    )


def _load(uow: UnitOfWork, item_id: int) -> BillOfMaterials:
    found = uow.boms.view(item_id)
    assert found is not None  # written in this same transaction
    return found


def get_bill_of_materials(ctx: ServiceContext, sku: str) -> BillOfMaterials:
    with ctx.reading() as uow:
        item = resolve.item(uow, sku)
        found = uow.boms.view(item.id) if item.kind is not ItemKind.BUNDLE else None
    if found is None:
        raise InvalidInput("sku", f"{item.sku} has no bill of materials")
    return found


def recipe(uow: UnitOfWork, item: Item, field: str = "sku") -> list[tuple[Item, Decimal, Decimal]]:
    """(component item, quantity per unit, scrap percent) of a built item; refused without a BOM."""
    components = uow.boms.components(item.id) if item.kind is not ItemKind.BUNDLE else None
    if not components:
        raise InvalidInput(field, f"{item.sku} has no bill of materials")
    items = uow.items.by_ids([c.item_id for c in components])
    return [(items[c.item_id], c.quantity, c.scrap_percent) for c in components]


def build_site(uow: UnitOfWork, code: str, field: str = "location") -> Location:
    place = resolve.internal_location_in_use(uow, code, field)
    if place.kind is LocationKind.TRANSIT:
        raise InvalidInput(field, f"{place.code!r} is a transit location; nothing is built on the road")
    return place


def can_build(ctx: ServiceContext, sku: str, *, location: str | None = None) -> KitAvailability:
    """How many of `sku` its components' free stock can make at `location` (with its bins),
    or at each site; `available` is the figure at `location`, or the sum over the sites."""
    with ctx.reading() as uow:
        item = resolve.item(uow, sku)
        components = uow.boms.components(item.id) if item.kind is not ItemKind.BUNDLE else None
        if not components:
            raise InvalidInput("sku", f"{item.sku} has no bill of materials")
        by_id = {loc.id: loc for loc in uow.locations.all()}
        if location:
            sites = [build_site(uow, location)]
        else:
            sites = [
                p for p in by_id.values()
                if p.is_internal and not p.parent_id and p.kind is not LocationKind.TRANSIT
            ]
        needs = {c.item_id: c.per_unit for c in components}
        free = free_for_production(uow, list(needs), sites, by_id, today(ctx, uow))
        names = uow.items.by_ids(list(needs))
    figures = [
        LocationQuantity(site.code, kit_quantity(needs, free[site.id], item.unit.decimals))
        for site in sorted(sites, key=lambda s: s.code)
    ]
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for per_item in free.values():
        for item_id, amount in per_item.items():
            totals[item_id] += amount
    return KitAvailability(
        sku=item.sku,
        available=sum((f.quantity for f in figures), ZERO),
        locations=tuple(figures),
        components=tuple(
            ComponentStock(names[c.item_id].sku, plain(c.per_unit), totals.get(c.item_id, ZERO)) for c in components
        ),
    )


def free_for_production(
    uow: UnitOfWork, item_ids: list[int], sites: list[Location], by_id: dict[int, Location], day: date
) -> dict[int, dict[int, Decimal]]:
    """Per site id, per item: what a build there may consume (free, in usable lots)."""
    sources = {site.id: production_sources(site, by_id) for site in sites}
    owner = {place.id: site_id for site_id, places in sources.items() for place in places}
    rows = uow.balances.balance_rows(item_ids=item_ids, location_ids=sorted(owner)) if owner else []
    free: dict[int, dict[int, Decimal]] = {site.id: defaultdict(Decimal) for site in sites}
    for row in rows:
        usable = row.lot_id is None or lot_usable(LotStatus(row.lot_status), row.lot_expiry, day)
        # The place was chosen as a source already; sellability does not matter to a build.
        free[owner[row.location_id]][row.item_id] += available(
            row.on_hand, row.reserved, sellable=True, lot_usable=usable
        )
    return free
