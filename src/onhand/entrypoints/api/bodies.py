"""Request bodies: JSON parsed exactly (numbers as Decimal), CSV read as UTF-8 text.

`ExactJsonRoute` is the route class of every /api/v1 router. Its requests parse JSON
numbers with a fractional part or exponent straight from their text into `Decimal`
(never through a float), and a malformed body is not rejected on the spot: it is
remembered (`request.state.body_error`) and reported as a 422 only after
authentication has run, so that a caller without a key learns nothing but 401.

Text containing NUL characters is refused at this edge, in bodies, paths and query
strings alike: no code, name or CSV cell has a use for one, and PostgreSQL cannot
store or compare it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from onhand.domain.errors import InvalidInput

# Fails validation of any body model, so the route reports `request.state.body_error`.
MALFORMED = object()
NUL = "\x00"
NUL_REASON = "must not contain NUL characters"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _decimal(text: str) -> Decimal:
    # Decimal takes any exponent it can hold (1e400: bounded later by the domain); beyond
    # that (1e99999999999999999999) it raises InvalidOperation, which is no ValueError.
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"the number {text[:20]}… is beyond any exponent a number may have") from None


def parse_json(raw: bytes) -> Any:
    return json.loads(raw, parse_float=_decimal, parse_constant=_refuse_constant)


def _describe(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return "the body is not UTF-8 text"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)


def _nul_field(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string (or key) holding a NUL, if any."""
    if isinstance(value, str):
        return (path or "body") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return inner
            found = _nul_field(item, inner)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_field(item, f"{path}[{index}]")
            if found:
                return found
    return None


def refuse_nul_params(request: Request) -> None:
    """Path and query parameters: checked after authentication (see `auth`)."""
    params = {**request.path_params, **request.query_params}
    bad = next((name for name, value in params.items() if NUL in f"{name}{value}"), None)
    if bad is not None:
        raise InvalidInput(bad, NUL_REASON)


class ExactJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            raw = await self.body()
            try:
                parsed = parse_json(raw)
            except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
                self.state.body_error = ("body", f"malformed JSON ({_describe(exc)})")
                parsed = MALFORMED
            try:
                field = _nul_field(parsed) if parsed is not MALFORMED else None
            except RecursionError:
                self.state.body_error = ("body", "malformed JSON (nested too deeply)")
                parsed, field = MALFORMED, None
            if field:
                self.state.body_error = (field, NUL_REASON)
                parsed = MALFORMED
            self._json = parsed
        return self._json


class ExactJsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def exact(request: Request) -> Response:
            return await handler(ExactJsonRequest(request.scope, request.receive))

        return exact


async def _csv_text(request: Request) -> str:
    """The CSV of an import: the raw body (text/csv) or the multipart field `file`."""
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/form-data"):
        try:
            form = await request.form()
        except HTTPException as exc:
            raise InvalidInput("file", f"malformed multipart body ({exc.detail})") from None
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidInput("file", "a multipart upload needs its CSV in a file field named 'file'")
            raw = await upload.read()
        finally:
            await form.close()
    else:
        raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("file", "must be UTF-8 text") from None
    if NUL in text:
        raise InvalidInput("file", NUL_REASON)
    return text


CsvText = Annotated[str, Depends(_csv_text)]

CSV_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}
