"""Revision 0027 gives every existing cost pool its layers' count and totals."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from alembic import command
from sqlalchemy import insert, select

from onhand.adapters.db.engine import make_engine
from onhand.adapters.db.migrate import alembic_config, upgrade
from onhand.adapters.db.tables import items, locations
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools


def test_existing_pools_get_their_layers_count_and_totals(empty_database_url) -> None:
    engine = make_engine(empty_database_url)
    try:
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0026")  # the revision before
        at = datetime(2026, 1, 2, tzinfo=UTC)
        with engine.begin() as conn:
            item = conn.execute(insert(items).values(sku="W", name="W", unit_code="each", tracking="none",
                                                     kind="stocked", created_at=at)).inserted_primary_key[0]
            place = conn.execute(insert(locations).values(code="A", name="A", kind="warehouse", path="A",
                                                          sellable=True, allow_negative=False,
                                                          created_at=at)).inserted_primary_key[0]
            for lot_key in (0, 7):  # a pool with layers, and one without (only owing)
                conn.execute(insert(cost_pools).values(item_id=item, location_id=place, lot_key=lot_key,
                                                       deficit_quantity=Decimal(lot_key), deficit_value=Decimal(0)))
            conn.execute(insert(cost_layers), [
                {"item_id": item, "location_id": place, "lot_key": 0, "position": n, "opened_at": at,
                 "origin_move_id": n + 1, "quantity": Decimal("1.5") * (n + 1), "value": Decimal("2.000001") * n}
                for n in range(3)
            ])
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(select(cost_pools.c.lot_key, cost_pools.c.layer_count, cost_pools.c.layers_quantity,
                                       cost_pools.c.layers_value).order_by(cost_pools.c.lot_key)).all()
        assert [tuple(row) for row in rows] == [(0, 3, Decimal(9), Decimal("6.000003")), (7, 0, 0, 0)]
    finally:
        engine.dispose()
