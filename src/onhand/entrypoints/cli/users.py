"""`onhand users add|disable|list`: people who sign in to the web app."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from onhand import services
from onhand.domain.access.commands import AddUser, DisableUser
from onhand.entrypoints.cli.render import console, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.views import UserView

users_app = typer.Typer(help="User accounts of the web app: add, disable, list.", no_args_is_help=True)

# Read instead of a prompt when set: scripts and tests give the password without a terminal.
PASSWORD_VARIABLE = "ONHAND_NEW_USER_PASSWORD"


def users_table(users: list[UserView]) -> None:
    grid = table("Email", "Name", "Role", "Locations", "Created", "Disabled")
    for user in users:
        grid.add_row(text(user.email), text(user.name), text(user.role),
                     text(", ".join(user.locations) if user.locations else "all"), text(user.created_at),
                     text(user.disabled_at), style="dim" if user.disabled_at else None)
    console().print(grid)


@users_app.command("add")
def add_user(
    ctx: typer.Context,
    email: Annotated[str, typer.Option(help="Their email: what they sign in with.")],
    name: Annotated[str, typer.Option(help="Their name, as pages and the audit log show it.")],
    role: Annotated[str, typer.Option(help="admin, manager, operator or viewer.")],
    location: Annotated[
        list[str] | None, typer.Option(help="Limit them to this location (repeat for more; default: all).")
    ] = None,
) -> None:
    """Add a user; the password is asked for (or read from ONHAND_NEW_USER_PASSWORD), never echoed."""
    password = os.environ.get(PASSWORD_VARIABLE) or typer.prompt("Password", hide_input=True,
                                                                 confirmation_prompt=True)
    users_table([services.users.add_user(
        onhand(ctx), AddUser(email=email, name=name, role=role, locations=tuple(location) if location else None),
        password=password)])


@users_app.command("disable")
def disable_user(ctx: typer.Context, email: Annotated[str, typer.Argument(help="The user's email.")]) -> None:
    """Disable a user: they cannot sign in, and their sessions end now."""
    users_table([services.users.disable_user(onhand(ctx), DisableUser(email))])


@users_app.command("list")
def list_users(ctx: typer.Context) -> None:
    """List users (never their passwords)."""
    users_table(services.users.list_users(onhand(ctx)))
