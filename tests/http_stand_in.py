"""What the Xero and QuickBooks stand-ins share: reading a request, answering JSON, serving
on a free local port in a daemon thread."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class StandIn(BaseHTTPRequestHandler):
    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body().decode()))

    def basic_auth(self) -> tuple[str, str] | None:
        scheme, _, encoded = (self.headers.get("Authorization") or "").partition(" ")
        if scheme != "Basic":
            return None
        user, _, password = base64.b64decode(encoded).decode().partition(":")
        return user, password

    def bearer(self) -> str | None:
        scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
        return token if scheme == "Bearer" else None

    def answer(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def close_unanswered(self) -> None:
        """Close the connection without an answer (the request was handled: a lost response)."""
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(handler: type[StandIn]) -> Iterator[str]:
    """Serve the handler on a free 127.0.0.1 port; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # shutdown() waits for the loop to poll: 0.5 s by default, on every stand-in.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
