"""API keys: what is shown of them (never a secret but once), what creating and changing one takes."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictInt

from onhand.entrypoints.api.schemas.common import RequestModel, ResponseModel
from onhand.services.views import ApiKeyView, NewApiKey


class ApiKeyOut(ResponseModel):
    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None = Field(description="After this the key is refused; null: never")
    last_used_at: datetime | None = Field(description="The last request with it, to the minute")
    rotated_at: datetime | None
    previous_secret_expires_at: datetime | None = Field(
        description="After a rotation, the previous secret works until then"
    )

    @classmethod
    def of(cls, key: ApiKeyView) -> ApiKeyOut:
        return cls(**key.__dict__)


class ApiKeyList(ResponseModel):
    keys: list[ApiKeyOut]


class ApiKeyIn(RequestModel):
    name: str = Field(examples=["Shopify connector"])
    role: str = Field(description="admin, operator, integration or viewer", examples=["integration"])
    expires_at: str | None = Field(
        None, description="ISO 8601 with an offset, in the future; null or absent: never expires",
        examples=["2027-01-01T00:00:00Z"],
    )


class ApiKeyPatch(RequestModel):
    name: str | None = Field(None, examples=["Shopify connector (EU)"])
    role: str | None = Field(None, description="Demoting the last active admin key is a 409")


class RotationIn(RequestModel):
    overlap_hours: StrictInt | None = Field(
        None, description="How long the previous secret keeps working: 0-720 hours (default 24)", examples=[24]
    )


class NewApiKeyOut(ResponseModel):
    key: ApiKeyOut
    secret: str = Field(description="Shown this once; only a hash is stored")

    @classmethod
    def of(cls, new: NewApiKey) -> NewApiKeyOut:
        return cls(key=ApiKeyOut.of(new.key), secret=new.secret)
