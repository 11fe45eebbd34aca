"""broadcasts: HR's /umumkan, and the outbox rows' broadcast_id and priority

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 09:30:00.000000

Written by hand to match db/models/broadcasts.py and OutboxMessage; names follow db.models.base.NAMING.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0011'
down_revision = '0017'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('broadcasts',
    sa.Column('id', BigId, nullable=False),
    sa.Column('created_by', BigId, nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachment_kind', sa.String(length=16), nullable=True),
    sa.Column('attachment_file_id', sa.String(length=256), nullable=True),
    sa.Column('attachment_name', sa.String(length=256), nullable=True),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('scheduled_for', UTC, nullable=True),
    sa.Column('starts_at', UTC, nullable=True),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('progress_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('progress_message_id', sa.BigInteger(), nullable=True),
    sa.Column('progress_at', UTC, nullable=True),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('confirmed_at', UTC, nullable=True),
    sa.Column('finished_at', UTC, nullable=True),
    sa.Column('final_counts', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_broadcasts_created_by_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcasts'))
    )
    op.create_index(op.f('ix_broadcasts_created_by'), 'broadcasts', ['created_by'], unique=False)
    op.create_index(op.f('ix_broadcasts_status'), 'broadcasts', ['status'], unique=False)
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('broadcast_id', BigId, nullable=True))
        batch.add_column(sa.Column('priority', sa.Integer(), server_default='0', nullable=False))
        batch.create_foreign_key(batch.f('fk_outbox_broadcast_id_broadcasts'), 'broadcasts', ['broadcast_id'],
                                 ['id'], ondelete='CASCADE')
        batch.create_index(batch.f('ix_outbox_broadcast_id'), ['broadcast_id'], unique=False)
        # Claiming orders by priority first: the index follows.
        batch.drop_index('ix_outbox_due')
        batch.create_index('ix_outbox_due', ['status', 'priority', 'not_before'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_index('ix_outbox_due')
        batch.create_index('ix_outbox_due', ['status', 'not_before'], unique=False)
        batch.drop_index(batch.f('ix_outbox_broadcast_id'))
        batch.drop_constraint(batch.f('fk_outbox_broadcast_id_broadcasts'), type_='foreignkey')
        batch.drop_column('priority')
        batch.drop_column('broadcast_id')
    op.drop_index(op.f('ix_broadcasts_status'), table_name='broadcasts')
    op.drop_index(op.f('ix_broadcasts_created_by'), table_name='broadcasts')
    op.drop_table('broadcasts')
