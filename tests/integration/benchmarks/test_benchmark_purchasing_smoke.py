"""The purchasing benchmark runs end to end and passes its own checks: a smoke test, no timing asserted."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import purchasing

from tests.databases import POSTGRES_URL
from tests.integration.benchmarks.test_benchmark_smoke import (
    TINY,
    assert_machine_reported,
    count_lines,
    count_phase_lines,
)


def assert_purchasing_report(out: str, runs: int = 1) -> None:
    assert count_phase_lines(out, "P1", r"purchase orders created\+placed") == runs, out
    assert count_phase_lines(out, "P2", r"receipt lines posted \(lot-tracked\)") == runs, out
    assert count_lines(out, r"^stock check: ok \(") == runs, out
    assert count_lines(out, r"^verify: ok \(") == runs, out
    assert_machine_reported(out)


def test_the_purchasing_benchmark_runs_at_a_tiny_scale_on_sqlite_and_checks_its_stock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = purchasing.main([*TINY, "--database-url", f"sqlite:///{tmp_path / 'bench.db'}"])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_purchasing_report(out)


def test_the_purchasing_benchmark_refuses_a_database_that_already_holds_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    assert purchasing.main([*TINY, "--database-url", url]) == 0

    assert purchasing.main([*TINY, "--database-url", url]) == 1
    assert "already holds items" in capsys.readouterr().out


@pytest.mark.postgres_only
@pytest.mark.skipif(POSTGRES_URL is None, reason="needs ONHAND_TEST_DATABASE_URL")
def test_the_purchasing_benchmark_also_runs_on_postgresql_in_a_fresh_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert POSTGRES_URL is not None
    exit_code = purchasing.main([*TINY, "--database-url", f"sqlite:///{tmp_path / 'bench.db'}",
                                 "--postgres", POSTGRES_URL])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_purchasing_report(out, runs=2)
    assert "fresh schema bench_" in out
