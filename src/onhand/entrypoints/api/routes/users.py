"""User accounts for the web app (permission `users`): list, add, disable.

The password given when adding a user is hashed by the service and never returned, logged
or audited; disabling a user ends their sessions at once (services/access/users.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from onhand import services
from onhand.domain.access.commands import AddUser, DisableUser
from onhand.entrypoints.api.auth import OnhandDep, UserAdmin
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES
from onhand.entrypoints.api.schemas.users import UserIn, UserList, UserOut

router = ApiRouter(tags=["users"], responses=ERROR_RESPONSES)
Email = Annotated[str, Path(max_length=64)]


@router.get("/users", summary="User accounts (never their passwords)")
def list_users(onhand: OnhandDep, _key: UserAdmin) -> UserList:
    return UserList(users=[UserOut.of(user) for user in services.users.list_users(onhand)])


@router.post("/users", status_code=201, summary="Add a user who signs in with the password given")
def add_user(body: UserIn, onhand: OnhandDep, _key: UserAdmin) -> UserOut:
    command = AddUser(email=body.email, name=body.name, role=body.role,
                      locations=tuple(body.locations) if body.locations is not None else None)
    return UserOut.of(services.users.add_user(onhand, command, password=body.password))


@router.post("/users/{email}/disable", summary="Disable a user: no more sign-ins, their sessions end now")
def disable_user(email: Email, onhand: OnhandDep, _key: UserAdmin) -> UserOut:
    return UserOut.of(services.users.disable_user(onhand, DisableUser(email=email)))
