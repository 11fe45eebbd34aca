"""agencies as first-class data; outbox re-queue marker

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00.000000

Agencies gain a short name, a parent agency and their head's Telegram id (imported with
`sapa import agencies`). An outbox row that could not reach its person remembers that it
was put back in the queue once, so it is never re-queued twice.
Written by hand to match db/models/core.py; names follow db.models.base.NAMING.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    # Batch mode: SQLite cannot add a foreign key to an existing table in place.
    with op.batch_alter_table('agencies') as batch:
        batch.add_column(sa.Column('short_name', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('parent_id', BigId, nullable=True))
        batch.add_column(sa.Column('head_telegram_id', sa.BigInteger(), nullable=True))
        batch.create_foreign_key(op.f('fk_agencies_parent_id_agencies'), 'agencies', ['parent_id'], ['id'],
                                 ondelete='SET NULL')
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('requeued', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('requeued')
    with op.batch_alter_table('agencies') as batch:
        batch.drop_constraint(op.f('fk_agencies_parent_id_agencies'), type_='foreignkey')
        batch.drop_column('head_telegram_id')
        batch.drop_column('parent_id')
        batch.drop_column('short_name')
