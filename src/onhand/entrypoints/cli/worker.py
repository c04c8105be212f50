"""`onhand worker`: the change feed's followers and the senders (webhooks, channel pushes),
until SIGTERM or SIGINT; and the in-process worker `onhand serve` starts beside the API."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from onhand import services
from onhand.bootstrap import Onhand
from onhand.entrypoints.cli.amazon import AmazonSender
from onhand.entrypoints.cli.session import onhand
from onhand.services.worker.senders import Sender
from onhand.services.worker.standard import standard_followers, standard_senders

STOP_WAIT = 30.0
Poll = Annotated[float, typer.Option(min=0.05, max=60.0, help="Seconds between idle rounds (a commit of this "
                                     "process wakes it sooner).")]


def senders() -> dict[str, Sender]:
    """The standard senders and Amazon's round (its API client is made here, at the edge)."""
    return {**standard_senders(), "amazon": Sender("amazon", AmazonSender())}


def _run(target: Onhand, stopping: threading.Event, poll: float) -> None:
    services.worker.run_worker(target, standard_followers().values(), senders().values(),
                               stopping=stopping, wait=target.wait_for_changes, poll=poll)


def stopper(target: Onhand, stopping: threading.Event) -> Callable[[], None]:
    def stop() -> None:
        stopping.set()
        target.wake()  # end the wait between rounds now

    return stop


@contextmanager
def worker_in_background(target: Onhand, poll: float = 1.0) -> Iterator[threading.Thread]:
    """The worker in a thread of this process while the block runs; asked to stop when it
    ends, and waited for up to STOP_WAIT seconds (a round may be sending to a slow receiver;
    the thread is a daemon, and what it had claimed is due again when its lease ends)."""
    stopping = threading.Event()
    thread = threading.Thread(target=_run, args=(target, stopping, poll), name="onhand-worker", daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        stopper(target, stopping)()
        thread.join(timeout=STOP_WAIT)


def worker(ctx: typer.Context, poll: Poll = 1.0) -> None:
    """Run the followers and senders (webhook deliveries, channel pushes) until stopped.

    Several workers may run against one PostgreSQL database: they share the work without
    doing any of it twice. SIGTERM or SIGINT (Ctrl-C) stops after the round in progress."""
    target = onhand(ctx)
    stopping = threading.Event()
    stop = stopper(target, stopping)
    previous = {sig: signal.signal(sig, lambda _signum, _frame: stop()) for sig in (signal.SIGTERM, signal.SIGINT)}
    typer.echo(f"worker running: followers {', '.join(standard_followers())}; senders "
               f"{', '.join(senders())} (SIGTERM or Ctrl-C stops)", err=True)
    try:
        _run(target, stopping, poll)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    typer.echo("worker stopped", err=True)
