"""Text the API refuses wherever it appears: in bodies, paths and query strings alike.

A NUL character: no code, name or CSV cell has a use for one, and PostgreSQL cannot
store or compare it. A lone surrogate (a JSON escape like "\\udfff" that is half of a
pair): it is not Unicode text, so it could be neither stored nor echoed back.
"""

from __future__ import annotations

import re
from typing import Any

NUL = "\x00"
NUL_REASON = "must not contain NUL characters"
SURROGATE_REASON = "must be valid Unicode text (a lone surrogate such as \\ud83d is not)"
_SURROGATES = re.compile("[\ud800-\udfff]")


def text_fault(text: str) -> str | None:
    """Why `text` cannot be taken as text, if it cannot."""
    if NUL in text:
        return NUL_REASON
    if _SURROGATES.search(text):
        return SURROGATE_REASON
    return None


def bad_text(value: Any, path: str = "") -> tuple[str, str] | None:
    """The dotted path of the first string (or key) that is not acceptable text, and why."""
    if isinstance(value, str):
        fault = text_fault(value)
        return (path or "body", fault) if fault else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            fault = text_fault(str(key))
            if fault:
                return (inner.encode("utf-8", "backslashreplace").decode(), fault)
            found = bad_text(item, inner)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = bad_text(item, f"{path}[{index}]")
            if found:
                return found
    return None
