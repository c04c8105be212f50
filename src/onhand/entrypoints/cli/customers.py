"""`onhand customers add|list|show|update`: customers as records."""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.commands import CreateCustomer, UpdateCustomer
from onhand.domain.orders.customers import Customer, CustomerAddress
from onhand.entrypoints.cli.render import console, table, text
from onhand.entrypoints.cli.session import onhand

customers_app = typer.Typer(help="Customers: add, list, show, change.", no_args_is_help=True)


def customers_table(found: list[Customer]) -> None:
    grid = table("Code", "Name", "Email", "Phone", "City", "Channel ids", title="Customers")
    for c in found:
        city = c.addresses[0].city if c.addresses else None
        grid.add_row(text(c.code), text(c.name), text(c.email), text(c.phone), text(city),
                     text(", ".join(f"{i.channel}:{i.external_id}" for i in c.channel_ids)))
    console().print(grid)


@customers_app.command("add")
def add_customer(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The customer's name.")],
    code: Annotated[str | None, typer.Option(help="Default: the next C-000001.")] = None,
    email: Annotated[str | None, typer.Option()] = None,
    phone: Annotated[str | None, typer.Option()] = None,
    line1: Annotated[str | None, typer.Option(help="Default address: street.")] = None,
    city: Annotated[str | None, typer.Option(help="Default address: city.")] = None,
    postcode: Annotated[str | None, typer.Option(help="Default address: postcode.")] = None,
    country: Annotated[str | None, typer.Option(help="Default address: ISO country code.")] = None,
    channel_id: Annotated[list[str], typer.Option(help="CHANNEL:ID, the customer's id in a channel.")] = [],  # noqa: B006
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retried command safe.")] = None,
) -> None:
    """Add a customer."""
    address = [CustomerAddress(name=name, line1=line1, city=city, postcode=postcode, country=country)] if any(
        (line1, city, postcode, country)) else []
    pairs = [tuple(value.split(":", 1)) for value in channel_id]
    if any(len(p) != 2 for p in pairs):
        raise InvalidInput("channel_id", "give CHANNEL:ID")
    command = CreateCustomer(name=name, code=code, email=email, phone=phone, addresses=tuple(address),
                             channel_ids=tuple(pairs))  # type: ignore[arg-type]
    customers_table([services.customers.create_customer(onhand(ctx), command, idempotency_key=idempotency_key)])


@customers_app.command("list")
def list_customers(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Names (or a word of them) starting with this.")] = None,
    email: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(help="1-1000.")] = 100,
) -> None:
    """List customers by name."""
    customers_table(services.customers.list_customers(onhand(ctx), name=name, email=email, limit=limit))


@customers_app.command("show")
def show_customer(ctx: typer.Context, code: Annotated[str, typer.Argument(help="The customer's code.")]) -> None:
    """One customer."""
    customers_table([services.customers.get_customer(onhand(ctx), code)])


@customers_app.command("update")
def update_customer(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The customer's code.")],
    name: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option(help="\"\" clears it.")] = None,
    phone: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change a customer's name, email or phone."""
    customers_table([services.customers.update_customer(
        onhand(ctx), UpdateCustomer(code, name=name, email=email, phone=phone))])
