"""`onhand serve --processes N`: N server processes answering on one port.

The parent binds N sockets to the port, one a child (`SO_REUSEPORT`), and hands each to its
child, run by uvicorn's own supervisor (`uvicorn.supervisors.Multiprocess`, `OneSocketEach`):
SIGINT or SIGTERM to the parent stops them all and waits for them; a child that dies is
replaced, on its socket (the parent keeps it listening meanwhile: no connection is lost).
With one socket shared by all, the child that woke first took every connection waiting:
32 clients connecting at once were all served by one of two processes, the other idle. With
a socket each, the kernel spreads connections over them. The children are spawned, not
forked: each is a fresh interpreter that opens its own engine when it builds its app
(`app_on`), so no connection pool crosses a process boundary. They serve nothing else: the
in-process worker, when asked for, runs in the parent, once. A child whose parent is gone
(killed with SIGKILL, which it cannot pass on) stops itself within a second or two rather
than serve on, unsupervised, on the port.

Only for PostgreSQL: SQLite has one writer at a time, and its group commit (one writer
thread collecting the writes of every request) lives in one process.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import signal
import socket
import threading
import time
from typing import Any

import typer

MAX_PROCESSES = 32
SQLITE_REFUSAL = ("SQLite has one writer at a time and its group commit lives in one process, so it is served "
                  "by one process; more than one needs PostgreSQL")
ORPHAN_POLL_S = 1.0  # how often a child looks whether its parent is still there
# The app's own request log (onhand.api.requests) on stderr, as `run_server` has it through
# logging.basicConfig; uvicorn's loggers keep uvicorn's format.
SERVE_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"  # onhand serve's lines
_ROOT_LOG = {"format": SERVE_LOG_FORMAT}


def is_sqlite(database_url: str) -> bool:
    """Whether the URL names SQLite (`sqlite:` or `sqlite+driver:`), told without opening it."""
    return database_url.split(":", 1)[0].split("+", 1)[0].strip().lower() == "sqlite"


def refuse_sqlite(database_url: str, processes: int) -> None:
    """Refuse more than one process on SQLite before any work, naming --processes."""
    if processes > 1 and is_sqlite(database_url):
        raise typer.BadParameter(SQLITE_REFUSAL, param_hint="'--processes'")


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the root logger's handler added (each child
    configures its logging from it when it starts)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["onhand"] = dict(_ROOT_LOG)
    config["handlers"]["onhand"] = {"formatter": "onhand", "class": "logging.StreamHandler",
                                    "stream": "ext://sys.stderr"}
    config["root"] = {"handlers": ["onhand"], "level": "INFO"}
    return config


def app_in_child(database_url: str, parent: int) -> Any:
    """What each child builds once it has started: the app on its own engine, and a watch
    that stops the child (as the supervisor's SIGTERM would) if `parent` is gone."""
    from onhand.entrypoints.api.app import app_on

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_POLL_S)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="onhand-parent-watch", daemon=True).start()
    return app_on(database_url)


def run_processes(database_url: str, host: str, port: int, processes: int, *, cores: tuple[int, ...] = ()) -> None:
    """Serve the HTTP API on `database_url` from `processes` children until SIGINT or SIGTERM;
    child i kept on the i-th of `cores` in turn (none: where the kernel puts it)."""
    # Imported here: the CLI starts fast and works without the web stack loaded.
    import uvicorn

    from onhand.entrypoints.api.app import SERVER_OPTIONS
    from onhand.entrypoints.cli.cpu_placement import placing_supervisor
    from onhand.entrypoints.cli.errors import fail
    from onhand.entrypoints.cli.one_socket_each import OneSocketEach

    config = uvicorn.Config(
        # Built in each child (a partial of a module's function pickles; an app would not).
        functools.partial(app_in_child, database_url, os.getpid()), factory=True, host=host, port=port,
        workers=processes, access_log=False, log_config=log_config(), **SERVER_OPTIONS,
    )
    try:
        sockets = listening_sockets(host, port, processes)
    except OSError as error:  # the port taken since `ensure_port_free` looked, or the like
        raise fail(f"--host: cannot listen on {host}:{port}: {error.strerror}", 1) from None
    shown = f"[{host}]" if ":" in host else host
    logging.getLogger("uvicorn.error").info(
        "Uvicorn running on http://%s:%d (Press CTRL+C to quit)", shown, sockets[0].getsockname()[1])
    try:
        supervisor = placing_supervisor(cores, OneSocketEach) if cores else OneSocketEach
        supervisor(config, sockets=sockets).run()
    finally:
        for listening in sockets:
            listening.close()


def address_family(host: str) -> socket.AddressFamily:
    """IPv6 for a host written with colons, as uvicorn binds it; else IPv4."""
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` sockets bound to `host`:`port` (port 0: the one the first was given), each
    with SO_REUSEPORT, so that the kernel spreads new connections over them."""
    family = address_family(host)
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sockets.append(listening)
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            listening.bind((host, port))
            port = listening.getsockname()[1]
            listening.set_inheritable(True)
    except BaseException:
        for listening in sockets:
            listening.close()
        raise
    return sockets
