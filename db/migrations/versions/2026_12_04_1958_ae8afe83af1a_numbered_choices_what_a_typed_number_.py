"""numbered_choices: what a typed number stands for

WhatsApp shows at most 10 choices as a list; more are numbered lines, and the number a citizen
types back is looked up here: kept in the database, a restart or another webhook process still
understands it. One row per person (their users row: no phone number here).

Revision ID: ae8afe83af1a
Revises: c44435749a47
Create Date: 2026-12-04 19:58:29.747309+00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = 'ae8afe83af1a'
down_revision = 'c44435749a47'
branch_labels = None
depends_on = None


UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('numbered_choices',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_numbered_choices_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_numbered_choices'))
    )


def downgrade() -> None:
    op.drop_table('numbered_choices')
