"""The channels benchmark runs end to end at a tiny scale and passes its own checks (no timing asserted)."""

from __future__ import annotations

import re

from benchmarks import channels


def test_the_channels_benchmark_runs_tiny_and_imports_every_order_once(capsys) -> None:
    assert channels.main(["--scale", "0.01"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^calibration: raw sqlite3 \(WAL, synchronous=NORMAL\) \d+ postings/s$", out, re.M), out
    assert re.search(r"^C1 webhooks: 10 answered by 16 senders in [\d.]+ s = \d+/s; p50 [\d.]+ ms, p95 [\d.]+ ms, "
                     r"p99 [\d.]+ ms; 0 not 200", out, re.M), out
    assert re.search(r"^C2 exactly once: 9 events stored of 9 distinct, 9 orders imported of 9: ok$", out, re.M), out
    assert re.search(r"^C3 the shop holds Onhand's availability [\d.]+ s after the last answer \(\d+ deliveries "
                     r"were waiting then, all imported [\d.]+ s after it\)$", out, re.M), out
