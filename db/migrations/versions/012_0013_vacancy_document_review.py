"""vacancy_documents: HR's review of each file (accepted / rejected with a reason)

Revision ID: 0013
Revises: 0015 (re-chained after merging main, which brought 0015 on 0010)
Create Date: 2026-12-01 09:30:00.000000

Written by hand to match db/models/vacancies.py. A document without a review is unreviewed;
a new upload of the same item clears the review (db/repositories/vacancies.put_document).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0013'
down_revision = '0015'
branch_labels = None
depends_on = None

UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('vacancy_documents') as batch:
        batch.add_column(sa.Column('review', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('review_reason', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('reviewed_at', UTC, nullable=True))
        batch.add_column(sa.Column('reviewed_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                   nullable=True))
        batch.create_foreign_key('fk_vacancy_documents_reviewed_by_users', 'users', ['reviewed_by'], ['id'],
                                 ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('vacancy_documents') as batch:
        batch.drop_constraint('fk_vacancy_documents_reviewed_by_users', type_='foreignkey')
        batch.drop_column('reviewed_by')
        batch.drop_column('reviewed_at')
        batch.drop_column('review_reason')
        batch.drop_column('review')
