"""account: activation codes (stored hashed) and failed linking attempts per chat

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:00:00.000000

Written by hand to match db/models/account.py; names follow db.models.base.NAMING.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('activation_codes',
    sa.Column('id', BigId, nullable=False),
    sa.Column('employee_id', BigId, nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('expires_at', UTC, nullable=False),
    sa.Column('used_at', UTC, nullable=True),
    sa.Column('issued_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'],
                            name=op.f('fk_activation_codes_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activation_codes'))
    )
    op.create_index(op.f('ix_activation_codes_employee_id'), 'activation_codes', ['employee_id'], unique=False)

    op.create_table('link_attempts',
    sa.Column('user_id', BigId, nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failed_at', UTC, nullable=True),
    sa.Column('locked_until', UTC, nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_link_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_link_attempts'))
    )


def downgrade() -> None:
    op.drop_table('link_attempts')
    op.drop_index(op.f('ix_activation_codes_employee_id'), table_name='activation_codes')
    op.drop_table('activation_codes')
