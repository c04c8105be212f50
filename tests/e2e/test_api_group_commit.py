"""Concurrent requests through a real server whose writes are group-committed
(adapters/db/group_commit.py): each client gets its own result or its own error."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.ledger.commands import PostAdjustment
from onhand.entrypoints.api.app import create_app
from onhand.services.ledger.postings import StockLine
from tests.e2e.conftest import ApiKeys, serve_api

CLIENTS = 32


def adjustment(sku: str, quantity: int) -> dict[str, Any]:
    return {"location": "NY", "reason": "found" if quantity > 0 else "lost",
            "lines": [{"sku": sku, "quantity": str(quantity)}]}


def change_at_ny(posting: dict[str, Any]) -> tuple[str, Decimal]:
    (move,) = posting["moves"]
    quantity = Decimal(move["quantity"])
    return move["sku"], quantity if move["to_location"] == "NY" else -quantity


@pytest.mark.usefixtures("api_stocked")
def test_concurrent_clients_of_a_group_committing_server_each_get_their_own_answers(
    onhand: Onhand, api_keys: ApiKeys
) -> None:
    # Given 10 TEA-1 at NY and a server whose writes one writer commits in groups …
    group_commits: list[int] = []

    def count(_conn: Any) -> None:
        if threading.current_thread().name.startswith("onhand-writer"):
            group_commits.append(1)

    barrier = threading.Barrier(CLIENTS)
    problems: list[str] = []
    taken: Counter[int] = Counter()
    event.listen(onhand.engine, "commit", count)
    with onhand.grouping_writes() as grouped, serve_api(create_app(grouped), lifespan="off") as url:

        def client_run(number: int) -> None:
            with httpx.Client(base_url=url, timeout=60,
                              headers={"Authorization": f"Bearer {api_keys.operator}"}) as client:
                barrier.wait()
                key = {"Idempotency-Key": f"found-{number}"}
                # … each client adds one with a key of its own,
                first = client.post("/api/v1/adjustments", json=adjustment("TEA-1", 1), headers=key)
                if first.status_code != 201 or change_at_ny(first.json()) != ("TEA-1", 1):
                    problems.append(f"{number} add: {first.status_code} {first.text}")
                    return
                # sends it again (the first posting, not a second one),
                again = client.post("/api/v1/adjustments", json=adjustment("TEA-1", 1), headers=key)
                if again.status_code != 201 or again.json()["id"] != first.json()["id"]:
                    problems.append(f"{number} repeat: {again.status_code} {again.text}")
                # takes two (posted, or refused when too few are left),
                take = client.post("/api/v1/adjustments", json=adjustment("TEA-1", -2))
                if take.status_code == 201 and change_at_ny(take.json()) == ("TEA-1", -2):
                    taken[number] += 1
                elif take.status_code != 409 or take.json()["error"]["code"] != "insufficient_stock":
                    problems.append(f"{number} take: {take.status_code} {take.text}")
                # names an item that does not exist,
                unknown = client.post("/api/v1/adjustments", json=adjustment(f"NOPE-{number}", 1))
                error = unknown.json().get("error", {})
                if (unknown.status_code, error.get("field"), error.get("key")) != (404, "lines[0].sku",
                                                                                   f"NOPE-{number}"):
                    problems.append(f"{number} unknown: {unknown.status_code} {unknown.text}")
                # and reuses its key for another request.
                reused = client.post("/api/v1/adjustments", json=adjustment("TEA-1", 5), headers=key)
                if reused.status_code != 409 or reused.json()["error"]["code"] != "idempotency_conflict":
                    problems.append(f"{number} reused key: {reused.status_code} {reused.text}")

        threads = [threading.Thread(target=client_run, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    event.remove(onhand.engine, "commit", count)

    # Then every client got its own answers: its posting, its repeat, its refusals …
    assert problems == []
    # … the books hold exactly what was posted, nothing of what was refused …
    levels = services.stock.stock_levels(onhand, sku="TEA-1", location="NY").levels
    on_hand = sum((level.on_hand for level in levels), Decimal(0))  # no row when none is left
    assert on_hand == 10 + CLIENTS - 2 * sum(taken.values()) >= 0
    assert services.integrity.verify(onhand).ok
    # … and the writer committed them in groups: fewer commits than the writes it ran.
    assert 0 < len(group_commits) < 5 * CLIENTS


@pytest.mark.usefixtures("api_stocked")
def test_a_write_endpoint_runs_on_the_group_writer_and_a_group_that_fails_runs_it_again(
    onhand: Onhand, api_keys: ApiKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where the adjustment endpoint's service ran, each time it ran.
    threads: list[str] = []
    post = services.adjustments.post_adjustment

    def noted(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return post(*args, **kwargs)

    monkeypatch.setattr(services.adjustments, "post_adjustment", noted)
    failed: list[int] = []

    def fail_the_first_group(conn: Any) -> None:
        if threading.current_thread().name.startswith("onhand-writer") and not failed:
            failed.append(1)
            conn.exec_driver_sql("SELECT * FROM no_such_table_so_the_commit_fails")

    with onhand.grouping_writes() as grouped, serve_api(create_app(grouped), lifespan="off") as url, \
            httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {api_keys.operator}"}) as client:
        assert client.post("/api/v1/adjustments", json=adjustment("TEA-1", 1)).status_code == 201
        event.listen(onhand.engine, "commit", fail_the_first_group)
        try:
            again = client.post("/api/v1/adjustments", json=adjustment("TEA-1", 2), headers={"Idempotency-Key": "k"})
        finally:
            event.remove(onhand.engine, "commit", fail_the_first_group)
        repeat = client.post("/api/v1/adjustments", json=adjustment("TEA-1", 2), headers={"Idempotency-Key": "k"})

    assert again.status_code == 201, again.text
    assert repeat.json()["id"] == again.json()["id"]
    # The first on the writer; the second on the writer (its group failed, nothing kept), then once
    # more in a pool thread with its own transaction; its repeat on the writer.
    assert [name.startswith("onhand-writer") for name in threads] == [True, True, False, True], threads
    levels = services.stock.stock_levels(onhand, sku="TEA-1", location="NY").levels
    assert sum((level.on_hand for level in levels), Decimal(0)) == 10 + 1 + 2
    assert services.integrity.verify(onhand).ok


@pytest.mark.usefixtures("api_stocked")
def test_a_write_whose_request_is_cancelled_on_the_loop_is_still_written_whole(onhand: Onhand) -> None:
    from onhand.entrypoints.api.bodies import _in_one_hand_off, in_group

    @in_group
    def endpoint(onhand: Onhand) -> Any:
        return services.adjustments.post_adjustment(onhand, PostAdjustment(
            location="NY", reason="found", lines=[StockLine("TEA-1", Decimal(1))]))

    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        holding.set()
        release.wait(30)

    async def cancel_it(grouped: Onhand) -> None:
        request = asyncio.ensure_future(_in_one_hand_off(endpoint)(onhand=grouped))
        while grouped._group.queued == 0:  # the request waits behind the held writer
            await asyncio.sleep(0.001)
        request.cancel()  # its client went away
        with pytest.raises(asyncio.CancelledError):
            await request

    with onhand.grouping_writes() as grouped:
        held = grouped.call_in_group(hold)
        assert holding.wait(30)
        asyncio.run(cancel_it(grouped))
        release.set()
        held.result(30)
    # Closing the writer waited for what was queued: the write was made whole, as a request
    # handed to a thread would have been (a thread cannot be cancelled either).
    levels = services.stock.stock_levels(onhand, sku="TEA-1", location="NY").levels
    assert sum((level.on_hand for level in levels), Decimal(0)) == 11
    assert services.integrity.verify(onhand).ok


def sent_behind_a_held_writer(onhand: Onhand, path: str, requests: list[tuple[str, str | None, dict[str, Any]]],
                              ) -> tuple[list[httpx.Response], list[str]]:
    """Each request (key, idempotency key, body) POSTed to `path` at once while the group writer
    is held, so that they share its next group; their answers, and the statements run for many
    rows at once meanwhile."""
    many: list[str] = []

    def note(_conn: Any, _cursor: Any, sql: str, _params: Any, _context: Any, executemany: bool) -> None:
        if executemany or "), (" in sql:  # an executemany, or one INSERT of many rows (hot_inserts.py)
            many.append(" ".join(sql.split()[:3]))

    async def send_all(url: str, grouped: Onhand) -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            sent = [asyncio.ensure_future(client.post(path, json=body, headers={
                "Authorization": f"Bearer {secret}", **({"Idempotency-Key": key} if key else {})}))
                for secret, key, body in requests]
            while grouped._group.queued < len(requests):  # all wait behind the held writer
                await asyncio.sleep(0.005)
            release.set()
            return list(await asyncio.gather(*sent))

    holding, release = threading.Event(), threading.Event()
    event.listen(onhand.engine, "before_cursor_execute", note)
    try:
        with onhand.grouping_writes() as grouped, serve_api(create_app(grouped), lifespan="off") as url:
            held = grouped.call_in_group(lambda: (holding.set(), release.wait(30)))
            assert holding.wait(30)
            answers = asyncio.run(send_all(url, grouped))
            held.result(30)
    finally:
        event.remove(onhand.engine, "before_cursor_execute", note)
    return answers, many


@pytest.mark.usefixtures("api_stocked")
def test_one_keys_adjustments_in_a_group_are_posted_together_each_answered_as_alone(
    onhand: Onhand, api_keys: ApiKeys
) -> None:
    answers, many = sent_behind_a_held_writer(onhand, "/api/v1/adjustments", [
        *((api_keys.operator, f"k{n}", adjustment("TEA-1", n + 1)) for n in range(4)),
        (api_keys.operator, "k0", adjustment("TEA-1", 1)),  # a repeat of the first, in the same group
        (api_keys.operator, None, adjustment("NOPE", 1)),
        (api_keys.operator, None, {**adjustment("TEA-1", 1), "effective_at": "someday"}),
        (api_keys.admin, None, adjustment("RICE-5", 1)),  # another key's: its own
    ])

    assert [answer.status_code for answer in answers] == [201] * 5 + [404, 422, 201], [a.text for a in answers]
    postings = [answer.json() for answer in answers[:4]]
    assert [change_at_ny(posting) for posting in postings] == [("TEA-1", Decimal(n + 1)) for n in range(4)]
    assert len({posting["id"] for posting in postings}) == 4
    assert answers[4].json()["id"] == postings[0]["id"]
    assert answers[5].json()["error"]["field"] == "lines[0].sku"
    assert answers[6].json()["error"]["field"] == "effective_at"
    assert "INSERT INTO postings" in many  # the four in one statement
    levels = services.stock.stock_levels(onhand, sku="TEA-1", location="NY").levels
    assert sum((level.on_hand for level in levels), Decimal(0)) == 10 + 1 + 2 + 3 + 4
    assert services.integrity.verify(onhand).ok


@pytest.mark.usefixtures("api_stocked")
def test_one_keys_relocations_in_a_group_are_posted_together_each_answered_as_alone(
    onhand: Onhand, api_keys: ApiKeys
) -> None:
    def relocation(source: str, destination: str, sku: str, quantity: str) -> dict[str, Any]:
        return {"source": source, "destination": destination, "lines": [{"sku": sku, "quantity": quantity}]}

    answers, many = sent_behind_a_held_writer(onhand, "/api/v1/relocations", [
        (api_keys.operator, "r1", relocation("NY", "LA", "TEA-1", "2")),
        (api_keys.operator, "r2", relocation("NY", "NY-A1", "TEA-1", "3")),
        (api_keys.operator, None, relocation("NY", "LA", "RICE-5", "0.5")),
        (api_keys.operator, "r1", relocation("NY", "LA", "TEA-1", "2")),  # a repeat of the first
        (api_keys.operator, None, relocation("NY", "LA", "TEA-1", "50")),  # more than there is: its own 409
        (api_keys.operator, None, relocation("NY", "NY", "TEA-1", "1")),
    ])

    assert [answer.status_code for answer in answers] == [201] * 4 + [409, 422], [a.text for a in answers]
    postings = [answer.json() for answer in answers[:3]]
    assert len({posting["id"] for posting in postings}) == 3
    assert answers[3].json()["id"] == postings[0]["id"]
    assert answers[5].json()["error"]["field"] == "destination"
    assert "INSERT INTO postings" in many  # the second and third in one statement (the first's key is given twice)
    at = {(level.sku, level.location): level.on_hand
          for level in services.stock.stock_levels(onhand, group_by="bin").levels}
    assert at[("TEA-1", "NY")] == 10 - 2 - 3 and at[("TEA-1", "LA")] == 2 and at[("TEA-1", "NY-A1")] == 3
    assert at[("RICE-5", "NY")] == Decimal("2.0") and at[("RICE-5", "LA")] == Decimal("0.5")
    assert services.integrity.verify(onhand).ok


@pytest.mark.usefixtures("api_stocked")
def test_one_keys_new_orders_in_a_group_are_made_together_each_answered_as_alone(
    onhand: Onhand, api_keys: ApiKeys
) -> None:
    def new(reference: str, sku: str = "TEA-1") -> dict[str, Any]:
        return {"reference": reference, "allocate": True, "lines": [{"sku": sku, "quantity": "2"}]}

    answers, many = sent_behind_a_held_writer(onhand, "/api/v1/orders", [
        (api_keys.operator, "o1", new("SO-1")), (api_keys.operator, "o2", new("SO-2")),
        (api_keys.operator, None, new("SO-3")),
        (api_keys.operator, "o1", new("SO-1")),  # a repeat of the first: answered alone, after
        (api_keys.admin, None, new("SO-4")),  # another key's: its own
    ])

    assert [answer.status_code for answer in answers] == [201] * 5, [a.text for a in answers]
    assert [answer.json()["reference"] for answer in answers] == ["SO-1", "SO-2", "SO-3", "SO-1", "SO-4"]
    assert [answer.json()["status"] for answer in answers] == ["allocated"] * 5
    assert "INSERT INTO audit_log" in many  # the entries of SO-2 and SO-3 in one statement
    levels = services.stock.stock_levels(onhand, sku="TEA-1", location="NY").levels
    assert sum((level.reserved for level in levels), Decimal(0)) == 8
    assert services.integrity.verify(onhand).ok
