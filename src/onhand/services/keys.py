"""API keys: created once (the secret is shown once), stored only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from onhand.domain.access import Permission, Role, allows, parse_role
from onhand.domain.errors import Forbidden, NotFound, Unauthorized
from onhand.domain.items import validate_name
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.views import ApiKeyView, NewApiKey

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

KEY_PREFIX = "onh"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(ctx: ServiceContext, *, name: str, role: str) -> NewApiKey:
    """Make a key; its secret is returned here once and never again.

    Deliberately without an idempotency key: a replay could not return the secret,
    which only exists as a hash after this call.
    """
    key_name = validate_name(name)
    key_role = parse_role(role)
    prefix = secrets.token_hex(6)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"

    def work(uow: UnitOfWork) -> int:
        return uow.api_keys.add(
            name=key_name, role=key_role.value, prefix=prefix,
            secret_hash=_hash(secret), created_at=ctx.now(),
        )

    view = run_write(ctx, work, _load, action="create_api_key")
    return NewApiKey(key=view, secret=secret)


def _load(uow: UnitOfWork, key_id: int) -> ApiKeyView:
    found = uow.api_keys.get(key_id)
    if found is None:
        raise NotFound("API key", str(key_id), "id")
    return found


def authenticate(ctx: ServiceContext, secret: str | None) -> ApiKeyView:
    """The live key a bearer secret belongs to, or `Unauthorized` (saying nothing more)."""
    parts = (secret or "").split("_")
    if len(parts) < 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("a valid API key is required (Authorization: Bearer onh_...)")
    with ctx.reading() as uow:
        found = uow.api_keys.by_prefix(parts[1])
    if found is None:
        raise Unauthorized("a valid API key is required (Authorization: Bearer onh_...)")
    key, stored_hash = found
    if not hmac.compare_digest(stored_hash, _hash(secret or "")) or key.revoked_at is not None:
        raise Unauthorized("a valid API key is required (Authorization: Bearer onh_...)")
    return key


def authorize(key: ApiKeyView, permission: Permission) -> None:
    if not allows(Role(key.role), permission):
        raise Forbidden(f"role: a {key.role} key may not {permission.value}")


def list_api_keys(ctx: ServiceContext) -> list[ApiKeyView]:
    with ctx.reading() as uow:
        return uow.api_keys.list()


def revoke_api_key(
    ctx: ServiceContext, key_id: int, *, idempotency_key: str | None = None
) -> ApiKeyView:
    resolve.record_id(key_id, "id")

    def work(uow: UnitOfWork) -> int:
        _load(uow, key_id)
        uow.api_keys.revoke(key_id, ctx.now())
        return key_id

    return run_write(
        ctx, work, _load, action="revoke_api_key", idempotency_key=idempotency_key,
        request={"id": key_id},
    )


__all__ = [
    "KEY_PREFIX",
    "Permission",
    "Role",
    "authenticate",
    "authorize",
    "create_api_key",
    "list_api_keys",
    "revoke_api_key",
]
