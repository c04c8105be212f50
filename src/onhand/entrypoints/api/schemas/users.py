"""User accounts: what is shown of them (never a password or its hash) and what adding one takes."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from onhand.domain.access.views import UserView
from onhand.entrypoints.api.schemas.common import RequestModel, ResponseModel


class UserOut(ResponseModel):
    id: int
    email: str
    name: str
    role: str
    locations: list[str] | None = Field(description="The sites the user may work at; null: every one")
    created_at: datetime
    disabled_at: datetime | None

    @classmethod
    def of(cls, user: UserView) -> UserOut:
        return cls(id=user.id, email=user.email, name=user.name, role=user.role,
                   locations=list(user.locations) if user.locations is not None else None,
                   created_at=user.created_at, disabled_at=user.disabled_at)


class UserList(ResponseModel):
    users: list[UserOut]


class UserIn(RequestModel):
    email: str = Field(max_length=64, examples=["ana@example.com"])
    name: str = Field(max_length=200, examples=["Ana"])
    role: str = Field(max_length=16, description="admin, manager, operator or viewer", examples=["operator"])
    locations: list[str] | None = Field(
        None, max_length=100, description="Limit the user to these sites; null or absent: every one",
        examples=[["NY"]],
    )
    password: str = Field(min_length=1, max_length=1024, description="At least 10 characters; only a hash is kept")
