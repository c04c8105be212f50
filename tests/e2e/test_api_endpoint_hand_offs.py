"""A plain `def` endpoint of the API runs off the event loop in one hand-off to the thread
pool: FastAPI's own way takes two (the endpoint, then the check of its answer)."""

from __future__ import annotations

import threading
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel

from onhand.entrypoints.api import bodies
from tests.e2e.conftest import serve_api


class Answer(BaseModel):
    n: int
    on_loop: bool


async def _loop_thread() -> int:
    return threading.get_ident()


def _app() -> FastAPI:
    router = APIRouter(route_class=bodies.ExactJsonRoute)

    @router.get("/twice/{n}")
    def twice(n: int, loop: Annotated[int, Depends(_loop_thread)]) -> Answer:
        """Doubles n."""
        return Answer(n=2 * n, on_loop=threading.get_ident() == loop)

    app = FastAPI()
    app.include_router(router)
    return app


def test_a_plain_endpoint_runs_off_the_loop_in_one_hand_off(monkeypatch: pytest.MonkeyPatch) -> None:
    hand_offs: list[str] = []
    import fastapi.routing

    def counted(where: str, run):
        async def run_counted(func, *args, **kwargs):
            hand_offs.append(where)
            return await run(func, *args, **kwargs)
        return run_counted

    monkeypatch.setattr(bodies, "run_in_threadpool", counted("ours", bodies.run_in_threadpool))
    monkeypatch.setattr(fastapi.routing, "run_in_threadpool", counted("fastapi's", fastapi.routing.run_in_threadpool))
    app = _app()

    with serve_api(app) as url:
        answer = httpx.get(f"{url}/twice/21")

    assert answer.status_code == 200
    assert answer.json() == {"n": 42, "on_loop": False}
    assert hand_offs == ["ours"]


def test_the_endpoint_keeps_its_parameters_and_docs() -> None:
    app = _app()
    with serve_api(app) as url, httpx.Client(base_url=url) as client:
        refused = client.get("/twice/many")
        schema = client.get("/openapi.json").json()

    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["path", "n"]
    operation = schema["paths"]["/twice/{n}"]["get"]
    assert operation["description"] == "Doubles n."
    assert [parameter["name"] for parameter in operation["parameters"]] == ["n"]
