"""The transfer benchmark runs end to end and passes its own checks: a smoke test, no timing asserted."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import transfers

from tests.integration.benchmarks.test_benchmark_smoke import (
    TINY,
    assert_machine_reported,
    count_lines,
    count_phase_lines,
)


def test_the_transfer_benchmark_runs_at_a_tiny_scale_on_sqlite_and_checks_its_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = transfers.main([*TINY, "--database-url", f"sqlite:///{tmp_path / 'bench.db'}"])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert count_phase_lines(out, "T3", r"3-line transfers created\+shipped\+received") == 1, out
    assert count_lines(out, r"^T3 per transfer: create_transfer [\d.]+ ms \+ ship_transfer [\d.]+ ms "
                            r"\+ receive_transfer [\d.]+ ms; \d+ lines/s$") == 1, out
    assert count_lines(out, r"^stock check: ok") == 1, out
    assert count_lines(out, r"^verify: ok \(") == 1, out
    assert_machine_reported(out)


def test_the_transfer_benchmark_refuses_a_database_that_already_holds_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    assert transfers.main([*TINY, "--database-url", url]) == 0

    assert transfers.main([*TINY, "--database-url", url]) == 1
    assert "already holds items" in capsys.readouterr().out
