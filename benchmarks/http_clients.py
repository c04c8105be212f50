"""The clients of the HTTP benchmarks, in a process of their own, as real clients are.

    python -m benchmarks.http_clients < plan.json > answers.json

Reads {"base_url": URL, "clients": N, "requests": [[path, {header: value}, body], ...]}
and POSTs each body (text, sent as its UTF-8 bytes; a GET where it is null) from N clients, one keep-alive
connection each, in the order given as the clients take them. Writes {"answers":
[[milliseconds, status], ...] in the same order, "began": <epoch seconds of the first
send>, "last_answer": <epoch seconds>, "cpu_seconds": <this process's CPU>}.

The clients must cost little: on this 2-core machine they share the cores with the server
they measure. As threads of the server's process they took its interpreter; as threads
with an httpx client each they took 1.7-2.0 ms of CPU per request, as much as the server,
which capped what could be measured at about 450 requests a second whatever the server
did. So each client is a coroutine on one event loop (uvloop's, as the server's), writing
requests made before the clock starts and reading answers with httptools, uvicorn's C
parser of HTTP/1.1 (both are dependencies of the server already).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httptools
import uvloop


class _Connection(asyncio.Protocol):
    """One keep-alive connection: a request written, its answer's status awaited."""

    def __init__(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._answer: asyncio.Future[int] | None = None
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]  # uvloop's is no asyncio.Transport

    def data_received(self, data: bytes) -> None:
        self._parser.feed_data(data)

    def on_message_complete(self) -> None:  # httptools: an answer has been read whole
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(self._parser.get_status_code())

    def connection_lost(self, exc: Exception | None) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(exc or ConnectionError("the server closed the connection"))

    async def send(self, request: bytes) -> int:
        assert self._transport is not None
        self._answer = asyncio.get_running_loop().create_future()
        self._transport.write(request)
        return await self._answer

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()


def _raw(host: str, path: str, headers: dict[str, str], body: str | None) -> bytes:
    """A POST of `body` (a GET if None) as HTTP/1.1 puts it on the wire."""
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    if body is None:
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{head}\r\n".encode()
    content = body.encode()
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(content)}\r\n{head}\r\n").encode() + content


async def _send_all(base_url: str, clients: int, requests: list[bytes]) -> tuple[list[list[float]], float, float]:
    address = urlsplit(base_url)
    loop = asyncio.get_running_loop()
    connections = [(await loop.create_connection(_Connection, address.hostname, address.port))[1]
                   for _ in range(clients)]
    answers: list[list[float]] = [[0.0, 0]] * len(requests)
    taken = iter(range(len(requests)))

    async def client(connection: _Connection) -> None:
        for n in taken:  # the next request not taken by another client
            started = time.perf_counter()
            status = await connection.send(requests[n])
            answers[n] = [(time.perf_counter() - started) * 1000, status]

    began = time.time()
    try:
        await asyncio.gather(*(client(connection) for connection in connections))
    finally:
        for connection in connections:
            connection.close()
    return answers, began, time.time()


def main() -> int:
    plan = json.load(sys.stdin)
    host = urlsplit(plan["base_url"]).netloc
    requests = [_raw(host, path, headers, body) for path, headers, body in plan["requests"]]
    cpu = time.process_time()
    answers, began, last_answer = uvloop.run(_send_all(plan["base_url"], plan["clients"], requests))
    cpu = time.process_time() - cpu
    json.dump({"answers": answers, "began": began, "last_answer": last_answer, "cpu_seconds": cpu}, sys.stdout)
    return 0


def run(base_url: str, clients: int, requests: list[tuple[str, dict[str, str], str | None]]) -> dict:
    """This module in a child process; its answer."""
    sent = subprocess.run(
        [sys.executable, "-m", "benchmarks.http_clients"],
        input=json.dumps({"base_url": base_url, "clients": clients, "requests": requests}),
        capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent,
    )
    if sent.returncode != 0:
        raise RuntimeError(f"the clients failed:\n{sent.stderr}")
    return json.loads(sent.stdout)


if __name__ == "__main__":
    sys.exit(main())
