"""Who is signed in, and the checks every page and form goes through.

The session cookie carries a random token (the database keeps its SHA-256): HTTP-only,
SameSite=Lax, Secure when served over https. Every unsafe request (POST, PUT, PATCH,
DELETE) must carry the session's CSRF token as the form field `csrf_token` or the header
`X-CSRF-Token`; the sign-in form, which has no session yet, is checked the same way
against a cookie of its own (double submit). A page asked for without a session
redirects to the sign-in page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.access.roles import Permission
from onhand.domain.errors import Forbidden, Unauthorized
from onhand.services.views import SessionView

SESSION_COOKIE = "onhand_session"
SIGN_IN_CSRF_COOKIE = "onhand_sign_in"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequired(Exception):
    """No valid session: the app answers with a redirect to the sign-in page."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class PageRefused(Exception):
    """A page or form refused (403 CSRF or role), rendered as an error page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def base_onhand(request: Request) -> Onhand:
    onhand: Onhand = request.app.state.onhand
    return onhand


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")


async def _form_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def signed_in(request: Request) -> SessionView:
    """The request's session; for an unsafe method, only with its CSRF token."""
    try:
        # A database read: off the event loop, which every other request shares.
        session = await run_in_threadpool(services.users.session_for, base_onhand(request),
                                          request.cookies.get(SESSION_COOKIE))
    except Unauthorized:
        if request.method not in SAFE_METHODS:
            raise PageRefused(403, "Your session has ended: sign in again, then repeat this.") from None
        raise SignInRequired(request.url.path) from None
    if request.method not in SAFE_METHODS and not services.users.csrf_matches(session, await _form_token(request)):
        raise PageRefused(403, "This form's security token is missing or wrong: reload the page and try again.")
    return session


async def check_sign_in_form(request: Request) -> None:
    """The sign-in form's CSRF check (no session yet): its field must match its cookie."""
    expected = request.cookies.get(SIGN_IN_CSRF_COOKIE)
    given = await _form_token(request)
    if not expected or not given or not secrets.compare_digest(expected, given):
        raise PageRefused(403, "This form's security token is missing or wrong: reload the page and try again.")


@dataclass(frozen=True)
class Visitor:
    """The signed-in user and the Onhand acting as them (every write records `user:<email>`)."""

    session: SessionView
    onhand: Onhand

    def require(self, permission: Permission) -> None:
        try:
            services.users.authorize_user(self.session.user, permission)
        except Forbidden as refused:
            raise PageRefused(403, f"You may not do this: {refused.message}") from None

    def require_location(self, site: str) -> None:
        try:
            services.users.authorize_location(self.session.user, site)
        except Forbidden as refused:
            raise PageRefused(403, f"You may not do this: {refused.message}") from None

    def require_everywhere(self) -> None:
        try:
            services.users.authorize_everywhere(self.session.user)
        except Forbidden as refused:
            raise PageRefused(403, f"You may not do this: {refused.message}") from None

    @property
    def reaches_every_site(self) -> bool:
        try:
            services.users.authorize_everywhere(self.session.user)
        except Forbidden:
            return False
        return True

    @property
    def manages_users(self) -> bool:
        """Whether the menu offers the users page."""
        return self.may(Permission.USERS)

    def may(self, permission: Permission) -> bool:
        try:
            services.users.authorize_user(self.session.user, permission)
        except Forbidden:
            return False
        return True


async def _visitor(request: Request, session: Annotated[SessionView, Depends(signed_in)]) -> Visitor:
    # `async`: it waits for nothing, and a plain `def` would be run in the thread pool.
    onhand = base_onhand(request).acting_as(services.users.actor_of(session.user))
    return Visitor(session, onhand)


VisitorDep = Annotated[Visitor, Depends(_visitor)]
