"""Building blocks every schema uses: exact quantities in, decimal strings out."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer, PlainValidator, WithJsonSchema

from onhand.domain.quantities import DECIMAL_PATTERN, plain

# Integers the database can hold (ids, offsets); larger ones are refused as input.
MAX_INT64 = 2**63 - 1
MAX_INT32 = 2**31 - 1


def choices(values: Iterable[StrEnum]) -> dict[str, Any]:
    """The JSON schema's `enum` of a text field whose service parses it (and names the error)."""
    return {"enum": [value.value for value in values]}


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResponseModel(BaseModel):
    pass


def _number_as_given(value: Any) -> str | int | Decimal:
    """Text or a JSON number (int, or Decimal read from its text: see bodies.py), as given:
    the domain's `parse_decimal` reads both (the text only in the published pattern)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | float):
        raise ValueError("must be a decimal string like \"2.5\" or a number")
    if isinstance(value, float):  # only if a body was parsed without exact decimals
        return repr(value)
    return value


# A number as the API takes it; what it may be is decided where it is used (a quantity
# in the item's unit, a price …), by the domain.
NumberIn = str | int | Decimal

QuantityIn = Annotated[
    NumberIn,
    PlainValidator(_number_as_given),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": DECIMAL_PATTERN}, {"type": "number"}],
            "description": "A decimal quantity in the item's unit, exact: \"2.5\" or 2.5 or 3",
            "examples": ["2.5"],
        }
    ),
]


# An exact decimal that is not a quantity (a price, a weight, a size): the same rules.
DecimalIn = Annotated[
    NumberIn,
    PlainValidator(_number_as_given),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": DECIMAL_PATTERN}, {"type": "number"}],
            "description": "An exact decimal: \"9.95\" or 9.95",
            "examples": ["9.95"],
        }
    ),
]


def _degrees(value: Any) -> float:
    # Coordinates are floats in the service; JSON numbers arrive here as int or Decimal.
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise ValueError("must be a number of degrees")
    return float(value)


Degrees = Annotated[
    float,
    PlainValidator(_degrees),
    WithJsonSchema({"type": "number", "description": "Degrees (WGS 84)", "examples": [40.7128]}),
]


def decimal_text(value: Decimal) -> str:
    return format(plain(value), "f")


DecimalOut = Annotated[
    Decimal, PlainSerializer(decimal_text, return_type=str, when_used="always")
]

def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must be a date (YYYY-MM-DD); leave the field out or send null for none")
    return text


# A date as text, parsed (and its error named) by the service it is passed to; blank text is
# not a date (the services read blank as "none", which JSON says with null).
DateIn = Annotated[
    str, AfterValidator(_not_blank), WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-12-31"]})
]
# A date, or "" where blank has a meaning of its own (removing a lock date).
DateOrBlankIn = Annotated[
    str,
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "enum": [""]}],
                    "examples": ["2026-12-31", ""]}),
]

# Integers in a query string or path, kept within what the database can compare.
QueryInt = Annotated[int, Query(ge=-MAX_INT64, le=MAX_INT64)]
# A pulling integration's mark: only what changed at or after it (docs/api.md, "updated_since").
UpdatedSince = Annotated[str | None, Query(
    max_length=64, description="Only what changed at or after this moment: ISO 8601 with an offset",
    examples=["2026-03-02T09:00:00Z"])]
# Listings of items and locations leave archived ones out unless asked.
IncludeArchived = Annotated[bool, Query(description="List archived ones too")]
PathId = Annotated[int, Path(ge=-MAX_INT64, le=MAX_INT64)]
PathInt32 = Annotated[int, Path(ge=-MAX_INT32, le=MAX_INT32)]


class ErrorDetail(ResponseModel):
    """`OnhandError.to_dict()`: code and message always; the rest as the error carries."""

    model_config = ConfigDict(extra="allow")
    code: str
    message: str
    field: str | None = None
    reason: str | None = None


class ErrorOut(ResponseModel):
    error: ErrorDetail


def _documented(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


# Documented on every /api/v1 route, in the one error shape (see errors.py).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _documented("Missing, unknown or revoked API key (WWW-Authenticate: Bearer)"),
    403: _documented("The key's role lacks the permission"),
    404: _documented("A referenced SKU, location, lot, posting … does not exist; `field` names it"),
    409: _documented(
        "Conflict with current state: already exists, idempotency key reused, "
        "insufficient stock (`shortages` lists every short line), concurrent update"
    ),
    413: _documented("The body is larger than the server takes (ONHAND_MAX_BODY_BYTES); `field` is body"),
    422: _documented("Invalid input: `field` names the first bad field, `reason` says why"),
    429: _documented("Too many failed authentications from this address (Retry-After says when to retry)"),
}
