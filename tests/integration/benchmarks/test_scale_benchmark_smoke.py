"""The scale benchmark runs end to end at a tiny scale and every command it runs succeeds:
a smoke test, no timing asserted."""

from __future__ import annotations

import pytest
from benchmarks import scale

from tests.integration.benchmarks.test_benchmark_smoke import TINY, count_lines

CHILD = r"[\d.]+ s wall, [\d.]+ s CPU, peak RSS \d+ MiB"


def test_the_scale_benchmark_runs_at_both_sizes_beside_the_raw_loop(capsys: pytest.CaptureFixture[str]) -> None:
    assert scale.main([*TINY, "--import-rows", "500"]) == 0
    out = capsys.readouterr().out
    assert count_lines(out, r"^raw sqlite3 loop .* per CPU-second") == 2, out
    assert count_lines(out, r"^machine: \d+ cores") == 1, out
    for moves in (100, 10000):
        assert count_lines(out, rf"^setup: .* {moves} moves, \d+ balances bulk-inserted") == 1, out
        receipts = rf"^W1 lot receipts: \d+ in .* at {moves} moves; [\d.]+ ms CPU each \(blocks of"
        assert count_lines(out, receipts) == 1, out
        assert count_lines(out, rf"^W4 availability queries: \d+ in .* at {moves} moves") == 1, out
    for command in ("verify", "rebuild"):
        ran = rf"^V {command} \(onhand {command}, a child process\) at \d+ moves and the receipts: {CHILD}$"
        assert count_lines(out, ran) == 2, out
    assert count_lines(out, rf"^I import of (50|500) opening-stock rows .*: {CHILD}, [\d,]+ rows/s$") == 3, out
    assert count_lines(out, rf"^V verify after the import\(s\): {CHILD}$") == 2, out
    assert count_lines(out, r"^target (verify|rebuild) at 10000 moves .*: (met|NOT MET)") == 2, out
    assert count_lines(out, r"^target W[14] flat from 100 to 10000 moves") == 2, out
    assert count_lines(out, r"^load average") >= 4, out
