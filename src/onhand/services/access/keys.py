"""API keys: created once (the secret is shown once), stored only as a hash; they may
expire, are rotated with an overlap, record their last use, and one admin key always stays.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.access.api_keys import (
    LAST_USE_RESOLUTION,
    check_admins_remain,
    is_active,
    last_use_due,
    previous_secret_works,
    rotation_overlap,
    validate_expiry,
)
from onhand.domain.access.commands import CreateApiKey, RevokeApiKey, RotateApiKey, UpdateApiKey
from onhand.domain.access.roles import PERMISSIONS, Permission, Role, allows, parse_role
from onhand.domain.actors import ActorKind
from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import validate_name
from onhand.domain.errors import ConfirmationRequired, Conflict, Forbidden, NotFound, TransientConflict, Unauthorized
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.views import ApiKeyView, NewApiKey

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

KEY_PREFIX = "onh"
REFUSED = "a valid API key is required (Authorization: Bearer onh_...)"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _secret(prefix: str) -> str:
    # The prefix names the key record (and survives rotation); the rest is 256 random bits.
    return f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def key_subject(key: ApiKeyView) -> AuditObject:
    return AuditObject("api_key", str(key.id))


def create_api_key(ctx: ServiceContext, command: CreateApiKey) -> NewApiKey:
    """Make a key; its secret is returned here once and never again. `expires_at` (with
    a time zone, in the future) ends it; without, it lasts until revoked.

    Deliberately without an idempotency key: a replay could not return the secret,
    which only exists as a hash after this call.
    """
    key_name = validate_name(command.name)
    key_role = parse_role(command.role)
    ends = validate_expiry(resolve.moment(command.expires_at, "expires_at"), ctx.now())
    prefix = secrets.token_hex(6)
    secret = _secret(prefix)

    def work(uow: UnitOfWork) -> int:
        return uow.api_keys.add(
            name=key_name, role=key_role.value, prefix=prefix,
            secret_hash=_hash(secret), created_at=ctx.now(), expires_at=ends,
        )

    view = run_write(ctx, work, _load, action="create_api_key", subject=key_subject, request=command)
    return NewApiKey(key=view, secret=secret)


def _load(uow: UnitOfWork, key_id: int) -> ApiKeyView:
    found = uow.api_keys.get(key_id)
    if found is None:
        raise NotFound("API key", str(key_id), "id")
    return found


def key_prefix(secret: str | None) -> str | None:
    """The prefix naming the key record a bearer secret claims to be of (None: no key's shape)."""
    parts = (secret or "").split("_")
    return parts[1] if len(parts) >= 3 and parts[0] == KEY_PREFIX else None


def authenticates_unread(ctx: ServiceContext, secret: str | None) -> bool:
    """Whether `authenticate` would answer without reading the database (the key is cached)."""
    prefix = key_prefix(secret)
    return prefix is not None and ctx.key_cache.get(prefix, ctx.now()) is not None


def authenticate(ctx: ServiceContext, secret: str | None, *, record_use: bool = True) -> ApiKeyView:
    """The active key a bearer secret belongs to (its current secret, or the previous one
    during a rotation's overlap), or `Unauthorized` saying nothing more. Records the use,
    unless told not to: a caller that must not wait for a write records it with
    `record_key_use` elsewhere."""
    prefix, now, cache = key_prefix(secret), ctx.now(), ctx.key_cache
    if prefix is None:
        raise Unauthorized(REFUSED)
    found = cache.get(prefix, now)
    if found is None:
        generation = cache.generation
        with ctx.reading_once() as uow:  # one statement, no transaction
            found = uow.api_keys.by_prefix(prefix)
        if found is None:
            raise Unauthorized(REFUSED)
        cache.keep(prefix, found, now, generation)
    key, digest = found.key, _hash(secret or "")
    current = hmac.compare_digest(found.secret_hash, digest)
    previous = found.previous_secret_hash is not None and hmac.compare_digest(found.previous_secret_hash, digest)
    if not (current or (previous and previous_secret_works(key.previous_secret_expires_at, now))):
        raise Unauthorized(REFUSED)
    if not is_active(revoked_at=key.revoked_at, expires_at=key.expires_at, now=now):
        raise Unauthorized(REFUSED)
    if record_use:
        record_key_use(ctx, key)
    return key


def key_use_due(ctx: ServiceContext, key: ApiKeyView) -> bool:
    """Whether `record_key_use` would write (at most once a minute per key)."""
    return last_use_due(key.last_used_at, ctx.now())


def record_key_use(ctx: ServiceContext, key: ApiKeyView) -> None:
    """A key's last use, now, if due."""
    now = ctx.now()
    if last_use_due(key.last_used_at, now) and _record_use(ctx, key.id, now):
        ctx.key_cache.used(key.prefix, now)


def _record_use(ctx: ServiceContext, key_id: int, now: datetime) -> bool:
    """last_used_at, at most once a minute per key; skipped, never waited for, when the
    database is busy: a request must not fail or stall for it. Whether it was written."""
    try:
        with ctx.writing_briefly() as uow:
            uow.api_keys.record_use(key_id, now, unless_since=now - LAST_USE_RESOLUTION)
    except TransientConflict:
        return False  # a later request records it
    return True


def authorize(key: ApiKeyView, permission: Permission) -> None:
    if not allows(Role(key.role), permission):
        raise Forbidden(f"role: a {key.role} key may not do this (it needs '{permission.value}': "
                        f"{PERMISSIONS[permission]})")


def list_api_keys(ctx: ServiceContext) -> list[ApiKeyView]:
    with ctx.reading() as uow:
        return uow.api_keys.list()


def update_api_key(ctx: ServiceContext, command: UpdateApiKey, *, idempotency_key: str | None = None) -> ApiKeyView:
    """Rename a key or change its role; the last active admin key cannot be demoted (409)."""
    key_id, name, role = command.id, command.name, command.role
    resolve.record_id(key_id, "id")
    new_name = validate_name(name) if name is not None else None
    new_role = parse_role(role) if role is not None else None

    def work(uow: UnitOfWork) -> int:
        current = _load(uow, key_id)
        if current.role == Role.ADMIN and new_role not in (None, Role.ADMIN):
            check_admins_remain(key_id, uow.api_keys.active_admin_ids(ctx.now()))
        uow.api_keys.change(key_id, name=new_name or current.name,
                            role=new_role.value if new_role else current.role)
        return key_id

    view = run_write(ctx, work, _load, action="update_api_key", subject=key_subject,
                     idempotency_key=idempotency_key, request=command, before=lambda uow: _load(uow, key_id))
    ctx.key_cache.forget(view.prefix)
    return view


def rotate_api_key(ctx: ServiceContext, command: RotateApiKey) -> NewApiKey:
    """Give a key a new secret (shown once, here); the previous one keeps working for
    `overlap_hours` (default 24, 0: stops now). A rotation during an overlap ends the
    older secret at once. Without an idempotency key, as at creation."""
    key_id = command.id
    resolve.record_id(key_id, "id")
    overlap = rotation_overlap(command.overlap_hours)

    def work(uow: UnitOfWork) -> int:
        now = ctx.now()
        stored = uow.api_keys.by_id_with_hashes(key_id)
        if stored is None:
            raise NotFound("API key", str(key_id), "id")
        key = stored.key
        if not is_active(revoked_at=key.revoked_at, expires_at=key.expires_at, now=now):
            raise Conflict(f"id: API key {key_id} is revoked or expired; create a new key instead")
        uow.api_keys.rotate(key_id, secret_hash=_hash(secret), previous_secret_hash=stored.secret_hash,
                            previous_until=now + overlap, at=now)
        return key_id

    with ctx.reading() as uow:
        prefix = _load(uow, key_id).prefix
    secret = _secret(prefix)
    view = run_write(ctx, work, _load, action="rotate_api_key", subject=key_subject, request=command)
    ctx.key_cache.forget(prefix)
    return NewApiKey(key=view, secret=secret)


def revoke_api_key(ctx: ServiceContext, command: RevokeApiKey, *, idempotency_key: str | None = None) -> ApiKeyView:
    """Revoke a key; requests with it are refused from then on. Not the key making this
    request (409 `own_key`; that is `revoke_own_api_key`), nor the last active admin key (409)."""
    key_id = command.id
    resolve.record_id(key_id, "id")
    if ctx.actor.kind is ActorKind.API_KEY and ctx.actor.id == str(key_id):
        raise ConfirmationRequired(
            "own_key", f"API key {key_id} is the key making this request; confirm with own_key=true to revoke it"
        )
    return _revoke(ctx, command, idempotency_key)


def revoke_own_api_key(
    ctx: ServiceContext, command: RevokeApiKey, *, idempotency_key: str | None = None
) -> ApiKeyView:
    """Revoke a key, which may be the one making this request (the caller confirmed it)."""
    resolve.record_id(command.id, "id")
    return _revoke(ctx, command, idempotency_key)


def _revoke(ctx: ServiceContext, command: RevokeApiKey, idempotency_key: str | None) -> ApiKeyView:
    key_id = command.id

    def work(uow: UnitOfWork) -> int:
        key = _load(uow, key_id)
        if key.role == Role.ADMIN:
            check_admins_remain(key_id, uow.api_keys.active_admin_ids(ctx.now()))
        uow.api_keys.revoke(key_id, ctx.now())
        return key_id

    view = run_write(
        ctx, work, _load, action="revoke_api_key", subject=key_subject, idempotency_key=idempotency_key,
        request=command,
    )
    ctx.key_cache.forget(view.prefix)
    return view


__all__ = [
    "KEY_PREFIX",
    "Permission",
    "Role",
    "authenticate",
    "authenticates_unread",
    "authorize",
    "create_api_key",
    "key_prefix",
    "list_api_keys",
    "revoke_api_key",
    "revoke_own_api_key",
    "rotate_api_key",
    "update_api_key",
]
