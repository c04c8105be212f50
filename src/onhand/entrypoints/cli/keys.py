"""`onhand keys add|list|update|rotate|revoke`: API keys for the HTTP API (secrets shown once)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.access.commands import CreateApiKey, RevokeApiKey, RotateApiKey, UpdateApiKey
from onhand.entrypoints.cli.output import data_only
from onhand.entrypoints.cli.render import console, fields, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services import resolve
from onhand.services.views import ApiKeyView, NewApiKey

keys_app = typer.Typer(help="API keys: add (the secret is shown once), list, update, rotate, revoke.",
                       no_args_is_help=True)

KeyId = Annotated[int, typer.Argument(metavar="ID", help="The key's id.")]


def print_new_key(new: NewApiKey, what: str = "Created") -> None:
    """The one and only time the secret is printed."""
    console().print(Text(f"{what} API key #{new.key.id} {new.key.name!r} (role {new.key.role})."))
    if new.key.previous_secret_expires_at is not None:
        console().print(Text(f"The previous secret works until {text(new.key.previous_secret_expires_at)}."))
    console().print(Text("Secret (shown only now; store it safely):", style="bold"))
    if data_only():  # the data: the key and its secret
        console().print(fields([("Id", new.key.id), ("Name", new.key.name), ("Role", new.key.role),
                                ("Secret", new.secret)]))
    else:
        typer.echo(new.secret)  # plain: never wrapped or styled


def keys_table(keys: list[ApiKeyView]) -> None:
    grid = table("Id", "Name", "Role", "Key starts with", "Created", "Expires", "Last used", "Rotated",
                 "Revoked", numeric=["Id"])
    for key in keys:
        grid.add_row(
            text(key.id), text(key.name), text(key.role), text(f"{services.keys.KEY_PREFIX}_{key.prefix}_…"),
            text(key.created_at), text(key.expires_at), text(key.last_used_at), text(key.rotated_at),
            text(key.revoked_at),
            style="dim" if key.revoked_at else None,
        )
    console().print(grid)


@keys_app.command("add")
@keys_app.command("create", hidden=True)  # its name before `add` (as users, webhooks): scripts use it
def create_key(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="What the key is for, e.g. 'shopify-sync'.")],
    role: Annotated[str, typer.Option(help="admin, manager, operator, integration or viewer.")],
    expires_at: Annotated[
        str | None, typer.Option(help="When it stops working: ISO 8601 with an offset, e.g. 2027-01-01T00:00:00Z.")
    ] = None,
) -> None:
    """Create an API key and print its secret once."""
    print_new_key(services.keys.create_api_key(onhand(ctx), CreateApiKey(
        name=name, role=role, expires_at=resolve.moment(expires_at, "expires_at")
    )))


@keys_app.command("list")
def list_keys(ctx: typer.Context) -> None:
    """List API keys (never their secrets)."""
    keys_table(services.keys.list_api_keys(onhand(ctx)))


@keys_app.command("update")
def update_key(
    ctx: typer.Context,
    key_id: KeyId,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    role: Annotated[str | None, typer.Option(help="A new role (the last active admin key keeps admin).")] = None,
) -> None:
    """Rename a key or change its role."""
    keys_table([services.keys.update_api_key(onhand(ctx), UpdateApiKey(id=key_id, name=name, role=role))])


@keys_app.command("rotate")
def rotate_key(
    ctx: typer.Context,
    key_id: KeyId,
    overlap_hours: Annotated[
        int | None, typer.Option(help="Hours the previous secret keeps working (0-720, default 24).")
    ] = None,
) -> None:
    """Give a key a new secret and print it once; the previous secret works until the overlap ends."""
    print_new_key(services.keys.rotate_api_key(onhand(ctx), RotateApiKey(
        id=key_id, overlap_hours=overlap_hours)), "Rotated")


@keys_app.command("revoke")
def revoke_key(ctx: typer.Context, key_id: KeyId) -> None:
    """Revoke an API key; requests with it are refused from now on (not the last active admin key)."""
    keys_table([services.keys.revoke_api_key(onhand(ctx), RevokeApiKey(id=key_id))])
