"""reminders: preferences per kind, and marks of occasions a job has finished

Revision ID: 0018
Revises: 0013 (re-chained onto main's head at the merge)
Create Date: 2026-12-01 09:30:00.000000

Written by hand to match db/models/reminders.py; names follow db.models.base.NAMING.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0018'
down_revision = '0014'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('reminder_prefs',
    sa.Column('id', BigId, nullable=False),
    sa.Column('user_id', BigId, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_reminder_prefs_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_prefs')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_reminder_prefs_user_id'))
    )
    op.create_table('reminder_marks',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('outcome', sa.String(length=200), nullable=False),
    sa.Column('done_at', UTC, nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_reminder_marks'))
    )
    op.create_index(op.f('ix_reminder_marks_done_at'), 'reminder_marks', ['done_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reminder_marks_done_at'), table_name='reminder_marks')
    op.drop_table('reminder_marks')
    op.drop_table('reminder_prefs')
