"""complaints: who claimed a report at the desk, and since when it waits for the citizen's information

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-01 09:30:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0015'
down_revision = '0010'
branch_labels = None
depends_on = None

UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('complaints') as batch:
        batch.add_column(sa.Column('claimed_by_id', db.models.base.BigId, nullable=True))
        batch.add_column(sa.Column('claimed_at', UTC, nullable=True))
        batch.add_column(sa.Column('info_requested_at', UTC, nullable=True))
        batch.create_foreign_key('fk_complaints_claimed_by_id_users', 'users', ['claimed_by_id'], ['id'],
                                 ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('complaints') as batch:
        batch.drop_constraint('fk_complaints_claimed_by_id_users', type_='foreignkey')
        batch.drop_column('info_requested_at')
        batch.drop_column('claimed_at')
        batch.drop_column('claimed_by_id')
