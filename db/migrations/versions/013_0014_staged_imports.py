"""staged_imports: a spreadsheet HR sent in the chat, between its dry run and the confirmation

Revision ID: 0014
Revises: 0015
Create Date: 2026-12-01 09:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

UTC = db.models.base.UTCDateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('staged_imports',
    sa.Column('id', ID, nullable=False),
    sa.Column('user_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('file_id', sa.String(length=256), nullable=False),
    sa.Column('file_name', sa.String(length=256), nullable=False),
    sa.Column('file_size', sa.BigInteger(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_staged_imports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staged_imports'))
    )
    op.create_index(op.f('ix_staged_imports_user_id'), 'staged_imports', ['user_id'], unique=False)
    op.create_index(op.f('ix_staged_imports_created_at'), 'staged_imports', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_staged_imports_created_at'), table_name='staged_imports')
    op.drop_index(op.f('ix_staged_imports_user_id'), table_name='staged_imports')
    op.drop_table('staged_imports')
