"""Lot genealogy: what went into a lot, and which lots a lot went into (the basis of recalls).

Builds record which component lots, and how much of each, went into which lot of the
assembled item; disassemblies record which lots came back out. A walk follows these
edges `levels` deep: a component lot into a sub-assembly lot into a product lot.
Only builds are edges of the walk; disassemblies show on their runs and postings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from onhand.domain.errors import InvalidInput
from onhand.services import resolve
from onhand.services.assemblies.views import GenealogyLink, LotGenealogy
from onhand.services.context import ServiceContext

if TYPE_CHECKING:
    from onhand.domain.assemblies.records import LinkRecord
    from onhand.services.context import UnitOfWork

MAX_LEVELS = 10


def lot_genealogy(ctx: ServiceContext, sku: str, lot: str, *, levels: int = 1) -> LotGenealogy:
    """`made_from`: the component lots a lot was built from (and theirs, `levels` deep);
    `used_in`: the lots built from it (and what was built from those)."""
    if isinstance(levels, bool) or not 1 <= levels <= MAX_LEVELS:
        raise InvalidInput("levels", f"must be from 1 to {MAX_LEVELS}")
    with ctx.reading() as uow:
        item = resolve.item(uow, sku)
        if not item.tracks_lots:
            raise InvalidInput("sku", f"item {item.sku!r} is not lot-tracked; it has no lot genealogy")
        found = resolve.lot(uow, item, lot)
        made_from = _walk(uow, found.id, levels, backward=True)
        used_in = _walk(uow, found.id, levels, backward=False)
    return LotGenealogy(sku=item.sku, lot=found.code, made_from=made_from, used_in=used_in)


def _walk(uow: UnitOfWork, lot_id: int, levels: int, *, backward: bool) -> tuple[GenealogyLink, ...]:
    seen = {lot_id}
    frontier = [lot_id]
    found: list[GenealogyLink] = []
    for depth in range(1, levels + 1):
        if not frontier:
            break
        records: list[LinkRecord] = (
            uow.builds.links_into(frontier) if backward else uow.builds.links_from(frontier)
        )
        following = []
        for record in records:
            if record.link.kind != "build":  # a disassembly gives lots back; nothing was made of them
                continue
            found.append(GenealogyLink(**{**record.link.__dict__, "depth": depth}))
            nxt = record.child_lot_id if backward else record.parent_lot_id
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                following.append(nxt)
        frontier = following
    return tuple(found)
