"""The opening valuation benchmark runs end to end and passes its own checks: a smoke test, no timing asserted."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import opening_valuation

from tests.integration.benchmarks.test_benchmark_smoke import (
    TINY,
    assert_machine_reported,
    count_lines,
    count_phase_lines,
)


def test_the_opening_valuation_benchmark_runs_at_a_tiny_scale_and_checks_its_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    assert opening_valuation.main([*TINY, "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert count_phase_lines(out, "V1", "unvalued stock listed") == 1, out
    assert count_phase_lines(out, "V2", r"pools valued \(one request\)") == 1, out
    assert count_lines(out, r"^check: ok \(") == 1, out
    assert_machine_reported(out)

    assert opening_valuation.main([*TINY, "--database-url", url]) == 1  # not on a database with items
    assert "already holds items" in capsys.readouterr().out
