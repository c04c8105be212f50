"""The benchmark's HTTP clients send each request as given, over real keep-alive
connections to a real server, and report each answer's status in the plan's order."""

from __future__ import annotations

import json

from benchmarks import http_clients
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.e2e.conftest import serve_api


async def _echo(request: Request) -> Response:
    """201 when the body is the JSON the path names, with the header it should carry; else 400."""
    body = json.loads(await request.body())
    wanted = request.path_params["n"]
    ok = body == {"n": wanted} and request.headers.get("idempotency-key") == f"key-{wanted}"
    return Response(status_code=201 if ok else 400)


def test_each_answer_comes_back_in_the_plan_order_with_its_status() -> None:
    app = Starlette(routes=[Route("/echo/{n:int}", _echo, methods=["POST"])])
    plan = [(f"/echo/{n}", {"Idempotency-Key": f"key-{n}", "Content-Type": "application/json"},
             json.dumps({"n": n if n != 7 else 8}))  # the 8th request's body is wrong: 400
            for n in range(40)]
    plan.append(("/nowhere", {}, "{}"))  # 404

    with serve_api(app) as url:
        result = http_clients.run(url, 4, plan)

    statuses = [status for _ms, status in result["answers"]]
    assert statuses == [201] * 7 + [400] + [201] * 32 + [404]
    assert all(ms > 0 for ms, _status in result["answers"])
    assert result["last_answer"] >= result["began"] and result["cpu_seconds"] > 0


async def _read(request: Request) -> Response:
    """200 for a GET carrying the header the path names; a POST here is refused (405)."""
    wanted = request.path_params["n"]
    return Response(status_code=200 if request.headers.get("authorization") == f"Bearer {wanted}" else 401)


def test_a_request_without_a_body_is_a_get() -> None:
    app = Starlette(routes=[Route("/read/{n:int}", _read, methods=["GET"])])
    plan = [(f"/read/{n}", {"Authorization": f"Bearer {n if n != 3 else 4}"}, None) for n in range(10)]
    plan.append(("/read/1", {}, "{}"))  # a body: a POST, which the route does not take

    with serve_api(app) as url:
        result = http_clients.run(url, 3, plan)

    assert [status for _ms, status in result["answers"]] == [200] * 3 + [401] + [200] * 6 + [405]
