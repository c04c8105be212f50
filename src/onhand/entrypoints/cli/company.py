"""`onhand company show|set` and `onhand units list|add`: settings and units of measure."""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.catalog.commands import CreateUnit, UpdateCompany, given_decimal
from onhand.entrypoints.cli.render import console, fields, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.views import Company

company_app = typer.Typer(help="The company: name, time zone (business days, expiry) and currency.",
                          no_args_is_help=True)
units_app = typer.Typer(help="Units of measure (each, kg, ...) and how many decimals they allow.",
                        no_args_is_help=True)


def print_company(company: Company) -> None:
    console().print(
        fields(
            [
                ("Name", company.name), ("Time zone", company.timezone), ("Currency", company.currency),
                ("Min. remaining shelf life (days)", company.min_remaining_shelf_life_days),
                ("Over-receipt tolerance (%)", company.over_receipt_tolerance_pct),
                ("Auto-assign serials on shipment", "yes" if company.auto_assign_serials else "no"),
            ],
            title="Company",
        )
    )


@company_app.command("show")
def show_company(ctx: typer.Context) -> None:
    """Show the company settings."""
    print_company(services.company.get_company(onhand(ctx)))


@company_app.command("set")
def set_company(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Company name.")] = None,
    timezone: Annotated[str | None, typer.Option(
        "--time-zone", "--timezone", help="IANA time zone, e.g. America/New_York.")] = None,
    currency: Annotated[str | None, typer.Option(help="ISO 4217 code, e.g. USD.")] = None,
    min_remaining_shelf_life_days: Annotated[
        int | None, typer.Option(help="Days of shelf life a lot must still have on the ship date (default 0).")
    ] = None,
    over_receipt_tolerance_pct: Annotated[
        str | None, typer.Option("--tolerance", help="Percent a purchase receipt may exceed the ordered quantity.")
    ] = None,
    confirm: Annotated[bool, typer.Option(
        "--confirm", help="Change the time zone although postings exist (their business days move).")] = False,
    auto_assign_serials: Annotated[
        bool | None, typer.Option("--auto-assign-serials/--confirm-serials",
                                  help="Whether shipments may ship reserved serials unconfirmed (default: confirm).")
    ] = None,
) -> None:
    """Change the company name, time zone, currency or minimum remaining shelf life."""
    print_company(
        services.company.update_company(
            onhand(ctx), UpdateCompany(
                name=name, timezone=timezone, currency=currency,
                min_remaining_shelf_life_days=min_remaining_shelf_life_days,
                over_receipt_tolerance_pct=given_decimal(over_receipt_tolerance_pct, "over_receipt_tolerance_pct"),
                confirm_timezone_change=confirm,
                auto_assign_serials=auto_assign_serials,
            ),
        )
    )


@units_app.command("list")
def list_units(ctx: typer.Context) -> None:
    """List the units of measure."""
    grid = table("Code", "Name", "Decimals", numeric=["Decimals"])
    for unit in services.items.list_units(onhand(ctx)):
        grid.add_row(text(unit.code), text(unit.name), text(unit.decimals))
    console().print(grid)


@units_app.command("add")
def add_unit(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. 'pack'.")],
    name: Annotated[str, typer.Option(help="Name, e.g. 'Pack of 6'.")],
    decimals: Annotated[int, typer.Option(help="Decimals a quantity may have (0 = whole numbers).")] = 0,
) -> None:
    """Add a unit of measure."""
    unit = services.items.create_unit(onhand(ctx), CreateUnit(code=code, name=name, decimals=decimals))
    console().print(text(f"Added unit {unit.code} ({unit.name}, {unit.decimals} decimals)"))
