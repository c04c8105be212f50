"""User accounts, for admins (permission `users`): the list, adding a user with a role and
optionally some sites, and disabling one (services/access/users.py). A password left empty
is made here and shown once, for the admin to hand over; only its hash is stored."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.commands import AddUser, DisableUser
from onhand.domain.access.roles import Permission, Role
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import OnhandError
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import Visitor, VisitorDep

router = APIRouter(include_in_schema=False)
SITES = frozenset({LocationKind.WAREHOUSE, LocationKind.STORE, LocationKind.THREE_PL})
# People's roles: integration is for API keys only.
ROLES = [role.value for role in Role if role is not Role.INTEGRATION]
Text = Annotated[str, Form(max_length=200)]


def _page(request: Request, visitor: Visitor, *, done: str | None = None, secret: str | None = None,
          error: str | None = None, form: dict[str, object] | None = None, status_code: int = 200) -> Response:
    sites = [place.code for place in services.locations.list_locations(visitor.onhand) if place.kind in SITES]
    return render(request, "users.html", {
        "visitor": visitor, "users": services.users.list_users(visitor.onhand), "roles": ROLES, "sites": sites,
        "done": done, "secret": secret, "error": error, "form": form or {},
    }, status_code)


@router.get("/users")
def users(request: Request, visitor: VisitorDep) -> Response:
    visitor.require(Permission.USERS)
    return _page(request, visitor)


@router.post("/users")
def add(
    request: Request, visitor: VisitorDep, email: Annotated[str, Form(max_length=64)] = "", name: Text = "",
    role: Annotated[str, Form(max_length=16)] = "", password: Annotated[str, Form(max_length=1024)] = "",
    locations: Annotated[list[str] | None, Form(max_length=100)] = None,
) -> Response:
    visitor.require(Permission.USERS)
    made = "" if password else secrets.token_urlsafe(12)
    command = AddUser(email=email, name=name, role=role, locations=tuple(locations) if locations else None)
    try:
        added = services.users.add_user(visitor.onhand, command, password=password or made)
    except OnhandError as refused:
        form: dict[str, object] = {"email": email, "name": name, "role": role, "locations": locations or []}
        return _page(request, visitor, error=refused.message, form=form, status_code=422)
    return _page(request, visitor, done=f"Added {added.email} as {added.role}.", secret=made or None)


@router.post("/users/disable")
def disable(request: Request, visitor: VisitorDep, email: Annotated[str, Form(max_length=64)] = "") -> Response:
    visitor.require(Permission.USERS)
    try:
        done = services.users.disable_user(visitor.onhand, DisableUser(email=email))
    except OnhandError as refused:
        return _page(request, visitor, error=refused.message, status_code=422)
    return _page(request, visitor, done=f"Disabled {done.email}: they are signed out and cannot sign in.")
