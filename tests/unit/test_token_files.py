"""The token file of the accounting pushes: owner-only, replaced whole, seeded once, refused when unsafe."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from onhand.adapters.accounting.token_files import TokenFile
from onhand.domain.errors import PushFailed


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_token_is_saved_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    tokens = TokenFile("xero", tmp_path / "deep" / "token.json")
    previous = os.umask(0o000)
    try:
        tokens.save({"refresh_token": "r1", "access_token": "a1"})
        tokens.save({"refresh_token": "r2", "access_token": "a2"})
    finally:
        os.umask(previous)
    assert mode(tokens.path) == 0o600 and tokens.read()["refresh_token"] == "r2"
    assert [p.name for p in tokens.path.parent.iterdir()] == ["token.json"]  # no temporary file left


def test_the_configured_refresh_token_seeds_the_file_only_when_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    assert TokenFile("xero", path, "seed").read()["refresh_token"] == "seed"
    TokenFile("xero", path).save({"refresh_token": "rotated"})
    assert TokenFile("xero", path, "seed").read()["refresh_token"] == "rotated"


@pytest.mark.parametrize("content", ["not json", '{"access_token": "a"}', "[]"])
def test_a_file_without_a_refresh_token_is_refused_without_showing_it(tmp_path: Path, content: str) -> None:
    path = tmp_path / "token.json"
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(PushFailed) as error:
        TokenFile("quickbooks", path).read()
    assert str(path) in error.value.reason and content not in error.value.reason


def test_no_file_and_no_seed_says_how_to_connect(tmp_path: Path) -> None:
    with pytest.raises(PushFailed) as error:
        TokenFile("xero", tmp_path / "missing.json").read()
    assert "connect Onhand to xero" in error.value.reason


def test_the_lock_is_held_and_released(tmp_path: Path) -> None:
    tokens = TokenFile("xero", tmp_path / "token.json")
    with tokens.held():
        assert mode(tmp_path / "token.json.lock") == 0o600
    with tokens.held():  # released: taken again
        pass
