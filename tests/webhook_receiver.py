"""A stand-in webhook receiver on 127.0.0.1: records every request (headers, raw body) and
answers from a script: a status per request (2xx, 500, …) or "hang" (answer after the
sender's timeout), then 200 for the rest."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.http_stand_in import StandIn, serve

HANG_SECONDS = 0.5  # longer than the poster timeout the tests give (0.1 s)


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    script: list[int | str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self) -> int | str:
        with self.lock:
            return self.script.pop(0) if self.script else 200


@contextmanager
def receiver(*script: int | str) -> Iterator[Receiver]:
    state = Receiver(script=list(script))

    class Handler(StandIn):
        def do_POST(self) -> None:
            body = self.body()
            with state.lock:
                state.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            answer = state.next_answer()
            if answer == "hang":
                time.sleep(HANG_SECONDS)
                self.close_unanswered()
                return
            self.answer(int(answer), {"ok": answer == 200})

    with serve(Handler) as base:
        state.url = f"{base}/hooks/onhand"
        yield state
