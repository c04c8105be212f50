"""A local stand-in of Xero's Accounting API for push tests: it records what the SDK sends
(PUT /ManualJournals with the bearer token, tenant and idempotency key) and answers as
Xero documents it (the created ManualJournals with their ManualJournalID), or refuses."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

TOKEN = "secret-access-token"
TENANT = "0b9f6a4c-tenant"


class StandInXero(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []
    refuse: ClassVar[bool] = False

    def do_PUT(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        StandInXero.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if StandInXero.refuse:
            answer, status = {"ErrorNumber": 10, "Type": "ValidationException",
                              "Message": "A validation exception occurred"}, 400
        else:
            journals = [{**j, "ManualJournalID": str(uuid.uuid5(uuid.NAMESPACE_URL, j["Narration"]))}
                        for j in body["ManualJournals"]]
            answer, status = {"Id": str(uuid.uuid4()), "Status": "OK", "ManualJournals": journals}, 200
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def stand_in_xero() -> Iterator[str]:
    """Serve the stand-in on a free port; yield the API's base URL."""
    StandInXero.received, StandInXero.refuse = [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInXero)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api.xro/2.0"
    finally:
        server.shutdown()
        server.server_close()
