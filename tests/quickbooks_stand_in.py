"""A local stand-in of QuickBooks Online's Accounting API for push tests: it records what
python-quickbooks sends (POST /company/{realm}/journalentry?minorversion&requestid with
the bearer token and the JournalEntry body) and answers as QBO documents it (the
created JournalEntry with its Id), or refuses with a Fault."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

TOKEN = "qbo-secret-token"
REALM = "9130357992341"


class StandInQuickBooks(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []
    refuse: ClassVar[bool] = False

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        StandInQuickBooks.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if StandInQuickBooks.refuse:
            answer, status = {"Fault": {"Error": [{"Message": "Invalid account", "Detail": "Account 630 not found",
                                                    "code": "2500"}], "type": "ValidationFault"}}, 400
        else:
            answer, status = {"JournalEntry": {**body, "Id": "148", "SyncToken": "0"}, "time": "2026-03-03"}, 200
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def stand_in_quickbooks() -> Iterator[str]:
    """Serve the stand-in on a free port; yield the API's base URL (…/v3)."""
    StandInQuickBooks.received, StandInQuickBooks.refuse = [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInQuickBooks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v3"
    finally:
        server.shutdown()
        server.server_close()
