"""Running the worker's rounds by hand in webhook tests."""

from __future__ import annotations

import re
from pathlib import Path

from onhand.services.feed.followers import run_until_idle
from onhand.services.worker.loop import run_round
from onhand.services.worker.standard import standard_followers, standard_senders
from tests.integration.feed.settle import settle

DOCS = Path(__file__).parents[3] / "docs" / "webhooks.md"


def drain(onhand) -> int:
    """One worker round after the feed settled: followers caught up, due deliveries sent."""
    settle(onhand)
    return run_round(onhand, standard_followers().values(), standard_senders().values())


def follow(onhand) -> None:
    """The followers only, until caught up: deliveries written, none sent."""
    settle(onhand)
    for follower in standard_followers().values():
        run_until_idle(onhand, follower)


def documented_verifier():
    """`verify_onhand_signature` exactly as docs/webhooks.md shows it."""
    text = DOCS.read_text(encoding="utf-8")
    (code,) = [block for block in re.findall(r"```python\n(.*?)```", text, re.S) if "verify_onhand_signature" in block]
    scope: dict = {}
    exec(compile(code, str(DOCS), "exec"), scope)
    return scope["verify_onhand_signature"]
