"""Command groups whose commands are imported only when run (or asked for their own help).

`onhand --help` lists every command from its name and one-line help here, without
importing the command's module: those modules import the services, and with them
SQLAlchemy, which would make every `onhand --help` wait half a second.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from onhand.entrypoints.cli.output import add_format_options

PACKAGE = "onhand.entrypoints.cli"


@dataclass(frozen=True)
class Lazy:
    """A command in `module` (of this package): a Typer app (a group) or a function (one command)."""

    target: str  # "module:attribute"
    help: str  # the first line of the command's own help (a test keeps them equal)
    hidden: bool = False
    context_settings: dict[str, Any] = field(default_factory=dict)

    def load(self, name: str) -> Any:
        module, attribute = self.target.split(":")
        found = getattr(importlib.import_module(f"{PACKAGE}.{module}"), attribute)
        if isinstance(found, typer.Typer):
            command = typer.main.get_group(found)
        else:
            holder = typer.Typer(add_completion=False)
            holder.command(name, context_settings=self.context_settings)(found)
            command = typer.main.get_command(holder)
        command.name = name
        command.hidden = self.hidden
        return command


class LazyGroup(TyperGroup):
    """A group that loads each command from `lazy_commands` on first use."""

    lazy_commands: dict[str, Lazy] = {}  # noqa: RUF012 - set once by a subclass
    # Commands (paths, `onhand serve`) that print no data, so take no `--json` / `--csv`.
    without_data: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: dict[str, Any] = {}
        self._listing = False

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return [*super().list_commands(ctx), *self.lazy_commands]

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any | None:
        lazy = self.lazy_commands.get(cmd_name)
        if lazy is None:
            return super().get_command(ctx, cmd_name)
        if cmd_name not in self._loaded:
            if self._listing:  # the group's own help: a name and a line are all it shows
                return TyperCommand(cmd_name, help=lazy.help, hidden=lazy.hidden)
            loaded = lazy.load(cmd_name)
            add_format_options(loaded, self.without_data, f"{self.name} {cmd_name}")
            self._loaded[cmd_name] = loaded
        return self._loaded[cmd_name]

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
