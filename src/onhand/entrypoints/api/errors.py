"""Every error the API returns, in one shape: `{"error": {"code", "message", …}}`.

    OnhandError (domain)          → STATUS_BY_ERROR below (422, 404, 409, 401, 403)
    RequestValidationError        → 422 invalid_input, naming the first bad field
    malformed JSON body           → 422 invalid_input, field "body"
    NUL character in any text     → 422 invalid_input, naming where
    HTTPException (routing)       → its own status (404 unknown path, 405 method with
                                    every allowed one, 413 body too large, 429 throttled)
    anything else (a bug)         → 500 internal_error, details only in the server log

Every error body also carries `request_id`, the id of the request's log line
(request_log.py), which the 500's answer sets in its `X-Request-ID` header itself (it
is sent from outside the request log).

Validation errors are turned into the domain's `InvalidInput` so that a field the
schema rejects looks exactly like one a service rejects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from onhand.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    OnhandError,
    PushFailed,
    TooManySignIns,
    TransientConflict,
    Unauthorized,
)
from onhand.entrypoints.api.request_log import HEADER, request_id_of

# The one table: the most specific class in an error's MRO decides its status.
STATUS_BY_ERROR: dict[type[OnhandError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,  # AlreadyExists, IdempotencyConflict, InsufficientStock, TransientConflict
    Unauthorized: 401,
    Forbidden: 403,
    TooManySignIns: 429,
    PushFailed: 502,  # the accounting system refused the journal or could not be reached
}
FALLBACK_STATUS = 400

_SOURCES = ("body", "query", "path", "header", "cookie")
_HTTP_CODES = {
    400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large", 429: "too_many_requests",
}


class ErrorResponse(JSONResponse):
    """An error's JSON, which can always be sent: a lone surrogate that slipped into a
    message (not UTF-8 encodable) goes out as its JSON escape instead of failing as a 500."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", "backslashreplace")


def status_of(exc: OnhandError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return FALLBACK_STATUS


def with_request_id(error: dict[str, Any], scope: Mapping[str, Any]) -> dict[str, Any]:
    """The error object with the request's id (when the request log named it)."""
    request_id = request_id_of(scope)
    return {**error, "request_id": request_id} if request_id else error


def error_response(
    exc: OnhandError, request: Request, *, extra: Mapping[str, Any] | None = None
) -> JSONResponse:
    status = status_of(exc)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, TransientConflict):
        headers["Retry-After"] = "1"
    error = with_request_id(exc.to_dict(), request.scope)
    return ErrorResponse({"error": error, **(extra or {})}, status_code=status, headers=headers)


def dotted(loc: Sequence[str | int]) -> str:
    """("body", "lines", 0, "quantity") → "lines[0].quantity"."""
    parts = list(loc)
    source = parts.pop(0) if parts and parts[0] in _SOURCES else "body"
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or str(source)


def _reason(error: Mapping[str, Any], field: str) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "a JSON body is required" if field == "body" else "is required"
    if kind == "extra_forbidden":
        return "is not a field of this request"
    if field == "body" and isinstance(error.get("input"), bytes | bytearray):
        return "must be a JSON object (send Content-Type: application/json)"
    if kind == "json_invalid":
        return f"malformed JSON ({error.get('ctx', {}).get('error', 'cannot be parsed')})"
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def invalid_input(
    errors: Sequence[Mapping[str, Any]], body_error: tuple[str, str] | None = None
) -> InvalidInput:
    """One clear error: the first one, with its field in dotted form.

    `body_error` is what the body parser found (malformed JSON, a NUL character) before
    validation; it explains the body's validation failure better than the validator.
    """
    first = errors[0] if errors else {"loc": ("body",), "msg": "is invalid"}
    loc = tuple(first.get("loc", ("body",)))
    if body_error and loc[:1] == ("body",):
        return InvalidInput(*body_error)
    field = dotted(loc)
    return InvalidInput(field, _reason(first, field))


async def _onhand_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OnhandError)
    return error_response(exc, request)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(invalid_input(exc.errors(), getattr(request.state, "body_error", None)), request)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on this path: a path is often served by several
    routes (GET and PATCH /items/{sku} are two), and Starlette names only the first."""
    routes = request.app.router.routes
    return [
        method for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    ]


def http_error(status: int, detail: str, scope: Mapping[str, Any]) -> dict[str, Any]:
    """The error of an HTTP-level refusal; a body too large names the body."""
    error: dict[str, Any] = {"code": _HTTP_CODES.get(status, "http_error"), "message": detail}
    if status == 413:
        error.update(message=f"body: {detail}", field="body", reason=detail)
    return {"error": with_request_id(error, scope)}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    return ErrorResponse(http_error(exc.status_code, str(exc.detail), request.scope), status_code=exc.status_code,
                         headers=headers)


async def _internal_error(request: Request, _exc: Exception) -> JSONResponse:
    # Starlette still re-raises the exception after this response, so it is logged.
    error = with_request_id({"code": "internal_error", "message": "an unexpected error occurred"}, request.scope)
    request_id = request_id_of(request.scope)
    return ErrorResponse({"error": error}, status_code=500, headers={HEADER: request_id} if request_id else None)


def install(app: FastAPI) -> None:
    app.add_exception_handler(OnhandError, _onhand_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
