"""Ledger core: catalog, locations, lots, postings, moves, balances, keys.

Quantities are BIGINT counts of 10^-6 (see onhand.adapters.db.types.ScaledDecimal).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from onhand.domain.ledger.postings import STANDARD_REASONS
from onhand.domain.catalog.locations import VIRTUAL_LOCATIONS
from onhand.domain.quantities import STANDARD_UNITS


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_keys',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('prefix', name=op.f('uq_api_keys_prefix'))
    )
    op.create_table('company',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company'))
    )
    op.create_table('idempotency_keys',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('resource_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('import_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs'))
    )
    op.create_table('locations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('sellable', sa.Boolean(), nullable=False),
    sa.Column('allow_negative', sa.Boolean(), nullable=False),
    sa.Column('address_line1', sa.String(length=200), nullable=True),
    sa.Column('address_line2', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('postcode', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['locations.id'], name=op.f('fk_locations_parent_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations')),
    sa.UniqueConstraint('code', name=op.f('uq_locations_code'))
    )
    op.create_table('reason_codes',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_reason_codes'))
    )
    op.create_table('units',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('decimals', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_units'))
    )
    op.create_table('items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit_code', sa.String(length=16), nullable=False),
    sa.Column('tracking', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=True),
    sa.Column('shelf_life_days', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_code'], ['units.code'], name=op.f('fk_items_unit_code_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('gtin', name=op.f('uq_items_gtin')),
    sa.UniqueConstraint('sku', name=op.f('uq_items_sku'))
    )
    op.create_table('postings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('effective_at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['reason'], ['reason_codes.code'], name=op.f('fk_postings_reason_reason_codes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postings'))
    )
    op.create_table('balances',
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('lot_key', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('on_hand', sa.BigInteger(), nullable=False),
    sa.Column('reserved', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_balances_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_balances_location_id_locations')),
    sa.PrimaryKeyConstraint('item_id', 'location_id', 'lot_key', name=op.f('pk_balances'))
    )
    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.create_index('ix_balances_location_id', ['location_id'], unique=False)

    op.create_table('lots',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('production_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_lots_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lots')),
    sa.UniqueConstraint('item_id', 'code', name='uq_lots_item_id_code')
    )
    op.create_table('moves',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('posting_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('lot_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('from_location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('to_location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('from_location_id <> to_location_id', name=op.f('ck_moves_distinct_locations')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_moves_positive_quantity')),
    sa.ForeignKeyConstraint(['from_location_id'], ['locations.id'], name=op.f('fk_moves_from_location_id_locations')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_moves_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_moves_lot_id_lots')),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_moves_posting_id_postings')),
    sa.ForeignKeyConstraint(['to_location_id'], ['locations.id'], name=op.f('fk_moves_to_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moves'))
    )
    with op.batch_alter_table('moves', schema=None) as batch_op:
        batch_op.create_index('ix_moves_from_location_id', ['from_location_id', 'id'], unique=False)
        batch_op.create_index('ix_moves_item_id', ['item_id', 'id'], unique=False)
        batch_op.create_index('ix_moves_lot_id', ['lot_id'], unique=False)
        batch_op.create_index('ix_moves_posting_id', ['posting_id'], unique=False)
        batch_op.create_index('ix_moves_to_location_id', ['to_location_id', 'id'], unique=False)

    _seed()
    _append_only("postings")
    _append_only("moves")


def _seed() -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    company = sa.table("company", sa.column("id"), sa.column("name"), sa.column("timezone"), sa.column("currency"))
    op.bulk_insert(company, [{"id": 1, "name": "My Company", "timezone": "UTC", "currency": "USD"}])
    units = sa.table("units", sa.column("code"), sa.column("name"), sa.column("decimals"))
    op.bulk_insert(units, [{"code": u.code, "name": u.name, "decimals": u.decimals} for u in STANDARD_UNITS])
    reasons = sa.table("reason_codes", sa.column("code"), sa.column("description"))
    op.bulk_insert(reasons, [{"code": code, "description": text} for code, text in STANDARD_REASONS])
    locations = sa.table(
        "locations", sa.column("id"), sa.column("code"), sa.column("name"), sa.column("kind"),
        sa.column("path"), sa.column("sellable"), sa.column("allow_negative"), sa.column("created_at"),
    )
    op.bulk_insert(
        locations,
        [
            {
                "id": index, "code": code, "name": code.title(), "kind": kind.value,
                "path": f"/{index}/", "sellable": False, "allow_negative": True, "created_at": now,
            }
            for index, (kind, code) in enumerate(VIRTUAL_LOCATIONS.items(), start=1)
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval('locations_id_seq', (SELECT max(id) FROM locations))")


def _append_only(table: str) -> None:
    """Refuse UPDATE and DELETE on a ledger table: corrections are new postings."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """CREATE OR REPLACE FUNCTION onhand_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"""
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION onhand_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    with op.batch_alter_table('moves', schema=None) as batch_op:
        batch_op.drop_index('ix_moves_to_location_id')
        batch_op.drop_index('ix_moves_posting_id')
        batch_op.drop_index('ix_moves_lot_id')
        batch_op.drop_index('ix_moves_item_id')
        batch_op.drop_index('ix_moves_from_location_id')

    op.drop_table('moves')
    op.drop_table('lots')
    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.drop_index('ix_balances_location_id')

    op.drop_table('balances')
    op.drop_table('postings')
    op.drop_table('items')
    op.drop_table('units')
    op.drop_table('reason_codes')
    op.drop_table('locations')
    op.drop_table('idempotency_keys')
    op.drop_table('import_runs')
    op.drop_table('company')
    op.drop_table('api_keys')
