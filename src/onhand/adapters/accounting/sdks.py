"""The accounting systems' SDKs are optional (`onhand[xero]`, `onhand[quickbooks]`): the
modules that use them are imported here, when a journal is first exported or pushed in
that system's format, never when Onhand starts. A missing SDK is a `MissingExtra` naming
the `pip install` that brings it, raised before anything is recorded or sent.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType
from typing import Any

from onhand.domain.errors import MissingExtra

# The top-level packages each extra brings.
EXTRA_PACKAGES = {"xero": ("xero_python",), "quickbooks": ("quickbooks", "intuitlib")}
NAMES = {"xero": "Xero", "quickbooks": "QuickBooks Online"}


def load(module: str, extra: str, field: str) -> ModuleType:
    """Import an Onhand module that needs `extra`'s SDK; MissingExtra(field) when it is absent."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.partition(".")[0] not in EXTRA_PACKAGES[extra]:
            raise
        raise MissingExtra(field, f"{NAMES[extra]} (the {exc.name.partition('.')[0]} SDK)", extra) from None


class LazyPushers(Mapping[str, Any]):
    """The configured journal pushers by target, each made (its SDK imported) when first asked for."""

    def __init__(self, factories: Mapping[str, Callable[[], Any]]) -> None:
        self._factories = dict(factories)
        self._made: dict[str, Any] = {}

    def __getitem__(self, target: str) -> Any:
        if target not in self._made:
            self._made[target] = self._factories[target]()
        return self._made[target]

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)
