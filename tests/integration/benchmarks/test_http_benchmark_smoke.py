"""The HTTP adjustments benchmark runs end to end at a tiny scale and passes its own checks
(no timing asserted)."""

from __future__ import annotations

from benchmarks import http


def test_the_http_benchmark_runs_tiny_both_ways_and_the_books_agree(capsys) -> None:
    assert http.main(["--scale", "0.01"]) == 0
    out = capsys.readouterr().out
    assert "H1 a transaction per write: 32 adjustments" in out
    assert "H1 group commit (2 ms window): 32 adjustments" in out
    assert "checks: stock equals what was posted ok; verify ok" in out
