"""`onhand amazon sync|backfill|fba-sync|reconcile|worker`: an Amazon channel's orders in,
merchant-fulfilled quantities out, FBA stock counted to Amazon's report. Secrets are read
where the channel's `credentials` point and never printed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from onhand.adapters.channels.amazon.client import AmazonClient
from onhand.adapters.channels.amazon.connect import amazon_client
from onhand.adapters.channels.amazon.flat_file import parse_order_report
from onhand.adapters.channels.amazon.inventory_report import parse_inventory_report
from onhand.domain.channels.amazon import ChannelConnection
from onhand.domain.errors import InvalidInput
from onhand.entrypoints.cli.session import onhand
from onhand.services.channels import amazon_fba, amazon_pushes, amazon_sync, amazon_worker
from onhand.services.context import ServiceContext

amazon_app = typer.Typer(help="Amazon (Selling Partner API): orders in, quantities out, FBA stock.",
                         no_args_is_help=True)

ChannelArg = Annotated[str, typer.Argument(metavar="CHANNEL", help="The Amazon channel's name.")]
ReportArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                           help="The report as Amazon gives it (tab-separated, UTF-8).")]
MAX_REPORT = 200 * 1024 * 1024


def _read(path: Path) -> str:
    if path.stat().st_size > MAX_REPORT:
        raise InvalidInput("report", f"{path} is larger than {MAX_REPORT // (1024 * 1024)} MB")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("report", f"{path} is not a UTF-8 text file") from None


def _round(service: ServiceContext, name: str) -> amazon_worker.Round:
    client = amazon_client(amazon_sync.amazon_connection(service, name))
    try:
        return amazon_worker.sync_channel(service, name, client)
    finally:
        client.close()


class AmazonSender:
    """`onhand worker`'s Amazon round, as `onhand amazon worker` runs it: at most every
    `interval` seconds (orders when due, quantities each round), one client per channel."""

    def __init__(self, interval: float = 5.0) -> None:
        self._interval = interval
        self._next = 0.0
        self._clients: dict[str, AmazonClient] = {}

    def _connect(self, connection: ChannelConnection) -> AmazonClient:
        if connection.name not in self._clients:
            self._clients[connection.name] = amazon_client(connection)
        return self._clients[connection.name]

    def __call__(self, service: ServiceContext) -> int:
        if time.monotonic() < self._next:
            return 0
        self._next = time.monotonic() + self._interval
        done = 0
        for step in amazon_worker.run_amazon_round(service, self._connect):
            done += step.orders.orders if step.orders else 0
            done += step.pushed.sent + step.pushed.failed if step.pushed else 0
        return done


def print_round(done: amazon_worker.Round) -> None:
    parts = [done.channel]
    if done.orders is not None:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(done.orders.outcomes.items())) or "none changed"
        parts.append(f"orders: {done.orders.orders} read ({counts}), next from {done.orders.cursor}")
    if done.pushed is not None:
        parts.append(f"quantities: {done.pushed.sent} sent, {done.pushed.failed} failed")
    if done.error:
        parts.append(f"error: {done.error}")
    typer.echo("; ".join(parts))


@amazon_app.command("sync")
def sync(ctx: typer.Context, name: ChannelArg) -> None:
    """Pull orders changed since the last sync, then send changed quantities."""
    print_round(_round(onhand(ctx), name))


@amazon_app.command("backfill")
def backfill(ctx: typer.Context, name: ChannelArg, report: ReportArg) -> None:
    """Import the orders of a GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL report, once each."""
    result = amazon_sync.backfill_amazon_orders(onhand(ctx), name, parse_order_report(_read(report)))
    counts = ", ".join(f"{n} {what}" for what, n in sorted(result.outcomes.items()))
    typer.echo(f"{result.channel}: {result.orders} orders ({counts or 'none'})")


@amazon_app.command("fba-sync")
def fba_sync(ctx: typer.Context, name: ChannelArg, report: ReportArg) -> None:
    """Count the FBA location to a GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA report (reason channel_sync)."""
    posting, unknown = amazon_fba.sync_fba_stock(onhand(ctx), name, parse_inventory_report(_read(report)))
    typer.echo(f"posting {posting.id}: {len(posting.moves)} move(s)")
    if unknown:
        typer.echo(f"not mapped, left alone: {', '.join(unknown[:20])}{' …' if len(unknown) > 20 else ''}")


@amazon_app.command("reconcile")
def reconcile(ctx: typer.Context, name: ChannelArg) -> None:
    """Queue every mapped SKU's quantity (what Amazon has not accepted yet is sent)."""
    service = onhand(ctx)
    queued = amazon_pushes.queue_all_amazon_quantities(service, name)
    client = amazon_client(amazon_sync.amazon_connection(service, name))
    try:
        sent = amazon_pushes.send_amazon_quantities(service, name, client)
    finally:
        client.close()
    typer.echo(f"{queued} SKU(s) compared; {sent.sent} sent, {sent.failed} failed")


@amazon_app.command("worker")
def worker(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="One round, then stop.")] = False,
    interval: Annotated[float, typer.Option(min=1.0, max=3600.0, help="Seconds between rounds.")] = 5.0,
) -> None:
    """Poll every Amazon channel: orders when due (every 2 minutes), quantities each round."""
    service = onhand(ctx)
    clients: dict[str, AmazonClient] = {}

    def connect(connection: ChannelConnection) -> AmazonClient:
        if connection.name not in clients:
            clients[connection.name] = amazon_client(connection)
        return clients[connection.name]

    try:
        while True:  # Ctrl-C stops
            for done in amazon_worker.run_amazon_round(service, connect):
                print_round(done)
            if once:
                return
            time.sleep(interval)
    finally:
        for client in clients.values():
            client.close()
