"""`onhand lots add|list|status`: lots (batches) and serial numbers of tracked items."""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.calendar import parse_date
from onhand.domain.catalog.commands import CreateLot, SetLotStatus
from onhand.domain.catalog.lots import Lot, LotStatus
from onhand.entrypoints.cli.render import console, table, text
from onhand.entrypoints.cli.session import onhand

lots_app = typer.Typer(help="Lots and serial numbers: define, list, quarantine, release, recall.",
                       no_args_is_help=True)


def lots_table(sku: str, lots: list[Lot]) -> None:
    grid = table("Lot", "Expiry", "Production", "Status", title=f"Lots of {sku}", key="lots")
    for lot in lots:
        status = text(lot.status.value)
        if lot.status is not LotStatus.RELEASED:
            status.stylize("yellow")
        grid.add_row(text(lot.code), text(lot.expiry_date), text(lot.production_date), status)
    console().print(grid)


@lots_app.command("add")
def add_lot(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="The lot-tracked item's SKU.")],
    code: Annotated[str, typer.Argument(help="Lot or serial code.")],
    expiry: Annotated[str | None, typer.Option(help="Expiry date, YYYY-MM-DD.")] = None,
    production: Annotated[
        str | None, typer.Option(help="Production date, YYYY-MM-DD (expiry follows from shelf life).")
    ] = None,
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retried command safe.")] = None,
) -> None:
    """Define a lot before stock arrives with it."""
    lot = services.lots.create_lot(
        onhand(ctx), CreateLot(
            sku=sku, code=code, expiry_date=parse_date(expiry, "expiry_date"),
            production_date=parse_date(production, "production_date"),
        ),
        idempotency_key=idempotency_key,
    )
    lots_table(sku, [lot])


@lots_app.command("list")
def list_lots(
    ctx: typer.Context,
    sku: Annotated[str | None, typer.Argument(help="The item's SKU (or find lots with --lot).")] = None,
    lot: Annotated[str | None, typer.Option(help="Lots of any item with this code.")] = None,
    supplier_lot: Annotated[str | None, typer.Option(help="Lots of any item with the supplier's batch number.")] = None,
) -> None:
    """List the lots of an item, or find lots of any item by code or supplier lot."""
    if sku is not None and lot is None and supplier_lot is None:
        lots_table(sku, services.lots.list_lots(onhand(ctx), sku))
        return
    found = services.lot_search.find_lots(onhand(ctx), lot=lot, supplier_lot=supplier_lot)
    grid = table("SKU", "Lot", "Expiry", "Status", "Supplier lot", title="Lots")
    for f in found:
        if sku is None or f.sku == sku.strip():
            grid.add_row(text(f.sku), text(f.lot), text(f.expiry_date), text(f.status), text(f.supplier_lot))
    console().print(grid)


@lots_app.command("supplier-lot")
def set_supplier_lot(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="The item's SKU.")],
    code: Annotated[str, typer.Argument(help="Lot code.")],
    supplier_lot: Annotated[str, typer.Argument(help="The supplier's batch number (\"\" clears it).")],
) -> None:
    """Record the supplier's own batch number of a lot."""
    found = services.lot_search.set_supplier_lot(onhand(ctx), sku=sku, lot=code, supplier_lot=supplier_lot)
    console().print(f"{found.sku}/{found.lot}: supplier lot {found.supplier_lot or '-'}")


@lots_app.command("status")
def set_status(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="The item's SKU.")],
    code: Annotated[str, typer.Argument(help="Lot or serial code.")],
    status: Annotated[str, typer.Argument(help="released, quarantined or recalled.")],
) -> None:
    """Release, quarantine or recall a lot (only released lots are available)."""
    lots_table(sku, [services.lots.set_lot_status(onhand(ctx), SetLotStatus(sku=sku, code=code, status=status))])
