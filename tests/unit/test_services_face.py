"""`onhand.services` names every service module, and imports each only when first asked for."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import onhand.services as services

FACE = Path(services.__file__)


def _type_checking_imports() -> dict[str, str]:
    """What the face's `if TYPE_CHECKING:` block imports: name -> module under onhand.services."""
    tree = ast.parse(FACE.read_text())
    (block,) = [node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names:
            found[alias.asname or alias.name] = f"{node.module}.{alias.name}".removeprefix("onhand.services.")
    return found


def test_the_names_for_type_checkers_are_the_names_served() -> None:
    assert _type_checking_imports() == services._MODULES
    assert services.__all__ == sorted(services._MODULES)


def test_each_name_is_its_module_once_asked_for() -> None:
    for name, where in services._MODULES.items():
        module = getattr(services, name)
        assert module.__name__ == f"onhand.services.{where}"
        assert vars(services)[name] is module  # kept: the next use asks nothing


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        services.no_such_service  # noqa: B018
    except AttributeError as error:
        assert "no_such_service" in str(error)
    else:
        raise AssertionError("an unknown name was served")


def test_the_names_shared_with_an_area_are_served_from_the_start() -> None:
    # A module or package right under onhand.services takes its name here once imported: every
    # such name the face serves is that module itself or one imported with the face.
    children = {module.name for module in pkgutil.iter_modules(services.__path__)}
    shared = {name for name in children & set(services._MODULES) if services._MODULES[name] != name}
    assert set(services.AS_AREAS) == shared
    code = ("import onhand.services as s; from onhand.services.worker import senders; "
            "from onhand.services.webhooks import sending; from onhand.services.channels import inbox; "
            "print(s.worker.__name__, s.webhooks.__name__, s.channels.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == [f"onhand.services.{services._MODULES[name]}" for name in ("worker", "webhooks", "channels")]


def test_importing_the_face_imports_only_the_modules_named_as_areas() -> None:
    code = ("import sys, onhand.services as s; "
            "print(sorted(m for m in sys.modules if m.startswith('onhand.services.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "onhand.services.orders.sales_orders" not in out and "onhand.services.ledger.integrity" not in out
    assert all(f"onhand.services.{services._MODULES[name]}" in out for name in services.AS_AREAS)
