"""New request ids (`api/request_log.py`): 32 hex digits, never the same twice, and a forked
child does not repeat its parent's."""

from __future__ import annotations

import os
import re

from onhand.entrypoints.api.request_log import new_request_id


def test_new_request_ids_are_32_hex_digits_and_all_differ():
    ids = [new_request_id() for _ in range(10_000)]

    assert all(re.fullmatch(r"[0-9a-f]{32}", found) for found in ids)
    assert len(set(ids)) == len(ids)


def test_a_forked_child_makes_ids_of_its_own():
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child: its next id, to the parent, and out
        os.write(writing, new_request_id().encode())
        os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    with os.fdopen(reading) as pipe:
        childs = pipe.read()

    assert re.fullmatch(r"[0-9a-f]{32}", childs)
    assert childs != new_request_id()  # the parent's next, which the child would repeat unseeded
