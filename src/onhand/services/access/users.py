"""User accounts and their web sessions.

An admin adds users (email, name, role, optionally the locations they are limited to) and
disables them; a user signs in with email and password and gets a session: a random
token for the cookie (stored only as SHA-256) and a CSRF token for the session's forms.
Failed sign-ins are counted per email and client address in the database, so the limit
holds across processes and servers (`domain/access/users.py: throttled_until`).
Everything a signed-in user does is recorded as `user:<email>`.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import replace
from typing import TYPE_CHECKING

from onhand.domain.access.commands import AddUser, DisableUser, ResetPassword
from onhand.domain.access.roles import PERMISSIONS, Permission, Role, allows, parse_role
from onhand.domain.access.users import (
    MAX_PASSWORD,
    SESSION_LIFETIME,
    SIGN_IN_WINDOW,
    location_limit,
    may_use_location,
    normalize_email,
    throttled_until,
    validate_password,
)
from onhand.domain.actors import Actor, user_actor
from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import validate_name
from onhand.domain.errors import AlreadyExists, Forbidden, InvalidInput, NotFound, TooManySignIns, Unauthorized
from onhand.services.access.passwords import decoy_hash, hash_password, password_matches
from onhand.services.audit import record_action
from onhand.services.context import ServiceContext, in_transaction, run_write
from onhand.services.views import NewSession, SessionView, UserView

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

REFUSED = "email or password is wrong, or the account is disabled"
MAX_CLIENT = 64


def user_subject(user: UserView) -> AuditObject:
    return AuditObject("user", user.email)


def actor_of(user: UserView) -> Actor:
    return user_actor(user.email, user.name)


def _load(uow: UnitOfWork, user_id: int) -> UserView:
    found = uow.users.get(user_id)
    if found is None:
        raise NotFound("user", str(user_id), "id")
    return found


def add_user(ctx: ServiceContext, command: AddUser, *, password: str) -> UserView:
    """Add a user who can sign in with `password` (never stored, never audited: it is no
    field of the command)."""
    address = normalize_email(command.email)
    user_name = validate_name(command.name)
    user_role = parse_role(command.role)
    if user_role is Role.INTEGRATION:
        raise InvalidInput("role", "integration is for API keys; a person is admin, manager, operator or viewer")
    secret = hash_password(validate_password(password), ctx.password_cost)
    limit = location_limit(command.locations)

    def work(uow: UnitOfWork) -> int:
        for code in limit or ():
            if uow.locations.get_by_code(code) is None:
                raise NotFound("location", code, "locations")
        if uow.users.by_email(address) is not None:
            raise AlreadyExists("user", address, "email")
        return uow.users.add(email=address, name=user_name, role=user_role.value, password_hash=secret,
                             locations=limit, created_at=ctx.now())

    # The command as cleaned: the audit records the email, name and locations as stored.
    cleaned = replace(command, email=address, name=user_name, role=user_role.value, locations=limit)
    return run_write(ctx, work, _load, action="add_user", subject=user_subject, request=cleaned)


def disable_user(ctx: ServiceContext, command: DisableUser) -> UserView:
    """Disable a user: they cannot sign in, and every session of theirs ends now."""
    address = normalize_email(command.email)

    def user_id(uow: UnitOfWork) -> int:
        found = uow.users.by_email(address)
        if found is None:
            raise NotFound("user", address, "email")
        return found.user.id

    def work(uow: UnitOfWork) -> int:
        found = user_id(uow)
        uow.users.disable(found, ctx.now())
        return found

    return run_write(ctx, work, _load, action="disable_user", subject=user_subject,
                     request=replace(command, email=address), before=lambda uow: _load(uow, user_id(uow)))


def reset_password(ctx: ServiceContext, command: ResetPassword, *, password: str) -> UserView:
    """Give a user a new password (never stored, never audited); their sessions end."""
    address = normalize_email(command.email)
    secret = hash_password(validate_password(password), ctx.password_cost)

    def work(uow: UnitOfWork) -> int:
        found = uow.users.by_email(address)
        if found is None:
            raise NotFound("user", address, "email")
        uow.users.set_password(found.user.id, secret, ctx.now())
        return found.user.id

    return run_write(ctx, work, _load, action="reset_password", subject=user_subject,
                     request=replace(command, email=address))


def list_users(ctx: ServiceContext) -> list[UserView]:
    with ctx.reading() as uow:
        return uow.users.list()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _client(client: str) -> str:
    return (client or "unknown")[:MAX_CLIENT]


def sign_in(ctx: ServiceContext, *, email: str, password: str, client: str) -> NewSession:
    """A new session for the user with this email and password, or `Unauthorized` saying
    nothing more (the same for an unknown email, a wrong password and a disabled account);
    `TooManySignIns` once this email has failed too often from this client."""
    address = (email or "").strip().lower()[:254]
    where = _client(client)
    now = ctx.now()
    with ctx.reading() as uow:
        until = throttled_until(uow.sign_in_failures.since(address, where, now - SIGN_IN_WINDOW), now)
        stored = uow.users.by_email(address) if address else None
    if until is not None:
        raise TooManySignIns(max(1, math.ceil((until - now).total_seconds())))
    typed = password if isinstance(password, str) and len(password) <= MAX_PASSWORD else ""
    matches = password_matches(typed, stored.password_hash if stored else decoy_hash(ctx.password_cost))
    if stored is None or not matches or stored.user.disabled_at is not None:
        def failed(uow: UnitOfWork) -> None:
            uow.sign_in_failures.add(address, where, now, forget_before=now - SIGN_IN_WINDOW)

        in_transaction(ctx, failed)
        raise Unauthorized(REFUSED)
    user = stored.user
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    as_user = ctx.acting_as(actor_of(user))

    def open_session(uow: UnitOfWork) -> SessionView:
        uow.sign_in_failures.clear(address, where)
        uow.sessions.purge(now - SESSION_LIFETIME)
        uow.sessions.add(token_hash=_token_hash(token), user_id=user.id, csrf_token=csrf, created_at=now,
                         expires_at=now + SESSION_LIFETIME)
        record_action(uow, now, "sign_in", user_subject(user), {"client": where})
        return SessionView(user, csrf, now + SESSION_LIFETIME)

    return NewSession(session=in_transaction(as_user, open_session), token=token)


def session_for(ctx: ServiceContext, token: str | None) -> SessionView:
    """The active session of a cookie's token, or `Unauthorized`."""
    if not token or len(token) > 200:
        raise Unauthorized("sign in first")
    with ctx.reading_once() as uow:  # every page asks: one statement, no transaction
        found = uow.sessions.active(_token_hash(token), ctx.now())
    if found is None:
        raise Unauthorized("sign in first")
    return found


def sign_out(ctx: ServiceContext, token: str) -> None:
    """End the session of this token (nothing happens if it had already ended)."""
    digest = _token_hash(token or "")
    in_transaction(ctx, lambda uow: uow.sessions.end(digest, ctx.now()))


def csrf_matches(session: SessionView, given: str | None) -> bool:
    return bool(given) and secrets.compare_digest(session.csrf_token, given or "")


def authorize_user(user: UserView, permission: Permission) -> None:
    if not allows(Role(user.role), permission):
        raise Forbidden(f"role: a {user.role} may not do this (it needs '{permission.value}': "
                        f"{PERMISSIONS[permission]})")


def authorize_location(user: UserView, site: str) -> None:
    """Refuse a user limited to some locations an action at another site."""
    if not may_use_location(user.locations, site):
        raise Forbidden(f"location: {user.email} may act only at {', '.join(user.locations or ())}, not {site}")


def authorize_everywhere(user: UserView) -> None:
    """Refuse a user limited to some locations an action that reaches every site (a recall
    stops a lot and moves its stock wherever it is)."""
    if user.locations is not None:
        raise Forbidden(f"location: {user.email} may act only at {', '.join(user.locations)}; this reaches every site")


__all__ = [
    "add_user", "authorize_everywhere", "authorize_location", "authorize_user", "disable_user", "list_users",
    "reset_password", "session_for",
    "sign_in", "sign_out",
]

