"""Sign in and sign out."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from onhand import services
from onhand.domain.access.users import SESSION_LIFETIME
from onhand.domain.errors import TooManySignIns, Unauthorized
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import (
    SESSION_COOKIE,
    SIGN_IN_CSRF_COOKIE,
    VisitorDep,
    base_onhand,
    check_sign_in_form,
    client_address,
    set_cookie,
)

router = APIRouter(include_in_schema=False)


def _next(path: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another host)."""
    if not path or not path.startswith("/") or path.startswith("//") or urlsplit(path).netloc:
        return "/"
    return path[:500]


def _form(request: Request, *, email: str = "", next_path: str = "/", error: str | None = None,
          status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "sign_in.html", {"csrf_token": token, "email": email, "next": _next(next_path),
                                                "error": error}, status_code)
    set_cookie(request, response, SIGN_IN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/") -> Response:
    return _form(request, next_path=next)


@router.post("/sign-in", dependencies=[Depends(check_sign_in_form)])
def sign_in(
    request: Request,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    try:
        new = services.users.sign_in(base_onhand(request), email=email, password=password,
                                     client=client_address(request))
    except TooManySignIns as refused:
        response = _form(request, email=email, next_path=next, error=refused.message, status_code=429)
        response.headers["Retry-After"] = str(refused.retry_after_seconds)
        return response
    except Unauthorized as refused:
        return _form(request, email=email, next_path=next, error=refused.message, status_code=401)
    response = RedirectResponse(_next(next), status_code=303)
    set_cookie(request, response, SESSION_COOKIE, new.token, max_age=int(SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(SIGN_IN_CSRF_COOKIE, path="/")
    return response


@router.post("/sign-out")
def sign_out(request: Request, visitor: VisitorDep) -> Response:
    services.users.sign_out(visitor.onhand, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
