"""employee record: position kind, birth date and start of service

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 07:00:00.000000

What training eligibility and vacancy requirements compare: the kind of position (JPT,
administrator, pengawas, pelaksana, JF levels) and, for PPPK whose numbers carry no dates,
the birth date and start of service. For PNS both dates are read from the NIP when empty.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('employees') as batch:
        batch.add_column(sa.Column('jabatan_kind', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
        batch.add_column(sa.Column('tmt', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('employees') as batch:
        batch.drop_column('tmt')
        batch.drop_column('birth_date')
        batch.drop_column('jabatan_kind')
