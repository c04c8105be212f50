"""Puts the web app into the API's FastAPI app: pages at `/`, static assets at `/static`,
the API docs at `/docs` and `/redoc` (the API itself stays at `/api/v1`)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from onhand.entrypoints.web.pages import (
    api_docs,
    charts,
    counts,
    dashboard,
    items,
    labels,
    locations,
    lots,
    moves,
    orders,
    picking,
    receiving,
    sign_in,
    transfers,
    users,
    waves,
)
from onhand.entrypoints.web.rendering import STATIC, make_templates, render
from onhand.entrypoints.web.sessions import PageRefused, SignInRequired

ROUTERS = (sign_in, dashboard, items, charts, lots, locations, receiving, picking, counts, moves, transfers, orders,
           labels, users, waves, api_docs)


def _to_sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    target = "/sign-in" if exc.path == "/" else f"/sign-in?next={exc.path}"
    if request.headers.get("HX-Request") == "true":  # htmx follows this header, not a redirect
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageRefused)
    # htmx swaps the answer into the page: the message alone (the form's outcome area).
    name = "refused_fragment.html" if request.headers.get("HX-Request") == "true" else "refused.html"
    return render(request, name, {"status": exc.status, "message": exc.message}, exc.status)


def install_web(app: FastAPI) -> None:
    app.state.web_templates = make_templates()
    app.add_exception_handler(SignInRequired, _to_sign_in)
    app.add_exception_handler(PageRefused, _refused)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in ROUTERS:
        app.include_router(module.router)
