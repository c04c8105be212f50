"""`onhand serve` and `onhand demo`: run the HTTP API, with or without demo data."""

from __future__ import annotations

import errno
import logging
import os
import shlex
import socket
from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.bootstrap import Onhand, serving
from onhand.config import default_database_url, default_demo_database_url
from onhand.domain.access.commands import CreateApiKey
from onhand.entrypoints.cli.cpu_placement import OFF, CpuSpecError, allowed_cores, can_pin, parse_cpus, pin_process
from onhand.entrypoints.cli.errors import PORT_IN_USE_EXIT_CODE, fail
from onhand.entrypoints.cli.keys import print_new_key
from onhand.entrypoints.cli.render import console
from onhand.entrypoints.cli.server_processes import (
    MAX_PROCESSES,
    SERVE_LOG_FORMAT,
    address_family,
    refuse_sqlite,
    run_processes,
)
from onhand.entrypoints.cli.session import Session, onhand, redact, session
from onhand.entrypoints.cli.worker import NightlyJournals, worker_in_background

Host = Annotated[str, typer.Option(help="Interface to listen on.")]
Port = Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")]
Processes = Annotated[int, typer.Option(
    "--processes", min=1, max=MAX_PROCESSES, envvar="ONHAND_SERVE_PROCESSES",
    help="Server processes answering on the one port (PostgreSQL only: SQLite is served by one). Default 1.")]
Cpus = Annotated[str, typer.Option(
    "--cpus", envvar="ONHAND_SERVE_CPUS",
    help="Keep each server process on one core: off (default), auto (one each of the cores this process may "
    "use, from the last), or a list such as 1 or 0,2-3 (process i takes the i-th, in turn). For a host that "
    "runs Onhand's server alone: see docs/architecture.md, 'One core per server process'.")]


def server_cores(spec: str) -> tuple[int, ...]:
    """The cores of --cpus (empty: off), refused with the reason before any work."""
    if spec.strip().lower() in ("", OFF):
        return ()
    if not can_pin():
        raise typer.BadParameter("this system cannot keep a process on chosen cores; use off",
                                 param_hint="'--cpus'")
    try:
        return parse_cpus(spec, allowed_cores())
    except CpuSpecError as error:
        raise typer.BadParameter(str(error), param_hint="'--cpus'") from None


def ensure_port_free(host: str, port: int) -> None:
    """Refuse (exit 8) before any work when another process listens on `port`, as uvicorn
    would only after the database is open and the demo loaded."""
    with socket.socket(address_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise fail(f"--host: cannot listen on {host}:{port}: {error.strerror}", 1) from None
            raise fail(f"--port: {host}:{port} is in use by another process; choose another with --port",
                       PORT_IN_USE_EXIT_CODE) from None


def run_server(target: Onhand, host: str, port: int) -> None:
    """Serve the HTTP API on `target` until interrupted."""
    # Imported here: the CLI starts fast and works without the web stack loaded.
    import uvicorn

    from onhand.config import ApiLimits
    from onhand.entrypoints.api.app import SERVER_OPTIONS, create_app
    from onhand.entrypoints.heap import freeze_start_up_heap
    from onhand.entrypoints.start_up import warm_up

    # One line per request comes from the app's request log (onhand.api.requests), with
    # its id and the key's name; uvicorn's own access log would repeat it without them.
    logging.basicConfig(level=logging.INFO, format=SERVE_LOG_FORMAT)
    # The worker (in this process or not) keeps `target`: a transaction per write.
    with serving(target) as served:
        app = create_app(served, limits=ApiLimits.from_env())
        warm_up(app)
        freeze_start_up_heap()
        uvicorn.run(app, host=host, port=port, access_log=False, **SERVER_OPTIONS)


def serve(
    ctx: typer.Context,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    worker: Annotated[bool | None, typer.Option(
        "--worker/--no-worker",
        help="Run the worker (followers, webhook deliveries) in this process too; default: on for SQLite, "
        "off for PostgreSQL (run `onhand worker` processes there).")] = None,
    nightly_journals: NightlyJournals = None,
    processes: Processes = 1,
    cpus: Cpus = OFF,
) -> None:
    """Run the HTTP API (docs at /docs)."""
    refuse_sqlite(session(ctx).database_url, processes)
    cores = server_cores(cpus)
    ensure_port_free(host, port)
    if processes == 1:
        if cores:  # this process serves (and its worker, if any, shares its core)
            pin_process(os.getpid(), cores[0])
        serve_with_worker(onhand(ctx), host, port, worker, nightly_journals=nightly_journals)
        return
    target = onhand(ctx)  # the schema brought up to date once, before any child opens it
    if not worker:
        target.engine.dispose()  # the parent keeps no idle connection while its children serve
        run_processes(session(ctx).database_url, host, port, processes, cores=cores)
        return
    with worker_in_background(target, nightly_journals=nightly_journals):
        run_processes(session(ctx).database_url, host, port, processes, cores=cores)


def serve_with_worker(
    target: Onhand, host: str, port: int, worker: bool | None = None, *, nightly_journals: int | None = None
) -> None:
    """The API, with the worker in-process when asked (None: on SQLite, which needs no other process)."""
    if worker is None:
        worker = target.engine.dialect.name == "sqlite"
    if not worker:
        run_server(target, host, port)
        return
    with worker_in_background(target, nightly_journals=nightly_journals):
        run_server(target, host, port)


def cli_hint(current: Session, *args: str) -> str:
    """The `onhand ...` command a user would type against this same database."""
    words = ["onhand"]
    if current.database_url != default_database_url():
        words += ["--database-url", redact(current.database_url)]
    return shlex.join([*words, *args])


def demo(
    ctx: typer.Context,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    serve_api: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the API after loading (default) or stop.")
    ] = True,
) -> None:
    """Load the demo company into its own database, create an admin key and a demo sign-in, serve.

    The demo's database is a SQLite file of its own (demo.db beside the company's onhand.db
    in the user data directory) unless --database-url or ONHAND_DATABASE_URL names one; the
    demo data is loaded only into a database without items."""
    if serve_api:
        ensure_port_free(host, port)
    current = session(ctx)
    current.use_default(default_demo_database_url())
    target = current.onhand
    summary = services.demo.load_demo_data(target)
    out = console()
    if summary.loaded:
        out.print(Text(
            f"Loaded demo data for {summary.company}: {summary.locations} locations, "
            f"{summary.items} items, {summary.postings} postings.", style="green",
        ))
    else:
        out.print(Text("The database already has items; demo data not loaded.", style="yellow"))
    out.print(Text(f"Database: {redact(current.database_url)}"))
    print_new_key(services.keys.create_api_key(target, CreateApiKey(name="demo", role="admin")))
    sign_in = services.demo.demo_sign_in(target)
    out.print(Text(f"Sign in to the web app at http://{host}:{port}/ as {sign_in.user.email} with the password "
                   "(shown only now; a new one on every `onhand demo`):", style="bold"))
    typer.echo(sign_in.password)
    from onhand.entrypoints.api.app import API_PREFIX

    base = f"http://{host}:{port}"
    sku = summary.example_sku
    out.print(Text("\nWhere to look:", style="bold"))
    for line in (
        f"  Web app:      {base}/",
        f"  API docs:     {base}/docs",
        f"  OpenAPI:      {base}/openapi.json",
        f'  With the key: curl -H "Authorization: Bearer <secret above>" '
        f'"{base}{API_PREFIX}/stock?sku={sku}"',
        f"  In a shell:   {cli_hint(current, 'stock', '--sku', sku, '--group-by', 'location')}",
        f"                {cli_hint(current, 'history', '--sku', sku)}",
        f"                {cli_hint(current, 'transfers', 'list')}",
    ):
        out.print(Text(line), soft_wrap=True)
    if serve_api:
        serve_with_worker(target, host, port)
