"""Fixtures for end-to-end tests.

API (`api_*`): a real uvicorn server on 127.0.0.1 in a background thread (one per test
process), serving `create_app(onhand)` for the test's parametrized `onhand` (SQLite, and
PostgreSQL when ONHAND_TEST_DATABASE_URL is set), and httpx clients holding an admin,
operator or viewer key.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal, cast

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from onhand import services
from onhand.adapters.tls import tls_context
from onhand.bootstrap import Onhand
from onhand.config import ApiLimits
from onhand.domain.access.commands import CreateApiKey
from onhand.domain.catalog.commands import CreateItem, CreateLocation, SetLocationRouting
from onhand.domain.ledger.commands import PostAdjustment
from onhand.entrypoints.api.app import SERVER_OPTIONS, create_app
from onhand.entrypoints.api.throttle import AuthFailureThrottle
from tests.e2e.cli_runner import PrebuiltCliRunner

# ---------------------------------------------------------------------------- API


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM (a server's children stop with it), SIGKILL only if that does not end it in a minute."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serve_api(app: Callable[..., Any], lifespan: Literal["on", "off"] = "on") -> Iterator[str]:
    """Serve `app` with uvicorn on a free 127.0.0.1 port in a daemon thread; yield its URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit it: without it every response waits ~40 ms for the
    # client's delayed ACK (Nagle), 100 times the 0.5 ms a request takes here.
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_config=None, log_level="warning", lifespan=lifespan, **SERVER_OPTIONS)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


class AppSwitch:
    """An ASGI app handing every request to the app of the test running now, so one
    server serves a whole test session (starting one takes 0.2 s) while each test's
    requests still cross real HTTP to its own app and database."""

    def __init__(self) -> None:
        self.app: FastAPI | None = None
        self._running = 0
        self._idle = threading.Condition()

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        app = self.app
        if app is None:
            raise RuntimeError("a request reached the test server between tests")
        with self._idle:
            self._running += 1
        try:
            await app(scope, receive, send)
        finally:
            with self._idle:
                self._running -= 1
                self._idle.notify_all()

    def wait_until_idle(self, timeout: float = 10.0) -> None:
        """Wait for the requests still running (a browser's last htmx request may outlive
        its test): the test's database must not be closed under them, leaking a connection."""
        with self._idle:
            self._idle.wait_for(lambda: self._running == 0, timeout)


@pytest.fixture(scope="session")
def api_server() -> Iterator[tuple[AppSwitch, str]]:
    """One uvicorn server per test process; its start and stop are tested where
    `serve_api` is called directly."""
    switch = AppSwitch()
    with serve_api(switch, lifespan="off") as url:
        yield switch, url


@pytest.fixture(scope="session")
def api_app() -> FastAPI:
    """One app with the default limits per test process, pointed at each test's Onhand.

    FastAPI builds a route's parameters and models (pydantic schemas) the first time a
    request is matched against it, once per app: a new app per test paid that again in
    every test, about half of what an HTTP test cost."""
    return create_app(cast(Onhand, None))


def point_app(app: FastAPI, onhand: Onhand) -> FastAPI:
    """`app` serving `onhand`, with the state `create_app` gives a new app (a fresh throttle)."""
    limits = ApiLimits()  # what create_app uses when given none
    app.state.onhand = onhand
    app.state.auth_throttle = AuthFailureThrottle(limits.auth_failures_per_second, limits.auth_failure_burst)
    return app


@contextmanager
def as_served(onhand: Onhand) -> Iterator[Onhand]:
    """`onhand` as a server runs it: its writes group-committed (adapters/db/group_commit.py),
    unless ONHAND_TEST_GROUP_COMMIT=off runs the HTTP tests with a transaction per write."""
    if os.environ.get("ONHAND_TEST_GROUP_COMMIT", "on").strip().lower() == "off":
        yield onhand
        return
    with onhand.grouping_writes() as grouped:
        yield grouped


@pytest.fixture
def api_url(api_server: tuple[AppSwitch, str], api_app: FastAPI, onhand: Onhand) -> Iterator[str]:
    switch, url = api_server
    with as_served(onhand) as served:
        switch.app = point_app(api_app, served)
        try:
            yield url
        finally:
            switch.app = None
            switch.wait_until_idle()
            api_app.state.onhand = None


class ApiKeys:
    """An admin, an operator and a viewer key, each made when a test first asks for it
    (most tests use one)."""

    def __init__(self, onhand: Onhand) -> None:
        self._onhand = onhand

    def _secret(self, role: str) -> str:
        return services.keys.create_api_key(self._onhand, CreateApiKey(name=f"{role} key", role=role)).secret

    @cached_property
    def admin(self) -> str:
        return self._secret("admin")

    @cached_property
    def operator(self) -> str:
        return self._secret("operator")

    @cached_property
    def viewer(self) -> str:
        return self._secret("viewer")


@pytest.fixture
def api_keys(onhand: Onhand) -> ApiKeys:
    return ApiKeys(onhand)


ClientFactory = Callable[[str | None], httpx.Client]


@pytest.fixture
def api_client_for(api_url: str) -> Iterator[ClientFactory]:
    """Make a client sending `Authorization: Bearer <secret>` (none for None)."""
    clients: list[httpx.Client] = []

    def make(secret: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        client = httpx.Client(base_url=api_url, headers=headers, timeout=30, verify=tls_context())
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api_admin(api_client_for: ClientFactory, api_keys: ApiKeys) -> httpx.Client:
    return api_client_for(api_keys.admin)


@pytest.fixture
def api_operator(api_client_for: ClientFactory, api_keys: ApiKeys) -> httpx.Client:
    return api_client_for(api_keys.operator)


@pytest.fixture
def api_viewer(api_client_for: ClientFactory, api_keys: ApiKeys) -> httpx.Client:
    return api_client_for(api_keys.viewer)


@pytest.fixture
def api_anonymous(api_client_for: ClientFactory) -> httpx.Client:
    return api_client_for(None)


LedgerState = tuple[int, tuple[tuple[str, str | None, str | None, Decimal], ...]]


@pytest.fixture
def api_ledger_state(onhand: Onhand) -> Callable[[], LedgerState]:
    """Moves in the ledger and every balance, read through the services (not the API)."""

    def state() -> LedgerState:
        report = services.integrity.verify(onhand)
        assert report.ok, report
        levels = services.stock.stock_levels(onhand, group_by="balance").levels
        return report.moves_checked, tuple((lv.sku, lv.location, lv.lot, lv.on_hand) for lv in levels)

    return state


@pytest.fixture
def api_stocked(onhand: Onhand) -> Onhand:
    """A warehouse NY with a bin NY-A1, a store LA, and stock set up through the services:

    TEA-1 (each): 10 at NY.  RICE-5 (kg): 2.5 at NY.
    HONEY (lot-tracked): lot H1 (expires 2026-12-31) 6 at NY.
    """
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.locations.create_location(onhand, CreateLocation(code="NY-A1", name="Aisle A1", kind="bin", parent="NY"))
    services.locations.create_location(onhand, CreateLocation(code="LA", name="Los Angeles", kind="store"))
    services.items.create_item(onhand, CreateItem(sku="TEA-1", name="Green tea", unit="each"))
    services.items.create_item(onhand, CreateItem(sku="RICE-5", name="Rice", unit="kg"))
    services.items.create_item(onhand, CreateItem(sku="HONEY", name="Honey", unit="each", tracking="lot"))
    line = services.postings.StockLine
    services.adjustments.post_adjustment(
        onhand, PostAdjustment(location="NY", reason="found",
        lines=[
            line("TEA-1", "10"), line("RICE-5", "2.5"),
            line("HONEY", "6", lot="H1", expiry_date="2026-12-31"),
        ]),
    )
    return onhand


@pytest.fixture
def api_two_sites(onhand: Onhand) -> Onhand:
    """Two warehouses for sales orders, set up through the services (the clock says 2026-03-02):

    NY (New York, 40.71 -74.01) with bins NY-B1 (walked first), NY-A1 (walked second)
    and a non-sellable bin NY-RETURNS; LA (Los Angeles, 34.05 -118.24).
    TEA (each): 5 at NY-A1, 20 at LA.
    HONEY (lot-tracked): at NY-B1 H-EARLY (expires 2026-09-30) 4 and H-OLD (expired
    2026-02-01) 3; at NY-A1 H-LATE (2027-06-30) 4 and H-ALT (2027-12-31) 3; at LA
    H-LA (2026-05-01) 20.
    """
    locations = services.locations
    locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    locations.create_location(onhand, CreateLocation(code="NY-A1", name="Aisle A1", kind="bin", parent="NY"))
    locations.create_location(onhand, CreateLocation(code="NY-B1", name="Aisle B1", kind="bin", parent="NY"))
    locations.create_location(
        onhand, CreateLocation(code="NY-RETURNS", name="Returns cage", kind="bin", parent="NY", sellable=False)
    )
    locations.create_location(onhand, CreateLocation(code="LA", name="Los Angeles", kind="warehouse"))
    locations.set_location_routing(onhand, SetLocationRouting(code="NY", latitude=40.71, longitude=-74.01))
    locations.set_location_routing(onhand, SetLocationRouting(code="LA", latitude=34.05, longitude=-118.24))
    locations.set_location_routing(onhand, SetLocationRouting(code="NY-B1", walk_order=1))
    locations.set_location_routing(onhand, SetLocationRouting(code="NY-A1", walk_order=2))
    services.items.create_item(onhand, CreateItem(sku="TEA", name="Green tea"))
    services.items.create_item(onhand, CreateItem(sku="HONEY", name="Honey", tracking="lot"))
    line = services.postings.StockLine
    for location, lines in (
        ("NY-A1", [line("TEA", "5"), line("HONEY", "4", lot="H-LATE", expiry_date="2027-06-30"),
                   line("HONEY", "3", lot="H-ALT", expiry_date="2027-12-31")]),
        ("NY-B1", [line("HONEY", "4", lot="H-EARLY", expiry_date="2026-09-30"),
                   line("HONEY", "3", lot="H-OLD", expiry_date="2026-02-01")]),
        ("LA", [line("TEA", "20"), line("HONEY", "20", lot="H-LA", expiry_date="2026-05-01")]),
    ):
        services.adjustments.post_adjustment(onhand, PostAdjustment(location=location, reason="found", lines=lines))
    return onhand


OrderBooks = tuple[int, tuple[tuple[object, ...], ...], tuple[tuple[object, ...], ...]]


@pytest.fixture
def api_order_books(onhand: Onhand) -> Callable[[], OrderBooks]:
    """Moves in the ledger, every balance with what is reserved of it, and every order line's
    progress, read through the services (not the API); the books must verify."""

    def books() -> OrderBooks:
        report = services.integrity.verify(onhand)
        assert report.ok, report
        levels = services.stock.stock_levels(onhand, group_by="balance").levels
        orders = services.sales_orders.list_orders(onhand, limit=1000)
        return (
            report.moves_checked,
            tuple((lv.sku, lv.location, lv.lot, lv.on_hand, lv.reserved) for lv in levels),
            tuple(
                (order.reference, order.status, line.line_no, line.quantity, line.reserved, line.picked,
                 line.shipped, line.returned, len(order.packages), len(order.shipments))
                for order in orders for line in order.lines
            ),
        )

    return books


# ---------------------------------------------------------------------------- CLI
# (`cli_*`): the `onhand` Typer app run in-process with `--database-url` set to the
# test's parametrized database, so every CLI test runs on SQLite and PostgreSQL.


@dataclass(frozen=True)
class CliOutcome:
    exit_code: int
    stdout: str
    stderr: str

    def rows(self) -> list[list[str]]:
        """The cells of every body row of the Rich tables printed on stdout."""
        return [
            [cell.strip() for cell in line.strip().strip("│").split("│")]
            for line in self.stdout.splitlines()
            if line.startswith("│")
        ]

    def row(self, *leading: str) -> list[str]:
        """The one table row whose first cells are `leading`."""
        found = [cells for cells in self.rows() if cells[: len(leading)] == list(leading)]
        assert len(found) == 1, f"expected one row starting {leading}, got {found}\n{self.stdout}"
        return found[0]


# Wide Rich tables without colour or style whatever the terminal running the tests says: the
# CLI prints them on a terminal (TTY_COMPATIBLE=1 says it is one, TERM=dumb one without
# styles, LINES beside COLUMNS its size: a dumb one is 80x25 otherwise), tab-separated lines
# in a pipe.
CLI_ENV = {
    "COLUMNS": "240", "LINES": "50", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": "1", "TERM": "dumb",
}


@pytest.fixture(scope="session")
def cli_runner() -> PrebuiltCliRunner:
    from onhand.entrypoints.cli.main import app

    return PrebuiltCliRunner(app)


CliRun = Callable[..., CliOutcome]


def cli_on(runner: PrebuiltCliRunner, database_url: str) -> CliRun:
    """Run `onhand --database-url <database_url> ARGS...` and capture what it printed."""

    def run(*args: str, color: bool = False) -> CliOutcome:
        env = {**CLI_ENV, "NO_COLOR": None, "FORCE_COLOR": "1", "TERM": None} if color else CLI_ENV
        result = runner.run(["--database-url", database_url, *args], env=env, catch_exceptions=False)
        return CliOutcome(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def cli_run(cli_runner: PrebuiltCliRunner, database_url: str) -> CliRun:
    """Run the CLI on the test's database."""
    return cli_on(cli_runner, database_url)


# ---------------------------------------------------------------------------- web app


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test, so a fixture can tell that its test failed
    (the browser tests save a screenshot then)."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def web_clients(api_url: str) -> Iterator[Any]:
    """Signed-in httpx clients of the web app (tests/e2e/web_client.py), closed after the test."""
    from tests.e2e.web_client import WebClients

    clients = WebClients(api_url)
    try:
        yield clients
    finally:
        clients.close()
