"""vacancies: published_at (a vacancy HR is still writing is a draft nobody else sees)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 09:20:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('vacancies') as batch:
        batch.add_column(sa.Column('published_at', UTC, nullable=True))
    # Every vacancy before this revision was visible once open: it stays so.
    op.execute(sa.text("UPDATE vacancies SET published_at = created_at"))


def downgrade() -> None:
    with op.batch_alter_table('vacancies') as batch:
        batch.drop_column('published_at')
