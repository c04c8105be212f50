"""The benchmarks run end to end and pass their own checks: smoke tests, no timing asserted."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
from benchmarks import orders, standard_workload

from tests.databases import POSTGRES_URL

PHASE_LINE = r"^{code} {title}: \d+ in \d+\.\d\d s = \d+/s{suffix}$"
TINY = ["--scale", "0.01"]


def count_phase_lines(out: str, code: str, title: str = r"[\w +()-]+", suffix: str = "") -> int:
    return len(re.findall(PHASE_LINE.format(code=code, title=title, suffix=suffix), out, re.MULTILINE))


def count_lines(out: str, pattern: str) -> int:
    return len(re.findall(pattern, out, re.MULTILINE))


def assert_machine_reported(out: str) -> None:
    assert re.search(r"^machine: \d+ cores", out, re.MULTILINE)
    assert re.search(r"^peak memory \(RSS.*\): [\d.]+ MiB$", out, re.MULTILINE)


def assert_full_workload_report(out: str, runs: int = 1) -> None:
    for code in ("W0", "W1", "W2", "W3", "W4"):
        assert count_phase_lines(out, code) == runs, out
    assert count_lines(out, r"^W3 one pick = 3 service calls: create_order .* ms$") == runs, out
    assert "skipped" not in out
    assert count_lines(out, r"^FEFO check: ok \(") == runs, out
    assert count_lines(out, r"^stock check: ok") == runs, out
    assert count_lines(out, r"^verify: ok \(") == runs, out
    assert_machine_reported(out)


def assert_order_phases_report(out: str, runs: int = 1) -> None:
    for code, title in (("O1", "single-line orders"), ("O5", "5-line orders")):
        # Once one order per call, once in waves.
        assert count_phase_lines(out, code, f"{title} created") == 2 * runs, out
        assert count_phase_lines(out, code, rf"{title} allocated\+shipped") == runs, out
        assert count_phase_lines(out, code, rf"{title} allocated\+shipped in waves of 200") == runs, out
    assert "orders not allocated and shipped in full" not in out
    assert "not shipped in full by their wave" not in out
    assert count_lines(out, r"^stock check: ok") == runs, out
    assert count_lines(out, r"^verify: ok \(") == runs, out
    assert_machine_reported(out)


def test_the_workload_runs_at_a_tiny_scale_on_sqlite_picks_fefo_and_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = standard_workload.main([*TINY, "--database-url", f"sqlite:///{tmp_path / 'bench.db'}"])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_full_workload_report(out)
    assert f"file {tmp_path / 'bench.db'} (WAL)" in out


@pytest.mark.parametrize("benchmark", [standard_workload, orders], ids=["standard_workload", "orders"])
def test_a_benchmark_refuses_a_database_that_already_holds_items(
    benchmark: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    assert standard_workload.main([*TINY, "--database-url", url]) == 0

    exit_code = benchmark.main([*TINY, "--database-url", url])

    assert exit_code == 1
    assert "already holds items" in capsys.readouterr().out


def test_the_order_benchmark_runs_at_a_tiny_scale_on_sqlite_and_ships_every_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = orders.main([*TINY, "--database-url", f"sqlite:///{tmp_path / 'bench.db'}"])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_order_phases_report(out)
    # Judged twice: one order per call, and in waves.
    assert count_lines(out, r"^target O1 \(.*\): (met|NOT MET) \(\d+/s, ") == 2, out
    assert "R16 concurrent reservations: skipped (PostgreSQL only" in out
    assert count_lines(out, r"^target R16 \(.*\): not measured \(needs postgresql\)$") == 1, out


@pytest.mark.postgres_only
@pytest.mark.skipif(POSTGRES_URL is None, reason="needs ONHAND_TEST_DATABASE_URL")
def test_the_workload_also_runs_on_postgresql_in_a_fresh_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert POSTGRES_URL is not None
    url = f"sqlite:///{tmp_path / 'bench.db'}"

    exit_code = standard_workload.main([*TINY, "--database-url", url, "--postgres", POSTGRES_URL])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_full_workload_report(out, runs=2)
    assert "fresh schema bench_" in out


@pytest.mark.postgres_only
@pytest.mark.skipif(POSTGRES_URL is None, reason="needs ONHAND_TEST_DATABASE_URL")
def test_the_order_benchmark_races_16_clients_on_postgresql_without_oversell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert POSTGRES_URL is not None
    url = f"sqlite:///{tmp_path / 'bench.db'}"

    exit_code = orders.main([*TINY, "--database-url", url, "--postgres", POSTGRES_URL])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert_order_phases_report(out, runs=2)
    # Two races: one order per call, then 20 per call (on their own items and channel).
    assert count_phase_lines(out, "R16", r"concurrent order creation \(16 clients\)") == 2, out
    assert count_phase_lines(out, "R16", r"concurrent reservations \(16 clients\)", ", oversold: 0") == 1, out
    assert count_phase_lines(
        out, "R16", r"concurrent reservations \(16 clients, batches of 20\)", ", oversold: 0") == 1, out
    assert count_lines(out, r"^R16 oversell check: ok \(") == 2, out
    # Judged twice: one order per call, and 20 orders per call.
    assert count_lines(out, r"^target R16 \(.*\): (met|NOT MET) \(\d+/s, ") == 2, out
    assert "fresh schema bench_" in out
