"""`onhand customers …`, `onhand trace forward|backward`, `onhand recalls report|start|release|list|show`,
`onhand expiring`, `onhand expired`: customers as records, traces through builds, recalls.

Lots are named `SKU:LOT` (repeat `--lot` for several); a report prints as a tree (who has
it, where the rest is, what was built from it), or `--format json|csv`.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any

import typer
from rich.tree import Tree

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.commands import CreateCustomer, UpdateCustomer
from onhand.domain.orders.customers import Customer, CustomerAddress
from onhand.domain.traceability.commands import LotRef, RecallLots, ReleaseRecall
from onhand.entrypoints.cli.render import console, local, moment, quantity, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.reports.expiry import ExpiringStock
from onhand.services.traceability.report_csv import recall_report_csv
from onhand.services.traceability.views import BackwardTrace, ForwardTrace, RecallReport, RecallView

customers_app = typer.Typer(help="Customers: add, list, show, change.", no_args_is_help=True)
trace_app = typer.Typer(help="Trace lots forward (who received them) and backward (where they came from).",
                        no_args_is_help=True)
recall_app = typer.Typer(help="Recall reports, and recalls or quarantines in one action.", no_args_is_help=True)

LotsOption = Annotated[list[str], typer.Option("--lot", help="SKU:LOT of a lot or serial; repeat for several.")]
SupplierLotOption = Annotated[str | None, typer.Option(help="The supplier's batch number instead of --lot.")]
FormatOption = Annotated[str, typer.Option("--format", help="tree, json or csv.")]


def lot_refs(values: list[str]) -> list[LotRef]:
    refs = []
    for index, value in enumerate(values):
        sku, sep, code = value.rpartition(":")
        if not sep or not sku or not code:
            raise InvalidInput(f"lot[{index}]", f"{value!r} is not SKU:LOT")
        refs.append(LotRef(sku, code))
    return refs


def as_json(value: Any) -> str:
    return json.dumps(dataclasses.asdict(value), indent=2, default=str, ensure_ascii=False)


# --- customers -------------------------------------------------------------------------


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


# --- traces ----------------------------------------------------------------------------


def _holds(holds: tuple[Any, ...]) -> str:
    return ", ".join(f"{h.quantity} of {h.sku}/{h.lot}" for h in holds)


def forward_tree(trace: ForwardTrace, report: RecallReport | None = None) -> Tree:
    names = ", ".join(f"{o.sku}/{o.lot}" for o in trace.origins)
    root = Tree(f"[bold]{'Recall report' if report else 'Forward trace'}: {names}[/bold]")
    if report is not None:
        who = root.add(f"Customers ({len({(c.customer_code, c.customer) for c in report.customers})})")
        for c in report.customers:
            inside = f" (inside products: {c.inside_products})" if c.inside_products else ""
            who.add(text(f"{c.customer or '-'} {c.customer_code or ''} {c.email or ''}: {c.total} of "
                         f"{c.sku}/{c.lot}{inside}; orders {', '.join(c.orders)}; "
                         f"{local(c.first_shipped):%Y-%m-%d}–{local(c.last_shipped):%Y-%m-%d}"))
    shipped = root.add(f"Shipments and returns ({len(trace.deliveries)})")
    for d in trace.deliveries:
        to = ", ".join(p for p in (d.ship_to.line1, d.ship_to.city, d.ship_to.country) if p)
        shipped.add(text(f"{local(d.at):%Y-%m-%d} {d.kind} {d.document} order {d.order}/{d.line_no}: "
                         f"{quantity(d.quantity, d.sku)} "
                         f"{d.sku}/{d.lot} {'to' if d.kind == 'shipment' else 'from'} {d.customer or '-'}"
                         f"{' (' + to + ')' if to else ''} — holds {_holds(d.holds)}"))
    held = root.add("Still held")
    for s in trace.stock:
        where = "in transit at" if s.in_transit else "at"
        held.add(text(f"{s.on_hand} {s.sku}/{s.lot} {where} {s.location} (reserved {s.reserved}) — holds "
                      f"{_holds(s.holds)}"))
    built = root.add("Built from it")
    for lot in trace.lots:
        if lot.depth:
            built.add(text(f"{lot.sku}/{lot.lot} (level {lot.depth}, {lot.status}): one holds {_holds(lot.holds)}"))
    books = root.add("Every unit")
    for a in trace.accounts:
        books.add(text(
            f"{a.sku}/{a.lot}: received {a.received} + found {a.found} = customers {a.with_customers} + on hand "
            f"{a.on_hand} + in transit {a.in_transit} + into builds {a.consumed} + scrapped {a.scrapped} + "
            f"lost {a.lost} + back to supplier {a.returned_to_supplier}; inside products: customers "
            f"{a.inside_products_with_customers}, on hand {a.inside_products_on_hand}, in transit "
            f"{a.inside_products_in_transit}, scrapped or lost {a.inside_products_scrapped}"))
    return root


def backward_tree(trace: BackwardTrace) -> Tree:
    root = Tree(f"[bold]Backward trace: {trace.start}[/bold]")
    lots = root.add("Lots")
    for lot in trace.lots:
        lots.add(text(f"{'  ' * lot.depth}{lot.sku}/{lot.lot} (level {lot.depth}, {lot.status}"
                      f"{', supplier lot ' + lot.supplier_lot if lot.supplier_lot else ''})"))
    builds = root.add("Built from")
    for b in trace.builds:
        builds.add(text(f"{b.sku}/{b.lot} ← {b.quantity} {b.component_sku}/{b.component_lot or '-'}"))
    receipts = root.add("Receipts")
    for r in trace.receipts:
        receipts.add(text(f"{local(r.at):%Y-%m-%d} {r.receipt} on {r.purchase_order} from {r.supplier} "
                          f"({r.supplier_code})"
                          f": {quantity(r.quantity, r.sku)} {r.sku}/{r.lot}, supplier lot {r.supplier_lot or '-'}"))
    return root


def _print(value: Any, fmt: str, tree: Any, csv: Any = None) -> None:
    if fmt == "json":
        typer.echo(as_json(value))
    elif fmt == "csv" and csv is not None:
        typer.echo(csv(value), nl=False)
    elif fmt == "tree":
        console().print(tree(value))
    else:
        raise InvalidInput("format", "must be tree or json" + (" or csv" if csv else ""))


@trace_app.command("forward")
def trace_forward(
    ctx: typer.Context, lot: LotsOption = [], supplier_lot: SupplierLotOption = None,  # noqa: B006
    fmt: FormatOption = "tree",
) -> None:
    """Where lots went: transfers, builds (and the lots built, recursively), shipments, returns."""
    trace = services.traces.trace_forward(onhand(ctx), lots=lot_refs(lot), supplier_lot=supplier_lot)
    _print(trace, fmt, forward_tree)


@trace_app.command("backward")
def trace_backward(
    ctx: typer.Context,
    lot: Annotated[
        str | None, typer.Option(help="A lot or serial code (with --sku unless only one item has it).")
    ] = None,
    sku: Annotated[str | None, typer.Option()] = None,
    order: Annotated[str | None, typer.Option(help="A sales order.")] = None,
    line: Annotated[int | None, typer.Option(help="A line of --order.")] = None,
    shipment: Annotated[int | None, typer.Option(help="A shipment's id.")] = None,
    fmt: FormatOption = "tree",
) -> None:
    """Where a lot, a serial, a shipment, an order or an order line came from, down to the receipts."""
    trace = services.traces.trace_backward(onhand(ctx), sku=sku, lot=lot, order=order, line_no=line,
                                           shipment=shipment)
    _print(trace, fmt, backward_tree)


# --- recalls ---------------------------------------------------------------------------


@recall_app.command("report")
def recall_report(
    ctx: typer.Context, lot: LotsOption = [], supplier_lot: SupplierLotOption = None,  # noqa: B006
    fmt: FormatOption = "tree",
) -> None:
    """Who received the lots (directly or inside products), and where the rest is."""
    report = services.traces.recall_report(onhand(ctx), lots=lot_refs(lot), supplier_lot=supplier_lot)
    _print(report, fmt, lambda r: forward_tree(r.trace, r), recall_report_csv)


def recall_table(recall: RecallView) -> None:
    grid = table("SKU", "Lot", "Level", "Was", "Now", title=f"Recall {recall.reference} ({recall.status})"
                 + (f", released {moment(recall.released_at)}" if recall.released_at else ""), key="recall")
    for lot in recall.lots:
        grid.add_row(text(lot.sku), text(lot.lot), text(lot.depth), text(lot.previous_status), text(lot.status))
    out = console()
    out.print(grid)
    if recall.quarantine_location:
        out.print(f"Stock moved to {recall.quarantine_location} (posting #{recall.quarantine_posting_id})"
                  + (f"; moved back (posting #{recall.release_posting_id})" if recall.release_posting_id else ""))
    if recall.short:
        short = table("Order", "Line", "SKU", "Short", title="Orders left short", numeric=("Short",))
        for s in recall.short:
            short.add_row(text(s.order), text(s.line_no), text(s.sku), text(s.backordered))
        out.print(short)


@recall_app.command("start")
def start_recall(
    ctx: typer.Context, lot: LotsOption = [], supplier_lot: SupplierLotOption = None,  # noqa: B006
    quarantine: Annotated[str | None, typer.Option(help="Move the stock on hand to this non-sellable place.")] = None,
    status: Annotated[str, typer.Option(help="recalled or quarantined.")] = "recalled",
    reference: Annotated[str | None, typer.Option(help="Default: the next RC-000001.")] = None,
    note: Annotated[str | None, typer.Option()] = None,
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retried command safe.")] = None,
) -> None:
    """Recall (or quarantine) lots and every lot built from them, at once."""
    command = RecallLots(lots=tuple(lot_refs(lot)), supplier_lot=supplier_lot, status=status,
                         quarantine_location=quarantine, reference=reference, note=note)
    recall_table(services.recalls.recall_lots(onhand(ctx), command, idempotency_key=idempotency_key))


@recall_app.command("release")
def release_recall(
    ctx: typer.Context, reference: Annotated[str, typer.Argument(help="The recall.")],
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retried command safe.")] = None,
) -> None:
    """Give the lots their status, and the stock in quarantine its place, back."""
    recall_table(services.recalls.release_recall(
        onhand(ctx), ReleaseRecall(reference), idempotency_key=idempotency_key))


@recall_app.command("show")
def show_recall(ctx: typer.Context, reference: Annotated[str, typer.Argument(help="The recall.")]) -> None:
    """One recall."""
    recall_table(services.recalls.get_recall(onhand(ctx), reference))


@recall_app.command("list")
def list_recalls(ctx: typer.Context) -> None:
    """Recalls, newest first."""
    grid = table("Reference", "Status", "Lots", "Created", "Released", title="Recalls")
    for r in services.recalls.list_recalls(onhand(ctx)):
        grid.add_row(text(r.reference), text(r.status), text(", ".join(f"{lot.sku}/{lot.lot}" for lot in r.lots)),
                     text(r.created_at), text(r.released_at))
    console().print(grid)


# --- expiry ----------------------------------------------------------------------------


def expiry_table(rows: list[ExpiringStock], title: str) -> None:
    grid = table("SKU", "Lot", "Expiry", "Days left", "Status", "Location", "On hand", "Reserved", title=title,
                 numeric=("Days left", "On hand", "Reserved"))
    for r in rows:
        days = text(r.days_left)
        if r.expired:
            days.stylize("red")
        grid.add_row(text(r.sku), text(r.lot), text(r.expiry_date), days, text(r.status), text(r.location),
                     text(r.on_hand), text(r.reserved))
    console().print(grid)


def expiring(
    ctx: typer.Context, days: Annotated[int, typer.Option(help="Expiring within this many days (0-3650).")] = 30
) -> None:
    """Stock of lots expiring soon, and of expired lots still on hand."""
    expiry_table(services.expiry.expiring_stock(onhand(ctx), days=days), f"Expiring within {days} days")


def expired(ctx: typer.Context) -> None:
    """Stock of expired lots still on hand."""
    expiry_table(services.expiry.expired_stock(onhand(ctx)), "Expired, still on hand")
