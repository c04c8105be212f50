"""The audit log: every change records who made it, in the change's own transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from onhand import services
from onhand.domain.access.commands import CreateApiKey, RotateApiKey
from onhand.domain.actors import SYSTEM, api_key_actor, cli_actor
from onhand.domain.catalog.commands import UpdateItem
from onhand.domain.errors import InsufficientStock, InvalidInput
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.orders.commands import CreateOrder, OrderAction
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import add_item, add_place, adjust


def entries(onhand, **filters):
    return services.audit.list_audit(onhand, limit=1000, **filters).entries


def posting_actors(onhand) -> list[str | None]:
    with onhand.engine.connect() as conn:
        return list(conn.execute(text("SELECT actor FROM postings ORDER BY id")).scalars())


def test_every_posting_records_who_posted_it(onhand):
    # The defect: postings.actor existed but was never set.
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 10)
    adjust(onhand.acting_as(cli_actor("alice")), "NY", "TEA", -1, reason="damaged")
    shop = onhand.acting_as(api_key_actor(7, "shop"))
    order = services.sales_orders.create_order(shop, CreateOrder(lines=[NewOrderLine("TEA", "2")]))
    services.sales_orders.allocate_order(shop, OrderAction(order.reference))
    services.waves.fulfil_orders(shop, [order.reference])
    assert posting_actors(onhand) == ["system", "cli:alice", "api_key:7"]


def test_a_create_records_the_actor_the_object_and_the_commands_fields(onhand, clock):
    clerk = onhand.acting_as(cli_actor("alice"))
    add_item(clerk, "TEA", name="Green tea", unit="kg")
    (entry,) = entries(onhand)
    assert (entry.actor, entry.action, entry.object.type, entry.object.key) == (
        cli_actor("alice"), "create_item", "item", "TEA")
    assert entry.at == clock.current
    assert entry.before is None
    assert entry.after == {"sku": "TEA", "name": "Green tea", "unit": "kg", "tracking": "none", "kind": "stocked"}


def test_an_update_records_only_the_fields_it_changed(onhand):
    add_item(onhand, "TEA", name="Green tea")
    services.items.update_item(onhand, UpdateItem(sku="TEA", name="Sencha", shelf_life_days=None))
    latest = entries(onhand, action="update_item")[0]
    assert (latest.object.key, latest.before, latest.after) == ("TEA", {"name": "Green tea"}, {"name": "Sencha"})


def test_a_refused_write_leaves_no_entry_and_a_replay_adds_none(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    before = len(entries(onhand))
    with pytest.raises(InsufficientStock):
        adjust(onhand, "NY", "TEA", -5, reason="damaged")
    assert len(entries(onhand)) == before
    for _ in range(2):
        services.adjustments.post_adjustment(onhand, PostAdjustment(
            location="NY", lines=[StockLine("TEA", "1")], reason="found"),
                                             idempotency_key="once")
    assert len(entries(onhand)) == before + 1


def test_the_entry_of_a_posting_names_the_posting(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    posting = adjust(onhand, "NY", "TEA", 3)
    (entry,) = entries(onhand, object_type="posting")
    assert (entry.action, entry.object.key) == ("post_adjustment", str(posting.id))
    assert entry.after["location"] == "NY" and entry.after["reason"] == "found"


def test_a_wave_records_an_entry_per_order_it_acted_on(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 1)
    shop = onhand.acting_as(api_key_actor(3, "shop"))
    first = services.sales_orders.create_order(shop, CreateOrder(lines=[NewOrderLine("TEA", "1")]))
    second = services.sales_orders.create_order(shop, CreateOrder(lines=[NewOrderLine("TEA", "1")]))
    services.waves.fulfil_orders(shop, [first.reference, second.reference])
    waved = {(e.object.key, e.after["shipped"]) for e in entries(onhand, action="fulfil_wave")}
    assert waved == {(first.reference, True), (second.reference, False)}


def test_keys_are_audited_without_their_secrets(onhand):
    new = services.keys.create_api_key(onhand, CreateApiKey(name="shop", role="operator"))
    rotated = services.keys.rotate_api_key(onhand, RotateApiKey(id=new.key.id))
    with onhand.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM audit_log")) for v in row)
        hashes = conn.execute(text("SELECT secret_hash, previous_secret_hash FROM api_keys")).one()
    assert {e.action for e in entries(onhand, object_type="api_key")} == {"create_api_key", "rotate_api_key"}
    for secret in (new.secret, rotated.secret, *hashes):
        assert secret not in stored


def test_the_audit_log_refuses_update_and_delete(onhand):
    add_item(onhand, "TEA")
    for statement in ("UPDATE audit_log SET actor_id = 'someone'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), onhand.engine.begin() as conn:
            conn.execute(text(statement))
    assert len(entries(onhand)) == 1


def test_entries_are_filtered_by_actor_object_action_and_time_newest_first(onhand, clock):
    alice, shop = onhand.acting_as(cli_actor("alice")), onhand.acting_as(api_key_actor(4, "shop"))
    add_item(alice, "TEA")
    clock.advance(hours=1)
    add_item(shop, "RICE")
    clock.advance(hours=1)
    services.items.update_item(alice, UpdateItem(sku="RICE", name="Basmati"))
    assert [e.object.key for e in entries(onhand)] == ["RICE", "RICE", "TEA"]
    assert [e.action for e in entries(onhand, actor="cli:alice")] == ["update_item", "create_item"]
    assert [e.action for e in entries(onhand, actor="cli")] == ["update_item", "create_item"]
    assert [e.object.key for e in entries(onhand, actor="api_key:4")] == ["RICE"]
    assert [e.action for e in entries(onhand, object_type="item", object_key="RICE")] == [
        "update_item", "create_item"]
    assert [e.object.key for e in entries(onhand, action="create_item")] == ["RICE", "TEA"]
    second_hour = (clock.current - timedelta(hours=1)).isoformat()
    assert [e.object.key for e in entries(onhand, since=second_hour)] == ["RICE", "RICE"]
    assert [e.object.key for e in entries(onhand, until=second_hour)] == ["TEA"]


def test_the_log_is_read_in_pages_newest_first(onhand):
    for number in range(5):
        add_item(onhand, f"SKU-{number}")
    first = services.audit.list_audit(onhand, limit=2)
    second = services.audit.list_audit(onhand, limit=2, before_id=first.next_before_id)
    third = services.audit.list_audit(onhand, limit=2, before_id=second.next_before_id)
    keys = [e.object.key for page in (first, second, third) for e in page.entries]
    assert keys == [f"SKU-{n}" for n in (4, 3, 2, 1, 0)]
    assert third.next_before_id is None


@pytest.mark.parametrize(("filters", "field"), [
    ({"actor": "robot:1"}, "actor"), ({"since": "2026-03-02T09:00:00"}, "since"), ({"until": "yesterday"}, "until"),
    ({"since": "2026-03-02T09:00:00Z", "until": "2026-03-01T09:00:00Z"}, "until"), ({"limit": 0}, "limit"),
])
def test_a_bad_filter_is_refused_naming_it(onhand, filters, field):
    with pytest.raises(InvalidInput) as error:
        services.audit.list_audit(onhand, **filters)
    assert error.value.field == field


def test_the_demo_company_is_made_by_the_system_whoever_asks(onhand):
    services.demo.load_demo_data(onhand.acting_as(cli_actor("alice")))
    made = entries(onhand)
    assert made and {e.actor for e in made} == {SYSTEM}
    assert set(posting_actors(onhand)) == {"system"}
