"""The single-request and cost-layer benchmarks run end to end and pass their own checks:
smoke tests, no timing asserted."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import layers, single

from tests.integration.benchmarks.test_benchmark_smoke import TINY, assert_machine_reported, count_lines


def test_the_single_request_benchmark_runs_at_a_tiny_scale_beside_the_raw_loop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert single.main([*TINY, "--database-url", f"sqlite:///{tmp_path / 'bench.db'}"]) == 0
    out = capsys.readouterr().out
    assert count_lines(out, r"^raw sqlite3 loop .* per CPU-second") == 2, out
    assert count_lines(out, r"^S1 one-line orders .* statements each, \d+ µs CPU per statement; ratio") == 1, out
    assert count_lines(out, r"^S2 adjustments .* ratio to the raw loop per CPU-second [\d.]+$") == 1, out
    for code in ("S1", "S2"):  # each phase's statements run again without Onhand, leaving the same rows
        assert count_lines(out, rf"^{code} the same \d+ statements and \d+ transactions run again by a bare "
                                r"sqlite3 connection on a copy: [\d.]+ ms CPU each .* Onhand's ratio to the same "
                                r"writes [\d.]+.*; the copy's rows afterwards: the same$") == 1, out
    assert count_lines(
        out, r"^checks: every order shipped ok; verify ok; the bare runs left Onhand's rows ok$") == 1, out
    assert_machine_reported(out)


def test_the_cost_layer_benchmark_runs_and_matches_a_full_rerun(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert layers.main([*TINY, "--database-url", f"sqlite:///{tmp_path / 'bench.db'}"]) == 0
    out = capsys.readouterr().out
    for count in layers.LAYER_COUNTS:
        assert count_lines(out, rf"^L{count} FIFO item with {count} open layers: .* re-run: ok$") == 1, out
    assert count_lines(out, r"^verify: ok$") == 1, out
    assert_machine_reported(out)
