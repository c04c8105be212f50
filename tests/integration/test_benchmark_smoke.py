"""The standard workload benchmark runs end to end: a smoke test, no timing asserted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from benchmarks.standard_workload import main

from tests.databases import POSTGRES_URL

PHASE_LINE = r"^{code} [a-z ]+: \d+ in \d+\.\d\d s = \d+/s$"
SKIPPED_W3 = "W3 FEFO picks: skipped (needs sales orders and FEFO picking, issue 4)"


def assert_full_report(out: str, runs: int = 1) -> None:
    for code in ("W0", "W1", "W2", "W4"):
        assert len(re.findall(PHASE_LINE.format(code=code), out, re.MULTILINE)) == runs, out
    assert out.count(SKIPPED_W3) == runs
    assert len(re.findall(r"^verify: ok \(", out, re.MULTILINE)) == runs, out
    assert len(re.findall(r"^stock check: ok", out, re.MULTILINE)) == runs, out
    assert re.search(r"^machine: \d+ cores", out, re.MULTILINE)
    assert re.search(r"^peak memory \(RSS.*\): [\d.]+ MiB$", out, re.MULTILINE)


def test_the_workload_runs_at_a_tiny_scale_on_sqlite_and_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = main(["--scale", "0.01", "--database-url", f"sqlite:///{tmp_path / 'bench.db'}"])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_full_report(out)
    assert f"file {tmp_path / 'bench.db'} (WAL)" in out


def test_the_workload_refuses_a_database_that_already_holds_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    assert main(["--scale", "0.01", "--database-url", url]) == 0

    exit_code = main(["--scale", "0.01", "--database-url", url])

    assert exit_code == 1
    assert "already holds items" in capsys.readouterr().out


@pytest.mark.postgres_only
@pytest.mark.skipif(POSTGRES_URL is None, reason="needs ONHAND_TEST_DATABASE_URL")
def test_the_workload_also_runs_on_postgresql_in_a_fresh_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert POSTGRES_URL is not None
    url = f"sqlite:///{tmp_path / 'bench.db'}"

    exit_code = main(["--scale", "0.01", "--database-url", url, "--postgres", POSTGRES_URL])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_full_report(out, runs=2)
    assert "fresh schema bench_" in out
