"""training: trainings and enrolments (seat, waiting list, attendance)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 08:00:00.000000

Written by hand to match db/models/training.py; names follow db.models.base.NAMING. One
enrolment row per (training, employee): the unique constraint makes a double sign-up impossible.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('trainings',
    sa.Column('id', BigId, nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('starts_at', UTC, nullable=False),
    sa.Column('ends_at', UTC, nullable=False),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('jp', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('registration_closes_at', UTC, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('min_golongan', sa.String(length=8), nullable=True),
    sa.Column('max_golongan', sa.String(length=8), nullable=True),
    sa.Column('jabatan_kinds', sa.JSON(), nullable=False),
    sa.Column('agency_ids', sa.JSON(), nullable=False),
    sa.Column('employment', sa.String(length=8), nullable=True),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('updated_at', UTC, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings')),
    sa.UniqueConstraint('code', name=op.f('uq_trainings_code'))
    )
    op.create_index('ix_trainings_upcoming', 'trainings', ['status', 'starts_at'], unique=False)

    op.create_table('training_enrolments',
    sa.Column('id', BigId, nullable=False),
    sa.Column('training_id', BigId, nullable=False),
    sa.Column('employee_id', BigId, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('queued_at', UTC, nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('updated_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['training_id'], ['trainings.id'],
                            name=op.f('fk_training_enrolments_training_id_trainings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'],
                            name=op.f('fk_training_enrolments_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_enrolments')),
    sa.UniqueConstraint('training_id', 'employee_id', name=op.f('uq_training_enrolments_training_id'))
    )
    op.create_index('ix_training_enrolments_queue', 'training_enrolments', ['training_id', 'status', 'queued_at'],
                    unique=False)
    op.create_index(op.f('ix_training_enrolments_employee_id'), 'training_enrolments', ['employee_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_training_enrolments_employee_id'), table_name='training_enrolments')
    op.drop_index('ix_training_enrolments_queue', table_name='training_enrolments')
    op.drop_table('training_enrolments')
    op.drop_index('ix_trainings_upcoming', table_name='trainings')
    op.drop_table('trainings')
