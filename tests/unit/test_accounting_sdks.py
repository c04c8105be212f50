"""The accounting SDKs are optional extras: Onhand starts without them, and asking for what
needs one names the `pip install` that brings it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from onhand.adapters.accounting import exports
from onhand.adapters.accounting.sdks import LazyPushers, load
from onhand.domain.accounting.regions import REGIONS
from onhand.domain.errors import MissingExtra
from tests.unit.test_accounting_exports import journal


@pytest.fixture
def without_sdks(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if neither SDK were installed: importing them fails, and Onhand's modules that use them are not loaded."""
    for name in list(sys.modules):
        if name.partition(".")[0] in ("xero_python", "quickbooks", "intuitlib") or name in (
                "onhand.adapters.accounting.xero", "onhand.adapters.accounting.quickbooks",
                "onhand.adapters.accounting.xero_push", "onhand.adapters.accounting.quickbooks_push"):
            monkeypatch.delitem(sys.modules, name)
    for package in ("xero_python", "quickbooks", "intuitlib"):
        monkeypatch.setitem(sys.modules, package, None)


def test_an_export_that_needs_a_missing_sdk_names_the_extra_to_install(without_sdks):
    with pytest.raises(MissingExtra) as raised:
        exports.journal_exporters()["xero-json"]([journal()], "POSTED", REGIONS["UK"])
    assert raised.value.field == "format" and "pip install 'onhand[xero]'" in raised.value.reason
    with pytest.raises(MissingExtra, match=r"pip install 'onhand\[quickbooks\]'"):
        exports.journal_exporters()["qbo-json"]([journal()], "POSTED", REGIONS["UK"])


def test_the_xero_csv_template_and_plain_csv_need_no_sdk(without_sdks):
    assert exports.journal_exporters()["xero-csv"]([journal()], "POSTED", REGIONS["UK"]).startswith("*Narration")
    assert exports.journal_exporters()["csv"]([journal()], "POSTED", REGIONS["UK"])


def test_a_pusher_is_made_when_first_asked_for_and_a_missing_sdk_refuses_the_target(without_sdks):
    made = []
    pushers = LazyPushers({
        "xero": lambda: load("onhand.adapters.accounting.xero_push", "xero", "target"),
        "csv": lambda: made.append(1) or "pusher",
    })
    assert sorted(pushers) == ["csv", "xero"] and not made
    assert pushers.get("csv") == pushers["csv"] == "pusher" and made == [1]
    with pytest.raises(MissingExtra) as raised:
        pushers.get("xero")
    assert raised.value.field == "target" and "onhand[xero]" in raised.value.reason


def test_an_import_error_inside_onhand_is_not_taken_for_a_missing_extra(without_sdks, monkeypatch):
    monkeypatch.setitem(sys.modules, "onhand.adapters.accounting.not_there", None)
    with pytest.raises(ModuleNotFoundError):
        load("onhand.adapters.accounting.not_there", "xero", "format")


def test_onhand_starts_without_the_sdks():
    blocked = "; ".join(f"sys.modules[{name!r}] = None" for name in ("xero_python", "quickbooks", "intuitlib"))
    code = (f"import sys; {blocked}; import onhand.bootstrap, onhand.entrypoints.cli.main, "
            "onhand.entrypoints.api.app; print('started')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "started"
