"""Senders: what the worker runs after each round of followers, outside their transactions.

A sender takes the records a follower wrote (webhook deliveries, a channel's pending
pushes), sends what is due to the other system, and records the outcome: it claims its
records so that several workers never send one twice (webhooks/sending.py is the model:
a claim with a lease in a short transaction, the request outside any, the outcome in its
own). It returns how many it attempted — 0 when nothing was due, so the worker may rest.

Register one in `services/worker/standard.py: standard_senders()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext


@dataclass(frozen=True)
class Sender:
    name: str
    # Sends what is due now; how many it attempted (0: nothing was due).
    send: Callable[[ServiceContext], int]
