"""`onhand serve --processes N`: N server processes answering on one listening socket.

The parent binds the socket once and hands it to N children run by uvicorn's own
supervisor (`uvicorn.supervisors.Multiprocess`): SIGINT or SIGTERM to the parent stops them
all and waits for them; a child that dies is replaced. The children are spawned, not
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
import os
import signal
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
    from uvicorn.supervisors import Multiprocess

    from onhand.entrypoints.api.app import SERVER_OPTIONS
    from onhand.entrypoints.cli.cpu_placement import placing_supervisor

    config = uvicorn.Config(
        # Built in each child (a partial of a module's function pickles; an app would not).
        functools.partial(app_in_child, database_url, os.getpid()), factory=True, host=host, port=port,
        workers=processes, access_log=False, log_config=log_config(), **SERVER_OPTIONS,
    )
    listening = config.bind_socket()
    try:
        supervisor = placing_supervisor(cores) if cores else Multiprocess
        supervisor(config, sockets=[listening]).run()
    finally:
        listening.close()
