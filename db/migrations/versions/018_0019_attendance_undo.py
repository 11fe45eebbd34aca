"""training_enrolments: attended_from (what an enrolment was before HR marked it attended)

Revision ID: 0019
Revises: 0020
Create Date: 2026-12-02 09:00:00.000000

Undoing a mistaken attendance puts the enrolment back as it was: a seat, a place in line, a
cancelled sign-up, or no row at all for a walk-in. Rows marked before this revision keep NULL;
services.training.attendance infers theirs from the sign-up time (before the start: a seat).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('training_enrolments') as batch:
        batch.add_column(sa.Column('attended_from', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('training_enrolments') as batch:
        batch.drop_column('attended_from')
