"""`onhand worker`: the change feed's followers and the senders (webhooks, channel pushes),
until SIGTERM or SIGINT; and the in-process worker `onhand serve` starts beside the API."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
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

Nice = Annotated[int, typer.Option(
    min=0, max=19, envvar="ONHAND_WORKER_NICE",
    help="Lower this process's CPU priority by this much, as nice(1) does: where the worker shares the "
         "server's cores, requests and webhooks are answered first and the worker catches up after a burst "
         "(docs/channels.md, \"Performance\"). Default 0.")]

NightlyJournals = Annotated[int | None, typer.Option(
    "--nightly-journals", metavar="MINUTES", min=0, max=720, envvar="ONHAND_NIGHTLY_JOURNALS",
    help="Also post the days that are over and push their journals to the configured accounting systems, "
         "once a day, MINUTES after the company's midnight (docs/accounting.md). Default: not run.")]


def senders(nightly_journals: int | None = None) -> dict[str, Sender]:
    """The standard senders and Amazon's round (its API client is made here, at the edge)."""
    grace = timedelta(minutes=nightly_journals) if nightly_journals is not None else None
    return {**standard_senders(nightly_journals=grace), "amazon": Sender("amazon", AmazonSender())}


def _run(target: Onhand, stopping: threading.Event, poll: float, nightly_journals: int | None = None) -> None:
    services.worker.run_worker(target, standard_followers().values(), senders(nightly_journals).values(),
                               stopping=stopping, wait=target.wait_for_changes, poll=poll)


def stopper(target: Onhand, stopping: threading.Event) -> Callable[[], None]:
    def stop() -> None:
        stopping.set()
        target.wake()  # end the wait between rounds now

    return stop


@contextmanager
def worker_in_background(
    target: Onhand, poll: float = 1.0, nightly_journals: int | None = None
) -> Iterator[threading.Thread]:
    """The worker in a thread of this process while the block runs; asked to stop when it
    ends, and waited for up to STOP_WAIT seconds (a round may be sending to a slow receiver;
    the thread is a daemon, and what it had claimed is due again when its lease ends)."""
    stopping = threading.Event()
    thread = threading.Thread(target=_run, args=(target, stopping, poll, nightly_journals), name="onhand-worker",
                              daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        stopper(target, stopping)()
        thread.join(timeout=STOP_WAIT)


def worker(ctx: typer.Context, poll: Poll = 1.0, nightly_journals: NightlyJournals = None, nice: Nice = 0) -> None:
    """Run the followers and senders (webhook deliveries, channel pushes) until stopped.

    Several workers may run against one PostgreSQL database: they share the work without
    doing any of it twice. SIGTERM or SIGINT (Ctrl-C) stops after the round in progress."""
    if nice:
        if not hasattr(os, "nice"):
            raise typer.BadParameter("this system has no process priorities", param_hint="--nice")
        os.nice(nice)
    target = onhand(ctx)
    stopping = threading.Event()
    stop = stopper(target, stopping)
    previous = {sig: signal.signal(sig, lambda _signum, _frame: stop()) for sig in (signal.SIGTERM, signal.SIGINT)}
    typer.echo(f"worker running: followers {', '.join(standard_followers())}; senders "
               f"{', '.join(senders(nightly_journals))} (SIGTERM or Ctrl-C stops)", err=True)
    try:
        _run(target, stopping, poll, nightly_journals)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    typer.echo("worker stopped", err=True)
