"""The article's recall scenario, built through the services (shared by the integration
and end-to-end tests).

SERUM (lot-tracked) arrives on purchase order from ACME as Batch B123 (the supplier's
ACME-7781, 100 units) and B200 (50 units, a later expiry). From B123: 10 ship to Alice,
5 to Bob; 20 go into 10 gift boxes (GIFTBOX lot GB1 = 2 SERUM + 1 RIBBON), one box ships
to Carol; 40 move to the store; 25 stay in the warehouse. Dave's open order holds 5 of
B123; Erin's open order holds 3 gift boxes.
"""

from __future__ import annotations

from onhand import services
from onhand.domain.ledger.commands import MoveStock
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipOrder
from onhand.services.assemblies.bundles import ComponentLine
from onhand.services.assemblies.production import ComponentLot
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.lines import NewOrderLine
from onhand.services.orders.views import ShipTo
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.purchasing_helpers import placed, receive, supplier


def ship(onhand, customer, email, sku, quantity, lot=None, city="Boston"):
    made = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine(sku, quantity, lot=lot)], customer=customer, customer_email=email,
        ship_to=ShipTo(name=customer, line1="1 Main St", city=city, country="US"),))
    services.sales_orders.allocate_order(onhand, OrderAction(made.reference))
    return services.shipping.ship_order(onhand, ShipOrder(made.reference))


def build_scenario(onhand):
    add_place(onhand, "WH")
    add_place(onhand, "STORE", kind="store")
    add_place(onhand, "QUAR", sellable=False)
    add_item(onhand, "SERUM", tracking="lot")
    add_item(onhand, "RIBBON")
    add_item(onhand, "GIFTBOX", tracking="lot", kind="assembly")
    services.boms.set_bill_of_materials(
        onhand, "GIFTBOX", components=[ComponentLine("SERUM", 2), ComponentLine("RIBBON", 1)])
    supplier(onhand, "ACME")
    po = placed(onhand, ("SERUM", 150, "4.00"), destination="WH")
    receive(onhand, po.reference, (1, 100, "B123", "2027-06-30"), (1, 50, "B200", "2028-06-30"))
    services.lot_search.set_supplier_lot(onhand, sku="SERUM", lot="B123", supplier_lot="ACME-7781")
    adjust(onhand, "WH", "RIBBON", 50)

    alice = ship(onhand, "Alice Smith", "alice@example.com", "SERUM", 10, "B123")
    bob = ship(onhand, "Bob Jones", "bob@example.com", "SERUM", 5, "B123", city="Denver")
    boxes = services.builds.create_build_order(onhand, sku="GIFTBOX", location="WH", quantity=10)
    services.builds.build(onhand, boxes.reference, output_lot_code="GB1",
                          component_lots=[ComponentLot("SERUM", "B123", 20)])
    carol = ship(onhand, "Carol White", "carol@example.com", "GIFTBOX", 1, city="Austin")
    services.relocations.move_stock(onhand, MoveStock(source="WH", destination="STORE",
                                                      lines=[StockLine("SERUM", 40, "B123")]))
    dave = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine("SERUM", 5)], customer="Dave Brown"))
    dave = services.sales_orders.allocate_order(onhand, OrderAction(dave.reference))
    erin = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine("GIFTBOX", 3)], customer="Erin Black"))
    erin = services.sales_orders.allocate_order(onhand, OrderAction(erin.reference))
    return {"po": po, "alice": alice, "bob": bob, "carol": carol, "dave": dave, "erin": erin}
