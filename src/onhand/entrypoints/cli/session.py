"""The Onhand a command works on, opened on first use and closed when the command ends.

A command acts as `cli:<OS user>` (the login name the operating system reports): its
postings and audit entries say so, and its idempotency keys are that user's.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import typer

from onhand.domain.actors import Actor, cli_actor
from onhand.entrypoints.cli.errors import CliFailure

if TYPE_CHECKING:
    from onhand.bootstrap import Onhand


# The modules a PostgreSQL URL needs, installed by the `postgres` extra.
POSTGRES_DRIVERS = frozenset({"psycopg", "psycopg_binary", "psycopg2"})


def redact(url: str) -> str:
    """The URL with any password replaced, fit to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


def os_user() -> Actor:
    """The CLI's actor: the OS user running it (`unknown` where none can be found)."""
    try:
        return cli_actor(getpass.getuser())
    except (OSError, KeyError):  # no login name and no passwd entry (a bare container)
        return cli_actor("unknown")


class Session:
    """Holds the database URL from the command line; opens the database when first asked.

    `given_url` is the one chosen (`--database-url` or ONHAND_DATABASE_URL), None for the
    default: the company database, or the demo's own for `onhand demo`."""

    def __init__(self, given_url: str | None) -> None:
        self.given_url = given_url
        self._database_url: str | None = None
        self._onhand: Onhand | None = None

    @property
    def database_url(self) -> str:
        if self._database_url is None:
            from onhand.config import default_database_url

            self._database_url = self.given_url or default_database_url()
        return self._database_url

    def use_default(self, database_url: str) -> None:
        """Open `database_url` instead of the company database when none was chosen."""
        if self._onhand is not None:  # pragma: no cover - a command decides before it opens
            raise CliFailure("internal error: the database is already open")
        if not self.given_url:  # `--database-url ""` chooses none, as before
            self._database_url = database_url

    @property
    def onhand(self) -> Onhand:
        if self._onhand is None:
            from onhand.bootstrap import open_onhand

            try:
                self._onhand = open_onhand(self.database_url).acting_as(os_user())
            except ModuleNotFoundError as exc:
                if exc.name not in POSTGRES_DRIVERS:
                    raise
                raise CliFailure(f"cannot open database {redact(self.database_url)}: the PostgreSQL driver is not "
                                 "installed; pip install 'onhand[postgres]'") from exc
            # Any other driver or migration failure: say which database and why, in one line.
            except Exception as exc:
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise CliFailure(f"cannot open database {redact(self.database_url)}: {reason}") from exc
            from onhand.entrypoints.cli.render import Shown

            Shown.bind(self._onhand)  # times, quantities and money are shown as this company's
        return self._onhand

    def close(self) -> None:
        if self._onhand is not None:
            from onhand.entrypoints.cli.render import Shown

            Shown.bind(None)
            self._onhand.close()
            self._onhand = None


def session(ctx: typer.Context) -> Session:
    found = ctx.find_object(Session)
    if found is None:  # pragma: no cover - the root callback always sets it
        raise CliFailure("internal error: no database session")
    return found


def onhand(ctx: typer.Context) -> Onhand:
    """The open Onhand for this command."""
    return session(ctx).onhand
