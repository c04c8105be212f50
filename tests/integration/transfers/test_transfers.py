"""Transfer orders through transit: ship, receive, write off, close, cancel; stock levels
show what is on its way to each destination; refusals change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.errors import AlreadyExists, Conflict, InsufficientStock, InvalidInput, NotFound
from onhand.domain.orders.commands import CreateOrder, OrderAction
from onhand.domain.transfers.commands import (
    CreateTransfer,
    ReceiveTransfer,
    SetTransferRoute,
    ShipTransfer,
    TransferAction,
    UpdateTransfer,
    WriteOffTransit,
)
from onhand.services.transfers.transfer_orders import NewTransferLine
from onhand.services.transfers.transit import TransferMoveLine
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, at, move_count

D = Decimal
transfers, transit = services.transfer_orders, services.transit


@pytest.fixture
def sites(onhand):
    """NY (bins NY-A, NY-B), LA (bin LA-DOCK), OCEAN-1 (transit); MUG 70 at NY-A, 30 at LA;
    HONEY lots H-EARLY (2026-06-30) 5 at NY-B and H-LATE (2027-01-31) 8 at NY-A."""
    add_place(onhand, "NY")
    add_place(onhand, "NY-A", kind="bin", parent="NY")
    add_place(onhand, "NY-B", kind="bin", parent="NY")
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "LA-DOCK", kind="bin", parent="LA")
    add_place(onhand, "OCEAN-1", kind="transit")
    add_item(onhand, "MUG")
    add_item(onhand, "HONEY", tracking="lot")
    adjust(onhand, "NY-A", "MUG", 70)
    adjust(onhand, "LA", "MUG", 30)
    adjust(onhand, "NY-B", "HONEY", 5, lot="H-EARLY", expiry_date="2026-06-30")
    adjust(onhand, "NY-A", "HONEY", 8, lot="H-LATE", expiry_date="2027-01-31")
    return onhand


def mug_transfer(onhand, quantity="50", *, idempotency_key=None, **fields):
    return transfers.create_transfer(
        onhand, CreateTransfer(source="NY", destination="LA", lines=[NewTransferLine("MUG", quantity)], **fields),
        idempotency_key=idempotency_key,
    )


def test_the_seeds_example_reads_right_100_on_hand_50_available_50_on_their_way_to_la(sites):
    made = mug_transfer(sites, expected_date="2026-04-15")
    transit.ship_transfer(sites, ShipTransfer(made.reference))

    (total,) = services.stock.stock_levels(sites, sku="MUG").levels
    assert (total.on_hand, total.available, total.in_transit) == (100, 50, 50)
    assert str(total.in_transit_expected) == "2026-04-15"
    by_site = {
        lv.location: (lv.on_hand, lv.available, lv.in_transit, lv.in_transit_expected)
        for lv in services.stock.stock_levels(sites, sku="MUG", group_by="location").levels
    }
    assert by_site == {
        "NY": (20, 20, 0, None),
        "LA": (30, 30, 50, made.expected_date),
        "OCEAN-1": (50, 0, 0, None),
    }


def test_a_transfer_is_numbered_from_its_id_and_uses_the_only_transit_location(sites):
    made = mug_transfer(sites)
    assert (made.reference, made.status, made.transit) == ("TO-000001", "draft", "OCEAN-1")
    assert transfers.get_transfer(sites, "TO-000001") == made


def test_with_several_transit_locations_the_route_decides_and_sets_the_expected_date(sites):
    add_place(sites, "TRUCK-1", kind="transit")
    with pytest.raises(InvalidInput) as refused:
        mug_transfer(sites)
    assert refused.value.field == "transit"
    services.transfer_routes.set_transfer_route(
        sites, SetTransferRoute(source="NY", destination="LA", transit="TRUCK-1", lead_time_days=5)
    )
    made = mug_transfer(sites)
    assert (made.transit, str(made.expected_date)) == ("TRUCK-1", "2026-03-07")
    assert mug_transfer(sites, transit="OCEAN-1").transit == "OCEAN-1"


def test_shipping_takes_lots_first_expired_first_out_and_they_travel_with_the_stock(sites):
    made = transfers.create_transfer(
        sites, CreateTransfer(source="NY", destination="LA", lines=[NewTransferLine("HONEY", "7")])
    )
    shipped = transit.ship_transfer(sites, ShipTransfer(made.reference))
    assert {(lot.lot, lot.in_transit) for lot in shipped.lines[0].lots} == {("H-EARLY", 5), ("H-LATE", 2)}
    assert [(ln.location, ln.lot, ln.quantity) for ln in shipped.events[0].lines] == [
        ("NY-B", "H-EARLY", 5), ("NY-A", "H-LATE", 2)
    ]
    received = transit.receive_transfer(
        sites, ReceiveTransfer(made.reference, lines=[TransferMoveLine(1, "5", lot="H-EARLY")], location="LA-DOCK")
    )
    assert received.status == "partially_received"
    assert at(sites, "HONEY", "LA-DOCK") == 5
    done = transit.receive_transfer(sites, ReceiveTransfer(made.reference))
    assert done.status == "received" and at(sites, "HONEY", "LA") == 2
    assert_books_balance(sites)


def test_one_shipment_of_several_items_takes_each_items_own_free_stock(sites):
    made = transfers.create_transfer(
        sites, CreateTransfer(source="NY", destination="LA",
        lines=[NewTransferLine("HONEY", "13"), NewTransferLine("MUG", "70")]),
    )
    shipped = transit.ship_transfer(sites, ShipTransfer(made.reference))
    assert [ln.in_transit for ln in shipped.lines] == [13, 70]
    assert_books_balance(sites)


def test_partial_shipments_and_receipts_then_received_in_full(sites):
    made = mug_transfer(sites)
    first = transit.ship_transfer(sites, ShipTransfer(made.reference, lines=[TransferMoveLine(1, "20")]))
    assert (first.status, first.lines[0].to_ship, first.lines[0].in_transit) == ("in_transit", 30, 20)
    part = transit.receive_transfer(sites, ReceiveTransfer(made.reference, lines=[TransferMoveLine(1, "15")]))
    assert part.status == "partially_received"
    transit.ship_transfer(sites, ShipTransfer(made.reference))
    done = transit.receive_transfer(sites, ReceiveTransfer(made.reference))
    assert (done.status, done.lines[0].received, done.lines[0].in_transit) == ("received", 50, 0)
    assert at(sites, "MUG", "LA") == 80 and at(sites, "MUG", "OCEAN-1") == 0
    assert [event.kind for event in done.events] == ["shipment", "receipt", "shipment", "receipt"]


def test_receiving_more_than_is_in_transit_is_a_conflict_naming_the_field_and_changes_nothing(sites):
    made = mug_transfer(sites)
    transit.ship_transfer(sites, ShipTransfer(made.reference, lines=[TransferMoveLine(1, "10")]))
    before = move_count(sites)
    with pytest.raises(Conflict) as refused:
        transit.receive_transfer(sites, ReceiveTransfer(made.reference, lines=[TransferMoveLine(1, "6"),
            TransferMoveLine(1, "5")]))
    assert str(refused.value).startswith("lines[1].quantity: 11 is more than the 10")
    assert move_count(sites) == before
    assert transfers.get_transfer(sites, made.reference).lines[0].received == 0


def test_shipping_more_than_ordered_is_refused(sites):
    made = mug_transfer(sites, "10")
    with pytest.raises(Conflict, match=r"^lines\[0\].quantity: 11 is more than the 10 left to ship"):
        transit.ship_transfer(sites, ShipTransfer(made.reference, lines=[TransferMoveLine(1, "11")]))


def test_shipping_takes_only_free_stock_reserved_units_stay_for_their_order(sites):
    order = services.sales_orders.create_order(
        sites, CreateOrder(
            lines=[services.sales_orders.NewOrderLine("MUG", 60, location="NY-A")], requested_ship_date="2026-03-02",
        ),
    )
    assert services.sales_orders.allocate_order(sites, OrderAction(order.reference)).lines[0].reserved == 60
    made = mug_transfer(sites, "50")
    with pytest.raises(InsufficientStock) as refused:
        transit.ship_transfer(sites, ShipTransfer(made.reference))
    (short,) = refused.value.shortages
    assert (short.location, short.requested, short.available) == ("NY", 50, 10)
    assert transfers.get_transfer(sites, made.reference).status == "draft"
    assert transit.ship_transfer(sites, ShipTransfer(made.reference, lines=[TransferMoveLine(1,
        "10")])).lines[0].shipped == 10


def test_what_never_arrives_is_written_off_as_lost_in_transit_and_the_transfer_closes(sites):
    made = mug_transfer(sites)
    transit.ship_transfer(sites, ShipTransfer(made.reference))
    transit.receive_transfer(sites, ReceiveTransfer(made.reference, lines=[TransferMoveLine(1, "47")]))
    lost = transit.write_off_transit(sites, WriteOffTransit(made.reference, note="3 broken in the container"))
    assert (lost.status, lost.lines[0].written_off, lost.lines[0].in_transit) == ("closed", 3, 0)
    posting = services.postings.get_posting(sites, lost.events[-1].posting_id)
    loss = (posting.kind, posting.reason, posting.moves[0].to_location)
    assert loss == ("adjustment", "lost_in_transit", "ADJUSTMENT")
    (total,) = services.stock.stock_levels(sites, sku="MUG").levels
    assert (total.on_hand, total.in_transit) == (97, 0)
    assert_books_balance(sites)


def test_a_transfer_closes_short_only_with_nothing_in_transit(sites):
    made = mug_transfer(sites)
    transit.ship_transfer(sites, ShipTransfer(made.reference, lines=[TransferMoveLine(1, "20")]))
    with pytest.raises(Conflict, match="still has 20 in transit"):
        transfers.close_transfer(sites, TransferAction(made.reference))
    transit.receive_transfer(sites, ReceiveTransfer(made.reference))
    closed = transfers.close_transfer(sites, TransferAction(made.reference))
    assert (closed.status, closed.lines[0].to_ship) == ("closed", 30)
    with pytest.raises(Conflict):
        transit.ship_transfer(sites, ShipTransfer(made.reference))


def test_a_draft_is_editable_and_cancellable_a_shipped_transfer_is_not(sites):
    made = mug_transfer(sites)
    changed = transfers.update_transfer(
        sites, UpdateTransfer(made.reference, lines=[NewTransferLine("MUG", "5"), NewTransferLine("HONEY", "1",
            lot="H-LATE")],
        carrier="Maersk", expected_date="2026-04-01"),
    )
    assert [(ln.sku, ln.quantity, ln.lot) for ln in changed.lines] == [("MUG", 5, None), ("HONEY", 1, "H-LATE")]
    transit.ship_transfer(sites, ShipTransfer(made.reference))
    with pytest.raises(Conflict, match="only a draft"):
        transfers.update_transfer(sites, UpdateTransfer(made.reference, lines=[NewTransferLine("MUG", "1")]))
    assert transfers.update_transfer(sites, UpdateTransfer(made.reference,
        tracking_number="T-1")).tracking_number == "T-1"
    with pytest.raises(Conflict, match="close it instead"):
        transfers.cancel_transfer(sites, TransferAction(made.reference))
    draft = mug_transfer(sites)
    assert transfers.cancel_transfer(sites, TransferAction(draft.reference)).status == "cancelled"


def test_receiving_serves_backorders_at_the_destination(sites):
    order = services.sales_orders.create_order(
        sites, CreateOrder(
            lines=[services.sales_orders.NewOrderLine("MUG", 40, location="LA")], requested_ship_date="2026-03-02",
        ),
    )
    assert services.sales_orders.allocate_order(sites, OrderAction(order.reference)).status == "backordered"
    made = mug_transfer(sites, "10")
    transit.ship_transfer(sites, ShipTransfer(made.reference))
    assert services.sales_orders.get_order(sites, order.reference).status == "backordered"
    transit.receive_transfer(sites, ReceiveTransfer(made.reference))
    assert services.sales_orders.get_order(sites, order.reference).lines[0].reserved == 40
    assert_books_balance(sites)


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"source": "NOPE"}, NotFound, "source"),
        ({"destination": "NY"}, InvalidInput, "destination"),
        ({"destination": "NY-A"}, InvalidInput, "destination"),
        ({"destination": "OCEAN-1"}, InvalidInput, "destination"),
        ({"transit": "LA"}, InvalidInput, "transit"),
        ({"lines": []}, InvalidInput, "lines"),
        ({"lines": [NewTransferLine("MUG", "0")]}, InvalidInput, "lines[0].quantity"),
        ({"lines": [NewTransferLine("MUG", "1", lot="X")]}, InvalidInput, "lines[0].lot"),
        ({"lines": [NewTransferLine("HONEY", "1", lot="NOPE")]}, NotFound, "lines[0].lot"),
        ({"expected_date": "someday"}, InvalidInput, "expected_date"),
        ({"reference": "bad ref"}, InvalidInput, "reference"),
    ],
)
def test_a_bad_transfer_is_refused_naming_the_field(sites, fields, error, field):
    values = {"source": "NY", "destination": "LA", "lines": [NewTransferLine("MUG", "1")], **fields}
    with pytest.raises(error) as refused:
        transfers.create_transfer(sites, CreateTransfer(**values))
    assert refused.value.field == field
    assert transfers.list_transfers(sites) == []


def test_a_taken_reference_is_refused_and_a_repeated_key_creates_once(sites):
    mug_transfer(sites, reference="TO-X")
    with pytest.raises(AlreadyExists):
        mug_transfer(sites, reference="TO-X")
    first = mug_transfer(sites, idempotency_key="k-1")
    assert mug_transfer(sites, idempotency_key="k-1") == first
    shipped = transit.ship_transfer(sites, ShipTransfer(first.reference), idempotency_key="s-1")
    assert transit.ship_transfer(sites, ShipTransfer(first.reference), idempotency_key="s-1") == shipped
    assert len(transfers.get_transfer(sites, first.reference).events) == 1


def test_receiving_a_lot_tracked_line_with_several_lots_in_transit_needs_the_lot(sites):
    made = transfers.create_transfer(sites, CreateTransfer(source="NY", destination="LA",
        lines=[NewTransferLine("HONEY", "7")]))
    transit.ship_transfer(sites, ShipTransfer(made.reference))
    with pytest.raises(InvalidInput) as refused:
        transit.receive_transfer(sites, ReceiveTransfer(made.reference, lines=[TransferMoveLine(1, "1")]))
    assert refused.value.field == "lines[0].lot" and "H-EARLY, H-LATE" in refused.value.reason


def test_list_transfers_by_status_and_location(sites):
    first = mug_transfer(sites)
    mug_transfer(sites)
    transit.ship_transfer(sites, ShipTransfer(first.reference))
    assert [t.reference for t in transfers.list_transfers(sites, status="in_transit")] == [first.reference]
    assert len(transfers.list_transfers(sites, location="LA-DOCK")) == 0
    assert len(transfers.list_transfers(sites, location="LA")) == 2
