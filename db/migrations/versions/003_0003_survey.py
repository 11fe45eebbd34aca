"""survey: service units and IKM survey responses (PermenPANRB 14/2017)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:00:00.000000

Written by hand to match db/models/survey.py; names follow db.models.base.NAMING.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
SCORES = [f'q{i}' for i in range(1, 10)]


def upgrade() -> None:
    op.create_table('service_units',
    sa.Column('id', BigId, nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('agency_id', BigId, nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_service_units_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_units')),
    sa.UniqueConstraint('code', name=op.f('uq_service_units_code'))
    )
    op.create_index(op.f('ix_service_units_agency_id'), 'service_units', ['agency_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', BigId, nullable=False),
    sa.Column('unit_id', BigId, nullable=False),
    sa.Column('user_id', BigId, nullable=True),
    sa.Column('local_date', sa.Date(), nullable=False),
    *[sa.Column(q, sa.SmallInteger(), nullable=False) for q in SCORES],
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', db.models.base.UTCDateTime(timezone=True), nullable=False),
    *[sa.CheckConstraint(f'{q} BETWEEN 1 AND 4', name=op.f(f'ck_survey_responses_{q}_range')) for q in SCORES],
    sa.ForeignKeyConstraint(['unit_id'], ['service_units.id'], name=op.f('fk_survey_responses_unit_id_service_units'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_survey_responses_user_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('unit_id', 'user_id', 'local_date', name=op.f('uq_survey_responses_unit_id'))
    )
    op.create_index('ix_survey_responses_unit_date', 'survey_responses', ['unit_id', 'local_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_survey_responses_unit_date', table_name='survey_responses')
    op.drop_table('survey_responses')
    op.drop_index(op.f('ix_service_units_agency_id'), table_name='service_units')
    op.drop_table('service_units')
