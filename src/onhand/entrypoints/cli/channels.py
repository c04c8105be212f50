"""`onhand channels add|list|show|map|unmap|exceptions|resolve|sync`: sales channels, their
mappings and exceptions. Secrets are never printed: only where they are (env or file)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.channels.commands import AddChannel, MapLocation, MapSku, ResolveException, UnmapLocation
from onhand.domain.channels.views import ChannelExceptionView, ChannelView
from onhand.domain.errors import InvalidInput
from onhand.entrypoints.cli.amazon import sync as amazon_sync
from onhand.entrypoints.cli.render import console, moment, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services import resolve

channels_app = typer.Typer(help="Sales channels (Shopify, Amazon, generic): add, map, exceptions, sync.",
                           no_args_is_help=True)

ChannelArg = Annotated[str, typer.Argument(metavar="CHANNEL", help="The channel's name.")]


def print_channel(view: ChannelView) -> None:
    console().print(Text(f"{view.name} ({view.kind})", style="bold"))
    console().print(Text(f"endpoint: {view.endpoint or '-'}  api version: {view.api_version or '-'}  "
                         f"secrets from: {view.credentials_source}"))
    synced = moment(view.last_sync_at) if view.last_sync_at else "-"
    console().print(Text(f"last sync: {synced}  last error: {view.last_error or '-'}"))
    grid = table("Location", "Channel location")
    for place in view.locations:
        grid.add_row(text(place.location), text(place.external_location_id))
    console().print(grid)
    skus = table("SKU", "Channel SKU", "Variant id", "Inventory item id")
    for sku in view.skus:
        skus.add_row(text(sku.sku), text(sku.external_sku), text(sku.external_variant_id), text(sku.external_item_id))
    console().print(skus)


def exceptions_table(found: list[ChannelExceptionView]) -> None:
    grid = table("Id", "Channel", "Kind", "Order", "Line", "SKU", "Detail", "Created", "Resolved", numeric=["Id"])
    for e in found:
        grid.add_row(text(e.id), text(e.channel), text(e.kind), text(e.external_order_id), text(e.external_line_id),
                     text(e.sku), text(e.detail), text(e.created_at), text(e.resolved_at))
    console().print(grid)


@channels_app.command("add")
def add(
    ctx: typer.Context,
    name: ChannelArg,
    kind: Annotated[str, typer.Option(help="shopify, amazon or generic.")],
    endpoint: Annotated[str | None, typer.Option(help="The shop's base URL, e.g. https://x.myshopify.com.")] = None,
    api_version: Annotated[str | None, typer.Option(help="e.g. 2026-01.")] = None,
    credentials: Annotated[
        str | None, typer.Option(help="Where the secrets are: env (default) or file:<absolute path> (mode 0600).")
    ] = None,
) -> None:
    """Add a sales channel (its secrets stay in the environment or a 0600 file)."""
    print_channel(services.channels.add_channel(onhand(ctx), AddChannel(
        name=name, kind=kind, endpoint=endpoint, api_version=api_version, credentials=credentials)))


@channels_app.command("list")
def list_all(ctx: typer.Context) -> None:
    """Every channel, with its last sync and error."""
    grid = table("Name", "Kind", "Endpoint", "Locations", "SKUs", "Last sync", "Last error",
                 numeric=["Locations", "SKUs"])
    for view in services.channels.list_channels(onhand(ctx)):
        grid.add_row(text(view.name), text(view.kind), text(view.endpoint), text(len(view.locations)),
                     text(len(view.skus)), text(view.last_sync_at), text(view.last_error))
    console().print(grid)


@channels_app.command("show")
def show(ctx: typer.Context, name: ChannelArg) -> None:
    """A channel and its location and SKU mappings."""
    print_channel(services.channels.show_channel(onhand(ctx), name))


@channels_app.command("map")
def map_(
    ctx: typer.Context,
    name: ChannelArg,
    location: Annotated[str | None, typer.Option(help="An Onhand location (with --to: the channel's id).")] = None,
    sku: Annotated[str | None, typer.Option(help="An Onhand SKU to map.")] = None,
    to: Annotated[str | None, typer.Option(help="The channel's location id, or its SKU (with --sku).")] = None,
    variant_id: Annotated[str | None, typer.Option(help="With --sku: the variant id there.")] = None,
    inventory_item_id: Annotated[str | None, typer.Option(help="With --sku: the inventory item id there.")] = None,
) -> None:
    """Map a location (--location NY --to 12345) or an item (--sku MUG --variant-id … --inventory-item-id …)."""
    if (location is None) == (sku is None):
        raise InvalidInput("location", "give either --location or --sku")
    if location is not None:
        if to is None:
            raise InvalidInput("to", "give the channel's location id with --to")
        view = services.channels.map_location(onhand(ctx), MapLocation(
            channel=name, location=location, external_location_id=to))
    else:
        view = services.channels.map_sku(onhand(ctx), MapSku(
            channel=name, sku=sku or "", external_sku=to, external_variant_id=variant_id,
            external_item_id=inventory_item_id))
    print_channel(view)


@channels_app.command("unmap")
def unmap(ctx: typer.Context, name: ChannelArg,
          location: Annotated[str, typer.Option(help="The Onhand location to stop feeding the channel from.")]) -> None:
    """Stop feeding a channel location from an Onhand location."""
    print_channel(services.channels.unmap_location(onhand(ctx), UnmapLocation(channel=name, location=location)))


@channels_app.command("exceptions")
def exceptions(
    ctx: typer.Context,
    channel: Annotated[str | None, typer.Option(help="Only this channel's.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Resolved ones too.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
) -> None:
    """What a channel sent that could not be applied as it stood, newest first."""
    exceptions_table(services.channel_exceptions.list_exceptions(
        onhand(ctx), channel=channel, unresolved=not all_, limit=limit))


@channels_app.command("resolve")
def resolve_one(ctx: typer.Context, name: ChannelArg,
            exception_id: Annotated[int, typer.Argument(metavar="ID", help="The exception's id.")]) -> None:
    """Mark an exception resolved."""
    exceptions_table([services.channel_exceptions.resolve_exception(
        onhand(ctx), ResolveException(channel=name, exception_id=exception_id))])


@channels_app.command("sync")
def sync(ctx: typer.Context, name: Annotated[str | None, typer.Argument(
        metavar="[CHANNEL]", help="An Amazon channel: also pull its changed orders now.")] = None) -> None:
    """Process received webhooks, push available quantities, send fulfilments — until idle
    (an Amazon channel named: pull its changed orders and send its quantities)."""
    if name is not None and services.channels.show_channel(onhand(ctx), name).kind == "amazon":
        amazon_sync(ctx, name)
        return
    report = services.channel_worker.sync(onhand(ctx))
    console().print(Text(f"Processed {report.deliveries} deliveries, pushed {report.pushes} quantities, "
                         f"sent {report.fulfilments} fulfilments."))


@channels_app.command("reconcile")
def reconcile(ctx: typer.Context, name: ChannelArg) -> None:
    """Compare every mapped item at every channel location with the shop, and correct it."""
    compared, corrected = services.channel_pushes.reconcile(onhand(ctx), name)
    console().print(Text(f"Compared {compared} quantities; corrected {corrected}."))


@channels_app.command("catch-up")
def catch_up(
    ctx: typer.Context,
    name: ChannelArg,
    since: Annotated[str, typer.Option(help="Orders updated since this moment, e.g. 2026-03-30T00:00:00Z.")],
) -> None:
    """Import the orders the channel changed since a moment (after an outage, at start-up)."""
    moment = resolve.moment(since, "since")
    if moment is None:
        raise InvalidInput("since", "give a moment, e.g. 2026-03-30T00:00:00Z")
    added = services.channel_catch_up.catch_up(onhand(ctx), name, since=moment)
    console().print(Text(f"Fetched {added} new order states; the inbox is processed."))
