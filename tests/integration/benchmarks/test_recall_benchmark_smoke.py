"""The recall benchmark runs end to end at a tiny scale and passes its own checks (no timing asserted)."""

from __future__ import annotations

import re

from benchmarks import recall


def test_the_recall_benchmark_runs_tiny_and_every_check_holds(capsys) -> None:
    assert recall.main(["--scale", "0.002"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^R1 recall report of RAW-1: \d+ lots over 3 build levels, \d+ shipments, .* median [\d.]+ ms"
                     r".*one raw SQL query reading the same rows \(\d+\): [\d.]+ ms", out, re.M), out
    assert re.search(r"^R1 checks: every unit accounted for ok, builds followed into the products ok, "
                     r"customers exactly those shipped to ok$", out, re.M), out
