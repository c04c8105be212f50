"""The bundles benchmark runs end to end and passes its own checks (no timing asserted)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from benchmarks import bundles

from tests.databases import POSTGRES_URL

TINY = ["--scale", "0.01"]


def assert_bundle_report(out: str, runs: int = 1) -> None:
    for check in ("K1", "K2", "K3"):
        assert len(re.findall(rf"^{check} check: ok", out, re.MULTILINE)) == runs, out
    assert len(re.findall(r"^K3 builds .*: \d+ in \d+\.\d\d s = \d+/s$", out, re.MULTILINE)) == runs, out
    assert len(re.findall(r"^verify: ok \(", out, re.MULTILINE)) == runs, out
    assert re.search(r"^machine: \d+ cores", out, re.MULTILINE)


def test_the_bundle_benchmark_runs_at_a_tiny_scale_on_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = bundles.main([*TINY, "--database-url", f"sqlite:///{tmp_path / 'bench.db'}"])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_bundle_report(out)
    assert re.search(r"^target K1 \(.*\): (met|NOT MET) \([\d.]+ ms\)$", out, re.MULTILINE), out


@pytest.mark.postgres_only
@pytest.mark.skipif(POSTGRES_URL is None, reason="needs ONHAND_TEST_DATABASE_URL")
def test_the_bundle_benchmark_also_runs_on_postgresql(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert POSTGRES_URL is not None

    url = f"sqlite:///{tmp_path / 'bench.db'}"

    exit_code = bundles.main([*TINY, "--database-url", url, "--postgres", POSTGRES_URL])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_bundle_report(out, runs=2)
