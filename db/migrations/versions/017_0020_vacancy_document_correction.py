"""vacancy_documents.corrected_at: a rejected file replaced after submission (perbaikan berkas)

Revision ID: 0020
Revises: 0011
Create Date: 2026-12-02 10:00:00.000000

Written by hand to match db/models/vacancies.py. The replaced file's id, name and the rejection it
answered are kept in the audit log (action vacancy.document_corrected), not in this table.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0020'
down_revision = '0011'
branch_labels = None
depends_on = None

UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('vacancy_documents') as batch:
        batch.add_column(sa.Column('corrected_at', UTC, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('vacancy_documents') as batch:
        batch.drop_column('corrected_at')
