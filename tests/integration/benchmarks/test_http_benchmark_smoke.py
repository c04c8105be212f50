"""The HTTP benchmark (H1 adjustments, H2 orders allocated, H3 stock reads, H4 relocations) runs
end to end at a tiny scale and passes its own checks, on SQLite and, with two server processes, on PostgreSQL (no
timing asserted)."""

from __future__ import annotations

import re

import pytest
from benchmarks import http

from tests.databases import POSTGRES_URL

CHECKS = ("checks: stock equals what was posted ok; every order allocated ok; "
          "reserved equals what the orders took, none oversold ok; verify ok")


def test_the_http_benchmark_runs_tiny_both_ways_and_the_books_agree(capsys) -> None:
    assert http.main(["--scale", "0.01"]) == 0
    out = capsys.readouterr().out
    assert "H1 a transaction per write: 32 adjustments" in out
    assert "H1 group commit (2 ms window): 32 adjustments" in out
    assert "H2 a transaction per write: 32 orders allocated" in out
    assert "H2 group commit (2 ms window): 32 orders allocated" in out
    assert "H3 a transaction per write: 32 stock reads" in out
    assert "H3 group commit (2 ms window): 32 stock reads" in out
    assert "H4 a transaction per write: 32 relocations" in out
    assert "H4 group commit (2 ms window): 32 relocations" in out
    assert out.count("0 5xx, 0 not 200; CPU per request") == 2
    assert "0 5xx, 0 not 201; CPU per request" in out and "(this process's CPU: the server's threads)" in out
    busy = re.findall(r"; the machine's CPU (\d+)% busy, [\d.]+ ms per request \(every process's: the database "
                      r"server's too\)$", out, re.MULTILINE)
    assert len(busy) == 8 and all(0 <= int(share) <= 100 for share in busy), out
    assert CHECKS in out


def test_the_http_benchmark_refuses_a_number_of_processes_out_of_range(capsys) -> None:
    with pytest.raises(SystemExit) as refused:
        http.main(["--processes", "33"])
    assert refused.value.code == 2
    assert "--processes must be from 1 to 32" in capsys.readouterr().err


@pytest.mark.postgres_only
@pytest.mark.skipif(POSTGRES_URL is None, reason="needs ONHAND_TEST_DATABASE_URL")
def test_the_http_benchmark_serves_postgresql_from_two_processes_and_counts_their_cpu(tmp_path, capsys) -> None:
    assert POSTGRES_URL is not None
    url = f"sqlite:///{tmp_path / 'bench.db'}"

    assert http.main(["--scale", "0.01", "--database-url", url, "--postgres", POSTGRES_URL, "--processes", "2"]) == 0

    out = capsys.readouterr().out
    assert "server processes: 1" in out and "server processes: 2" in out  # SQLite stays at one
    counted = re.findall(r"^H[1234] .* in the server \(summed over the supervisor and its \d+ children "
                         r"\(2 serving\) from /proc/<pid>/stat\)", out, re.MULTILINE)
    assert len(counted) == 8, out
    assert out.count(CHECKS) == 2, out


def test_the_http_benchmark_with_cpus_serves_sqlite_from_onhand_serve_kept_on_one_core(capsys) -> None:
    assert http.main(["--scale", "0.01", "--cpus", "auto"]) == 0

    out = capsys.readouterr().out
    assert "server processes: 1, each kept on one core (onhand serve --cpus auto)" in out
    assert "H1 group commit (each process's, 2 ms window): 32 adjustments" in out
    counted = re.findall(r"^H[1234] .* in the server \(the onhand serve process's, from /proc/<pid>/stat\)", out,
                         re.MULTILINE)
    assert len(counted) == 8, out
    assert CHECKS in out
