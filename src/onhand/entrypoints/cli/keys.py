"""`onhand keys create|list|revoke`: API keys for the HTTP API (secrets shown once)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.entrypoints.cli.render import console, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.views import ApiKeyView, NewApiKey

keys_app = typer.Typer(help="API keys: create (the secret is shown once), list, revoke.",
                       no_args_is_help=True)


def print_new_key(new: NewApiKey) -> None:
    """The one and only time the secret is printed."""
    console().print(Text(f"Created API key #{new.key.id} {new.key.name!r} (role {new.key.role})."))
    console().print(Text("Secret (shown only now; store it safely):", style="bold"))
    # Plain echo: the secret must never be wrapped or styled.
    typer.echo(new.secret)


def keys_table(keys: list[ApiKeyView]) -> None:
    grid = table("Id", "Name", "Role", "Key starts with", "Created", "Revoked", numeric=["Id"])
    for key in keys:
        grid.add_row(
            text(key.id), text(key.name), text(key.role), text(f"{services.keys.KEY_PREFIX}_{key.prefix}_…"),
            text(key.created_at), text(key.revoked_at),
            style="dim" if key.revoked_at else None,
        )
    console().print(grid)


@keys_app.command("create")
def create_key(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="What the key is for, e.g. 'shopify-sync'.")],
    role: Annotated[str, typer.Option(help="admin, operator, viewer or integration.")],
) -> None:
    """Create an API key and print its secret once."""
    print_new_key(services.keys.create_api_key(onhand(ctx), name=name, role=role))


@keys_app.command("list")
def list_keys(ctx: typer.Context) -> None:
    """List API keys (never their secrets)."""
    keys_table(services.keys.list_api_keys(onhand(ctx)))


@keys_app.command("revoke")
def revoke_key(
    ctx: typer.Context, key_id: Annotated[int, typer.Argument(metavar="ID", help="The key's id.")]
) -> None:
    """Revoke an API key; requests with it are refused from now on."""
    keys_table([services.keys.revoke_api_key(onhand(ctx), key_id)])
