"""`onhand serve --cpus`: which core each server process is kept on."""

from __future__ import annotations

import pytest

from onhand.entrypoints.cli.cpu_placement import MAX_SPEC, CpuSpecError, core_of, parse_cpus

FOUR = (0, 1, 2, 3)


@pytest.mark.parametrize(("text", "cores"), [
    ("off", ()), ("", ()), (" OFF ", ()),
    ("auto", (3, 2, 1, 0)), ("Auto", (3, 2, 1, 0)),
    ("2", (2,)), ("0,2-3", (0, 2, 3)), (" 3 , 1 ", (3, 1)), ("1-1", (1,)), ("2,2,1-2", (2, 1)),
])
def test_a_cpus_value_names_the_cores_in_the_order_processes_take_them(text, cores):
    assert parse_cpus(text, FOUR) == cores


def test_auto_starts_from_the_last_core_this_process_may_use():
    assert parse_cpus("auto", (1, 5, 6)) == (6, 5, 1)


@pytest.mark.parametrize(("text", "reason"), [
    ("4", "core 4 is not one this process may run on (0, 1, 2, 3)"),
    ("0-7", "core 4 is not one this process may run on"),
    ("3-1", "the range 3-1 runs backwards"),
    ("x", "'x' is not a core number or a range such as 2-3; use off, auto or a list such as 0,2-3"),
    ("1,", "'' is not a core number"),
    ("-1", "'-1' is not a core number"),
    ("1.5", "'1.5' is not a core number"),
    ("1" * (MAX_SPEC + 1), f"at most {MAX_SPEC} characters"),
])
def test_a_cpus_value_that_cannot_be_used_is_refused_with_the_reason(text, reason):
    with pytest.raises(CpuSpecError) as refused:
        parse_cpus(text, FOUR)

    assert reason in str(refused.value)


def test_processes_take_the_cores_in_turn():
    assert [core_of(index, (3, 1)) for index in range(5)] == [3, 1, 3, 1, 3]
