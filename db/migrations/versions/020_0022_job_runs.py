"""job_runs and scheduler_lead: each job's last run and the scheduler's leader, for `sapa jobs`

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 17:00:00.000000

Written by hand to match db/models/jobs.py; names follow db.models.base.NAMING.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

UTC = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('job_runs',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('started_at', UTC, nullable=False),
    sa.Column('finished_at', UTC, nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('run_by', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_runs'))
    )
    op.create_table('scheduler_lead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder', sa.String(length=128), nullable=False),
    sa.Column('since', UTC, nullable=False),
    sa.Column('seen_at', UTC, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduler_lead'))
    )


def downgrade() -> None:
    op.drop_table('scheduler_lead')
    op.drop_table('job_runs')
