"""Request bodies: JSON parsed exactly (numbers as Decimal), CSV read as UTF-8 text.

`ExactJsonRoute` is the route class of every /api/v1 router. Its requests parse JSON
numbers with a fractional part or exponent straight from their text into `Decimal`
(never through a float), and a malformed body is not rejected on the spot: it is
remembered (`request.state.body_error`) and reported as a 422 only after
authentication has run, so that a caller without a key learns nothing but 401.

Text the API cannot take (NUL characters, lone surrogates: see `text.py`) is refused
here, naming where it was.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
from collections.abc import Callable, Coroutine, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from onhand.adapters.db.group_commit import GroupFailed, Outcome, Together
from onhand.bootstrap import Onhand
from onhand.domain.errors import InvalidInput
from onhand.entrypoints.api.auth import authenticate, caller
from onhand.entrypoints.api.lean import lean_handler
from onhand.entrypoints.api.text import bad_text, text_fault

E = TypeVar("E", bound=Callable[..., Any])

# Fails validation of any body model, so the route reports `request.state.body_error`.
MALFORMED = object()


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
                bad = bad_text(parsed) if parsed is not MALFORMED else None
            except RecursionError:
                self.state.body_error = ("body", "malformed JSON (nested too deeply)")
                parsed, bad = MALFORMED, None
            if bad:
                self.state.body_error = bad
                parsed = MALFORMED
            self._json = parsed
        return self._json


def _needs_key(dependant: Dependant) -> bool:
    return any(dep.call is caller or _needs_key(dep) for dep in dependant.dependencies)


_IN_GROUP = "_onhand_in_group"


def in_group(endpoint: E) -> E:
    """Marks a plain `def` endpoint that a server grouping its writes hands to the group writer
    itself (`Onhand.call_in_group`) rather than to a pool thread that would hand its writes
    over and wait: one hand-off a request instead of two. Only for an endpoint that writes
    through `in_transaction` alone (as `run_write` does) and waits for nothing else: no
    `writing()` of its own, no other server."""
    setattr(endpoint, _IN_GROUP, True)
    return endpoint


_TOGETHER = "_onhand_together"


def together(
    run_all: Callable[[Sequence[Mapping[str, Any]]], Sequence[Outcome]],
) -> Callable[[E], E]:
    """Marks an `in_group` endpoint whose calls by one key in a group are run at once:
    `run_all` gets each call's arguments and gives each one's outcome, (True, what the endpoint
    would return) or (False, what it would raise), as if each had been called alone
    (`GroupWriter.submit`, `services.context.run_writes`)."""

    def mark(endpoint: E) -> E:
        setattr(endpoint, _TOGETHER, run_all)
        return in_group(endpoint)

    return mark


def each_outcome(
    calls: Sequence[Mapping[str, Any]], service: Callable[[Onhand, list[tuple[Any, str | None]]], Sequence[Outcome]],
    answer: Callable[[Any], Any],
) -> list[Outcome]:
    """`together`'s work for an endpoint that gives `service` its body's command and its
    idempotency key, and answers with `answer` of what it gave: every call's given to
    `service` at once, with the calls' Onhand (they act as one key). A call whose body
    cannot become a command gets that error as its outcome."""
    outcomes: dict[int, Outcome] = {}
    requests: dict[int, tuple[Any, str | None]] = {}
    for index, call in enumerate(calls):
        try:
            requests[index] = (call["body"].to_command(), call["idempotency_key"])
        except Exception as exc:  # its own error, as the endpoint alone would raise it
            outcomes[index] = (False, exc)
    if requests:
        onhand = _onhand_of(calls[0])
        assert onhand is not None
        served = service(onhand, list(requests.values()))
        for index, (ok, value) in zip(requests, served, strict=True):
            outcomes[index] = (True, answer(value)) if ok else (False, value)
    return [outcomes[index] for index in range(len(calls))]


_ON_LOOP = "_onhand_on_loop"


def one_read(when: Callable[[Mapping[str, Any]], bool] = lambda _arguments: True) -> Callable[[E], E]:
    """Marks a plain `def` endpoint that reads one thing (a document by its key, one item's
    stock), when `when` says so of its arguments: on SQLite, with a pooled connection idle, it
    runs on the event loop's thread rather than being handed to a pool thread and back. Such
    a read is a few statements, all CPU (SQLite has no network and its readers never wait for
    its writer): about a third of a millisecond, where the hand-off and the threads taking
    turns at Python's lock cost more than the read (`docs/architecture.md`, "The HTTP edge").
    Elsewhere, and on PostgreSQL (a round trip per statement), it is handed off as any."""

    def mark(endpoint: E) -> E:
        setattr(endpoint, _ON_LOOP, when)
        return endpoint

    return mark


def _onhand_of(arguments: Mapping[str, Any]) -> Onhand | None:
    return next((value for value in arguments.values() if isinstance(value, Onhand)), None)


def _in_one_hand_off(endpoint: Callable[..., Any]) -> Callable[..., Coroutine[Any, Any, Any]]:
    """A plain `def` endpoint as FastAPI would run it, in its thread pool, but in one hand-off.

    FastAPI hands a plain endpoint to its thread pool, then its answer to the pool again to
    be checked against the response model: two round trips between threads, each costing
    more than the check. As a coroutine, the endpoint's answer is checked on the event loop.
    An endpoint `in_group`, on a server grouping its writes, goes to the group writer instead;
    one that makes `one_read`, on SQLite, may run on the event loop's thread.
    """
    grouped = getattr(endpoint, _IN_GROUP, False)
    run_all = getattr(endpoint, _TOGETHER, None)
    read_here: Callable[[Mapping[str, Any]], bool] | None = getattr(endpoint, _ON_LOOP, None)

    @functools.wraps(endpoint)  # FastAPI reads the parameters through __wrapped__
    async def handed_off(*args: Any, **kwargs: Any) -> Any:
        onhand = _onhand_of(kwargs) if read_here is not None or grouped else None
        if onhand is not None:
            if read_here is not None and onhand.reads_without_waiting() and read_here(kwargs):
                return endpoint(*args, **kwargs)
            if grouped and onhand.writes_in_groups:
                try:
                    # Shielded: a request cancelled on the loop (its client gone) is still
                    # run by the writer, as one handed to a thread would be.
                    joint = Together((run_all, onhand.actor.reference), kwargs, run_all) if run_all else None
                    return await asyncio.shield(asyncio.wrap_future(
                        onhand.call_in_group(functools.partial(endpoint, *args, **kwargs), joint)))
                except GroupFailed:
                    pass  # nothing of it was kept: once more, as any endpoint (its writes retried there)
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return handed_off


class ExactJsonRoute(APIRoute):
    """Parses JSON exactly, looks the API key up before anything reads the body, and
    handles its requests without FastAPI's general dependency solving where it can (lean.py)."""

    handled_lean = False

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _in_one_hand_off(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        fastapi_handler = super().get_route_handler()
        lean = lean_handler(self, fastapi_handler)
        self.handled_lean = lean is not None
        handler = lean or fastapi_handler
        needs_key = _needs_key(self.dependant)

        async def exact(request: Request) -> Response:
            exact_request = ExactJsonRequest(request.scope, request.receive)
            if needs_key:
                await authenticate(exact_request)
            return await handler(exact_request)

        return exact


async def _csv_text(request: Request) -> str:
    """The CSV of an import: the raw body (text/csv) or the multipart field `file`."""
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/form-data"):
        try:
            form = await request.form()
        except HTTPException as exc:
            if exc.status_code == 413:  # over the body cap (body_limit.py)
                raise
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
    fault = text_fault(text)
    if fault:
        raise InvalidInput("file", fault)
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
