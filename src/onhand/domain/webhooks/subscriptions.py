"""What a subscription may hold: a name, an http(s) URL, the event types it wants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from onhand.domain.errors import InvalidInput

NAME_MAX = 100
URL_MAX = 2000
EVERY_TYPE = "*"


def validate_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name", "must not be blank")
    name = name.strip()
    if len(name) > NAME_MAX or not name.isprintable():
        raise InvalidInput("name", f"must be at most {NAME_MAX} printable characters")
    return name


def validate_url(url: str) -> str:
    """An absolute http or https URL with a host, no credentials in it, at most URL_MAX long."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("url", "must not be blank")
    url = url.strip()
    if len(url) > URL_MAX:
        raise InvalidInput("url", f"must be at most {URL_MAX} characters")
    if not url.isascii() or not url.isprintable() or " " in url:
        raise InvalidInput("url", "must be ASCII without spaces (percent-encode the rest)")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number or out of range
    except ValueError:
        raise InvalidInput("url", "is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidInput("url", "must start with http:// or https://")
    if not parts.hostname:
        raise InvalidInput("url", "must name a host")
    if parts.username is not None or parts.password is not None:
        # They would be shown in every listing; put a token in a header-less URL path instead.
        raise InvalidInput("url", "must not carry a user name or password")
    if port == 0:
        raise InvalidInput("url", "port must be 1 to 65535")
    if parts.fragment:
        raise InvalidInput("url", "must not have a #fragment")
    return url


def validate_event_types(types: Iterable[str], known: Sequence[str]) -> tuple[str, ...]:
    """The types asked for, known ones only, each once, in the given order; `*` alone means all."""
    wanted = list(types)
    if not wanted:
        raise InvalidInput("event_types", f"name at least one event type, or {EVERY_TYPE!r} for all")
    if len(wanted) > len(known) + 1:
        raise InvalidInput("event_types", f"at most {len(known)} types")
    if EVERY_TYPE in wanted:
        if len(wanted) > 1:
            raise InvalidInput("event_types", f"{EVERY_TYPE!r} means every type: give it alone")
        return (EVERY_TYPE,)
    result: list[str] = []
    for kind in wanted:
        if not isinstance(kind, str) or kind not in known:
            shown = kind if isinstance(kind, str) else repr(kind)
            raise InvalidInput("event_types", f"unknown event type {shown!r}; known: {', '.join(known)}")
        if kind not in result:
            result.append(kind)
    return tuple(result)


def wants(event_types: Sequence[str], event_type: str) -> bool:
    return EVERY_TYPE in event_types or event_type in event_types
