"""The interleaved A/B benchmark (`benchmarks/http_ab.py`) runs end to end, tiny, with this
checkout's code on both sides, and refuses a directory without Onhand's source (no timing
asserted)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from benchmarks import http_ab

THIS = Path(http_ab.__file__).resolve().parent.parent


def test_the_ab_benchmark_serves_both_versions_in_turn_and_prints_their_medians(capsys) -> None:
    assert http_ab.main(["--before", str(THIS), "--workload", "H1", "--rounds", "1", "--burst", "32"]) == 0

    out = capsys.readouterr().out
    assert re.search(r"^H1 A: \d+/s, \d+\.\d\d ms CPU per request in the server, p99 [\d.]+ ms "
                     r"\(medians of 1 bursts; \d+-\d+/s\)$", out, re.MULTILINE), out
    assert re.search(r"^H1 B: \d+/s", out, re.MULTILINE), out
    assert "answers not 2xx: 0" in out
    assert out.count("raw sqlite3 loop") == 2 and out.count("load average") == 2


def test_the_ab_benchmark_refuses_a_directory_without_onhand(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as refused:
        http_ab.main(["--before", str(tmp_path)])
    assert refused.value.code == 2
    assert "--before: no Onhand source in" in capsys.readouterr().err
