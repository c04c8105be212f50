"""The clients of the HTTP benchmarks, in a process of their own, as real clients are.

    python -m benchmarks.http_clients < plan.json > answers.json

Reads {"base_url": URL, "clients": N, "requests": [[path, {header: value}, body], ...]}
and POSTs each body (text, sent as its UTF-8 bytes) from N threads, one keep-alive
connection each, in the order given as the threads take them. Writes {"answers":
[[milliseconds, status], ...] in the same order, "began": <epoch seconds of the first
send>, "last_answer": <epoch seconds>, "cpu_seconds": <this process's CPU>}. As threads of
the server's process, the clients took the interpreter from the server they were measuring.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx


def main() -> int:
    plan = json.load(sys.stdin)
    requests = [(path, headers, body.encode()) for path, headers, body in plan["requests"]]
    local = threading.local()
    clients: list[httpx.Client] = []
    lock = threading.Lock()

    def send(request: tuple[str, dict[str, str], bytes]) -> tuple[float, int]:
        client = getattr(local, "client", None)
        if client is None:  # one keep-alive connection per client
            client = local.client = httpx.Client(base_url=plan["base_url"], timeout=60)
            with lock:
                clients.append(client)
        path, headers, body = request
        started = time.perf_counter()
        answer = client.post(path, content=body, headers=headers)
        return (time.perf_counter() - started) * 1000, answer.status_code

    cpu, began = time.process_time(), time.time()
    with ThreadPoolExecutor(plan["clients"]) as pool:
        answers = list(pool.map(send, requests))
    last_answer, cpu = time.time(), time.process_time() - cpu
    for client in clients:
        client.close()
    json.dump({"answers": answers, "began": began, "last_answer": last_answer, "cpu_seconds": cpu}, sys.stdout)
    return 0


def run(base_url: str, clients: int, requests: list[tuple[str, dict[str, str], str]]) -> dict:
    """This module in a child process; its answer."""
    sent = subprocess.run(
        [sys.executable, "-m", "benchmarks.http_clients"],
        input=json.dumps({"base_url": base_url, "clients": clients, "requests": requests}),
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(sent.stdout)


if __name__ == "__main__":
    sys.exit(main())
