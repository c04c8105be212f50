"""Who acts: the `Actor` every write records (audit log, postings, idempotency scope).

An API request acts as its key, the CLI as `cli:<OS user>`, the demo loader and code
calling the services directly as `system`; a signed-in user (the web app) as `user:<email>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from onhand.domain.choices import parse_choice
from onhand.domain.errors import InvalidInput

# Kept short enough for `postings.actor` (100 characters) with its kind in front.
MAX_ACTOR_ID = 64


class ActorKind(StrEnum):
    API_KEY = "api_key"
    USER = "user"
    CLI = "cli"
    SYSTEM = "system"
    CHANNEL = "channel"  # a sales channel's deliveries (its orders, edits, refunds)


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: str  # the key's or user's id, the OS user name; "" for the system
    name: str  # what a person reads: the key's name, the user's name

    @property
    def reference(self) -> str:
        """`api_key:12`, `cli:alice`, `system`: stored on postings, filtered on in the audit log."""
        return self.kind.value if self.kind is ActorKind.SYSTEM else f"{self.kind.value}:{self.id}"


SYSTEM = Actor(ActorKind.SYSTEM, "", "system")


def api_key_actor(key_id: int, name: str) -> Actor:
    return Actor(ActorKind.API_KEY, str(key_id), name)


def user_actor(email: str, name: str) -> Actor:
    """A signed-in person: `user:<email>` (an email has at most MAX_ACTOR_ID characters)."""
    return Actor(ActorKind.USER, email, name)


def channel_actor(name: str) -> Actor:
    """`channel:shop-us`: what a sales channel's webhooks and imports do."""
    return Actor(ActorKind.CHANNEL, name, name)


def cli_actor(os_user: str) -> Actor:
    user = "".join(ch for ch in os_user.strip() if ch.isprintable())[:MAX_ACTOR_ID] or "unknown"
    return Actor(ActorKind.CLI, user, user)


def parse_actor_reference(text: str, field: str = "actor") -> tuple[ActorKind, str | None]:
    """`api_key:12` → (api_key, "12"); `cli` → (cli, None): every CLI user; `system`."""
    kind_text, _, actor_id = text.strip().partition(":")
    kind = parse_choice(ActorKind, kind_text, field)
    if kind is ActorKind.SYSTEM and actor_id:
        raise InvalidInput(field, "the system has no id: give 'system'")
    if len(actor_id) > MAX_ACTOR_ID:
        raise InvalidInput(field, f"an actor id has at most {MAX_ACTOR_ID} characters")
    return kind, actor_id or None
