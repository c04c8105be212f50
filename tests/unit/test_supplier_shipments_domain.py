"""A supplier shipment's status follows from its lines: shipped = received + written off
+ in transit."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from onhand.domain.commands import fingerprint
from onhand.domain.purchasing.commands import ReceiptLine, ReceiveSupplierShipment, ShipmentMoveLine, ShipPurchaseOrder
from onhand.domain.purchasing.supplier_shipments import ShipmentLineProgress as Line
from onhand.domain.purchasing.supplier_shipments import SupplierShipmentStatus as S
from onhand.domain.purchasing.supplier_shipments import supplier_shipment_status


@pytest.mark.parametrize(("lines", "status"), [
    ([Line(D(5)), Line(D(3))], S.IN_TRANSIT),
    ([Line(D(5), received=D(2)), Line(D(3))], S.PARTIALLY_RECEIVED),
    ([Line(D(5), written_off=D(1)), Line(D(3))], S.PARTIALLY_RECEIVED),
    ([Line(D(5), received=D(5)), Line(D(3), received=D(3))], S.RECEIVED),
    ([Line(D(5), received=D(4), written_off=D(1)), Line(D(3), received=D(3))], S.CLOSED),
    ([Line(D(5), written_off=D(5))], S.CLOSED),
])
def test_the_status_follows_from_the_lines(lines, status):
    assert supplier_shipment_status(lines) is status


def test_in_transit_is_what_neither_arrived_nor_was_written_off():
    assert Line(D("10.5"), received=D(4), written_off=D("0.5")).in_transit == D(6)


def test_commands_keep_their_lines_as_tuples_and_fingerprint_alike():
    ship = ShipPurchaseOrder("PO-1", [ReceiptLine(1, D(5))], vessel="Maersk Essen")
    assert isinstance(ship.lines, tuple)
    assert fingerprint("ship", ship) == fingerprint("ship", ShipPurchaseOrder("PO-1", (ReceiptLine(1, D(5)),),
                                                                              vessel="Maersk Essen"))
    receive = ReceiveSupplierShipment("ASN-1", [ShipmentMoveLine(1, D(2))])
    assert fingerprint("receive", receive) != fingerprint("receive", ReceiveSupplierShipment("ASN-1"))
