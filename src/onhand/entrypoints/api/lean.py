"""A route's requests handled without FastAPI's general dependency solving, where its shape allows.

FastAPI solves a route's dependencies at every request by walking their tree: for each one
a recursive call that reads four kinds of parameters, a cache key, a context for errors
(about a tenth of the event loop's work for a write). Almost every /api/v1 route has one
shape: the calling key's permission (`auth.Requirement`), the Onhand acting as that key,
path, query and header parameters, and at most one JSON body. `lean_handler` runs such a
route's requests in the steps FastAPI's handler takes (`fastapi.routing.get_request_handler`),
in its order, with FastAPI's own functions for each part: the same validation, the same
errors, the same response bytes. Any other route keeps FastAPI's handler, and so does every
request while the app has dependency overrides (tests) or FastAPI's telemetry is on.
"""

from __future__ import annotations

import email.message
import functools
import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.utils import request_body_to_args, request_params_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.params import Form
from fastapi.routing import APIRoute, serialize_response
from fastapi.telemetry import get_telemetry_data
from fastapi.utils import is_body_allowed_for_status_code
from pydantic_core import PydanticUndefined as Undefined
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from onhand.entrypoints.api.auth import lean_dependency

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
Dependency = Callable[[Request], Awaitable[Any]]


@functools.lru_cache(maxsize=64)
def _is_json(content_type: str) -> bool:
    """FastAPI's test of a body's Content-Type, made once per distinct header."""
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


def _dependencies(route: APIRoute) -> list[tuple[str | None, Dependency]] | None:
    found = []
    for sub in route.dependant.dependencies:
        dependency = lean_dependency(sub.call)
        if dependency is None:
            return None
        found.append((sub.name, dependency))
    return found


def _plain(route: APIRoute) -> bool:
    dependant = route.dependant
    call = dependant.call
    return (
        inspect.iscoroutinefunction(call)
        and not inspect.isasyncgenfunction(call)
        and not (route.body_field is not None and isinstance(route.body_field.field_info, Form))
        and not (dependant.response_param_name or dependant.background_tasks_param_name
                 or dependant.security_scopes_param_name or dependant.http_connection_param_name
                 or dependant.websocket_param_name or dependant.cookie_params)
        and not getattr(route, "is_json_stream", False)
        and getattr(route, "stream_item_field", None) is None
    )


def lean_handler(route: APIRoute, fastapi_handler: Handler) -> Handler | None:
    """`route`'s lean handler (None when its shape does not allow one), handing to
    `fastapi_handler` a request it must not take."""
    dependencies = _dependencies(route)
    if dependencies is None or not _plain(route):
        return None
    dependant = route.dependant
    call = dependant.call
    assert call is not None
    body_fields = dependant.body_params
    reads_body = route.body_field is not None
    strict = route.strict_content_type
    strict_content_type = strict.value if isinstance(strict, DefaultPlaceholder) else strict
    status_code = route.status_code
    response_class = route.response_class
    dump_json = route.response_field is not None and isinstance(response_class, DefaultPlaceholder)
    actual_response_class = response_class.value if isinstance(response_class, DefaultPlaceholder) else response_class

    async def body_of(request: Request) -> Any:
        try:
            raw = await request.body()
            if not raw:
                return Undefined
            content_type = request.headers.get("content-type")
            if (not content_type and not strict_content_type) or (content_type and _is_json(content_type)):
                return await request.json()  # ExactJsonRequest: never a JSONDecodeError
            return raw
        except HTTPException:
            raise  # the body cap's 413
        except Exception as exc:  # a client gone mid-body, as FastAPI answers it
            raise HTTPException(400, "There was an error parsing the body") from exc

    async def lean(request: Request) -> Response:
        if request.app.dependency_overrides or get_telemetry_data() is not None:
            return await fastapi_handler(request)
        body = await body_of(request) if reads_body else Undefined
        values: dict[str, Any] = {}
        for name, dependency in dependencies:
            solved = await dependency(request)
            if name is not None:
                values[name] = solved
        errors: list[Any] = []
        for fields, received in ((dependant.path_params, request.path_params),
                                 (dependant.query_params, request.query_params),
                                 (dependant.header_params, request.headers)):
            if fields:
                found, wrong = request_params_to_args(fields, received)
                values.update(found)
                errors += wrong
        if body_fields:
            found, wrong = await request_body_to_args(body_fields=body_fields, received_body=body,
                                                      embed_body_fields=route._embed_body_fields)
            values.update(found)
            errors += wrong
        if dependant.request_param_name:
            values[dependant.request_param_name] = request
        if errors:
            raise RequestValidationError(errors, body=None if body is Undefined else body)
        answer = await call(**values)
        if isinstance(answer, Response):
            return answer
        content = await serialize_response(
            field=route.response_field, response_content=answer, include=route.response_model_include,
            exclude=route.response_model_exclude, by_alias=route.response_model_by_alias,
            exclude_unset=route.response_model_exclude_unset,
            exclude_defaults=route.response_model_exclude_defaults,
            exclude_none=route.response_model_exclude_none, is_coroutine=True, dump_json=dump_json,
        )
        arguments = {} if status_code is None else {"status_code": status_code}
        if dump_json:
            response: Response = Response(content=content, media_type="application/json", **arguments)
        else:
            response = actual_response_class(content, **arguments)
        if not is_body_allowed_for_status_code(response.status_code):
            response.body = b""
        return response

    return lean
