"""How the CLI reports failures: one table from error class to exit code, one line each.

    0  success
    1  any other OnhandError (or the database cannot be opened)
    2  the command line itself is wrong (unknown option, bad integer, missing argument)
    3  InvalidInput
    4  NotFound
    5  Conflict and its subclasses (AlreadyExists, InsufficientStock, ...)
    6  Unauthorized / Forbidden
    7  PushFailed (an accounting system or channel refused or could not be reached)
    8  `serve` / `demo`: the port is in use by another process

Every failure is printed as exactly one line on stderr, `error: <field>: <reason>`,
never as a traceback.
"""

from __future__ import annotations

from typing import Any

import typer

from onhand.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    OnhandError,
    PushFailed,
    Unauthorized,
)
from onhand.entrypoints.cli.lazy import LazyGroup
from onhand.entrypoints.cli.output import Output

try:  # Typer >= 0.2x ships its own copy of Click; older releases use Click itself.
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors  # type: ignore[no-redef]

# Most specific first: the first class an error is an instance of decides its code.
EXIT_CODES: tuple[tuple[type[OnhandError], int], ...] = (
    (InvalidInput, 3),
    (NotFound, 4),
    (Conflict, 5),
    (Unauthorized, 6),
    (Forbidden, 6),
    (PushFailed, 7),
    (OnhandError, 1),
)
USAGE_EXIT_CODE = 2
PORT_IN_USE_EXIT_CODE = 8


class CliFailure(click_errors.ClickException):
    """A failure outside the service layer, e.g. a database that cannot be opened."""

    exit_code = 1


def exit_code(error: OnhandError) -> int:
    return exit_code_of(type(error))


def exit_code_of(kind: type[OnhandError]) -> int:
    return next(code for cls, code in EXIT_CODES if issubclass(kind, cls))


def one_line(message: str) -> str:
    return " ".join(message.split())


def fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {one_line(message)}", err=True)
    return typer.Exit(code)


def usage_failure(error: click_errors.ClickException) -> typer.Exit:
    message = error.format_message()
    context = getattr(error, "ctx", None)
    if isinstance(error, click_errors.UsageError) and context is not None:
        message = f"{message.rstrip()} (see '{context.command_path} --help')"
    return fail(message, error.exit_code)


class OnhandGroup(LazyGroup):
    """The root command group: turns every expected failure into one line and an exit code."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except click_errors.NoArgsIsHelpError:
            raise
        except click_errors.ClickException as error:
            raise usage_failure(error) from None

    def invoke(self, ctx: Any) -> Any:
        Output.reset()
        try:
            result = super().invoke(ctx)
        except typer.Exit:  # `verify` exiting 1 still prints its report
            Output.flush()
            raise
        except OnhandError as error:
            Output.reset()
            raise fail(error.message, exit_code(error)) from None
        except click_errors.NoArgsIsHelpError:
            raise
        except click_errors.ClickException as error:
            Output.reset()
            raise usage_failure(error) from None
        Output.flush()
        return result
