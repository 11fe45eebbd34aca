"""appraisal (SKP periods) and subscriptions (vacancy and training notices)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00.000000

Written by hand to match db/models/appraisal.py and db/models/subscriptions.py; names follow
db.models.base.NAMING.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('appraisals',
    sa.Column('id', BigId, nullable=False),
    sa.Column('employee_id', BigId, nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('result_rating', sa.String(length=16), nullable=True),
    sa.Column('behaviour_rating', sa.String(length=16), nullable=True),
    sa.Column('predikat', sa.String(length=16), nullable=True),
    sa.Column('deadline', db.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('missing', sa.JSON(), nullable=False),
    sa.Column('updated_at', db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_appraisals_employee_id_employees'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisals')),
    sa.UniqueConstraint('employee_id', 'period', name=op.f('uq_appraisals_employee_id'))
    )
    op.create_index(op.f('ix_appraisals_employee_id'), 'appraisals', ['employee_id'], unique=False)

    op.create_table('subscriptions',
    sa.Column('id', BigId, nullable=False),
    sa.Column('user_id', BigId, nullable=False),
    sa.Column('topic', sa.String(length=16), nullable=False),
    sa.Column('choice', sa.String(length=16), nullable=False),
    sa.Column('updated_at', db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_subscriptions_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions')),
    sa.UniqueConstraint('user_id', 'topic', name=op.f('uq_subscriptions_user_id'))
    )


def downgrade() -> None:
    op.drop_table('subscriptions')
    op.drop_index(op.f('ix_appraisals_employee_id'), table_name='appraisals')
    op.drop_table('appraisals')
