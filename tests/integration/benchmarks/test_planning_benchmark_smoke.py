"""The planning benchmark runs end to end at a tiny scale and passes its own checks (no timing asserted)."""

from __future__ import annotations

import re

from benchmarks import planning


def test_the_planning_benchmark_runs_tiny_and_every_check_holds(capsys) -> None:
    assert planning.main(["--scale", "0.0005"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^PL1 suggestions for 50 item-sites: .* median [\d.]+ s .*one raw SQL query", out, re.M), out
    assert re.search(r"^PL2 projected stock of one item at one site, 60 days: median [\d.]+ ms", out, re.M), out
    assert re.search(r"^PL checks: purchases rounded to MOQ and packs ok, no source below its minimum ok, "
                     r"demand equals what shipped ok$", out, re.M), out
