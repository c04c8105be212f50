"""The senders of the channels benchmark, in a process of their own, as Shopify's are.

    python -m benchmarks.webhook_senders URL SENDERS < deliveries.json > answers.json

Reads a JSON list of [event id, body] and the webhook secret (ONHAND_BENCH_WEBHOOK_SECRET),
posts each delivery signed over its raw body from SENDERS threads, one keep-alive
connection each, and writes {"answers": [[milliseconds, status], ...], "began": <epoch
seconds of the first send>, "last_answer": <epoch seconds>}. In the server's process,
sixteen sender threads took the interpreter from the server they were measuring.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from onhand.adapters.channels.shopify.signatures import signature


def main() -> int:
    target, senders = sys.argv[1], int(sys.argv[2])
    secret = os.environ["ONHAND_BENCH_WEBHOOK_SECRET"]
    deliveries = [(event_id, body.encode()) for event_id, body in json.load(sys.stdin)]
    local = threading.local()
    clients: list[httpx.Client] = []

    def send(delivery: tuple[str, bytes]) -> tuple[float, int]:
        client = getattr(local, "client", None)
        if client is None:  # one keep-alive connection per sender
            client = local.client = httpx.Client(timeout=30)
            clients.append(client)
        event_id, body = delivery
        started = time.perf_counter()
        answer = client.post(target, content=body, headers={
            "X-Shopify-Topic": "orders/create", "X-Shopify-Event-Id": event_id,
            "X-Shopify-Hmac-Sha256": signature(body, secret), "Content-Type": "application/json"})
        return (time.perf_counter() - started) * 1000, answer.status_code

    began = time.time()
    with ThreadPoolExecutor(senders) as pool:
        answers = list(pool.map(send, deliveries))
    last_answer = time.time()
    for client in clients:
        client.close()
    json.dump({"answers": answers, "began": began, "last_answer": last_answer}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
