"""vacancies: open selection with stages, applications, documents and stage results

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 08:00:00.000000

Written by hand to match db/models/vacancies.py; names follow db.models.base.NAMING.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.models.base

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
When = db.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('vacancies',
    sa.Column('id', BigId, nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('jabatan', sa.String(length=200), nullable=False),
    sa.Column('agency_id', BigId, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('opens_at', When, nullable=False),
    sa.Column('closes_at', When, nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_vacancies_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancies')),
    sa.UniqueConstraint('code', name=op.f('uq_vacancies_code'))
    )
    op.create_table('vacancy_stages',
    sa.Column('id', BigId, nullable=False),
    sa.Column('vacancy_id', BigId, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('published_at', When, nullable=True),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_vacancy_stages_vacancy_id_vacancies'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_stages')),
    sa.UniqueConstraint('vacancy_id', 'position', name=op.f('uq_vacancy_stages_vacancy_id'))
    )
    op.create_table('vacancy_applications',
    sa.Column('id', BigId, nullable=False),
    sa.Column('vacancy_id', BigId, nullable=False),
    sa.Column('employee_id', BigId, nullable=False),
    sa.Column('user_id', BigId, nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.Column('submitted_at', When, nullable=True),
    sa.Column('withdrawn_at', When, nullable=True),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'],
                            name=op.f('fk_vacancy_applications_vacancy_id_vacancies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'],
                            name=op.f('fk_vacancy_applications_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_vacancy_applications_user_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_applications')),
    sa.UniqueConstraint('vacancy_id', 'employee_id', name=op.f('uq_vacancy_applications_vacancy_id'))
    )
    op.create_index(op.f('ix_vacancy_applications_employee_id'), 'vacancy_applications', ['employee_id'],
                    unique=False)
    op.create_table('vacancy_documents',
    sa.Column('id', BigId, nullable=False),
    sa.Column('application_id', BigId, nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('file_id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('mime', sa.String(length=100), nullable=True),
    sa.Column('uploaded_at', When, nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['vacancy_applications.id'],
                            name=op.f('fk_vacancy_documents_application_id_vacancy_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_documents')),
    sa.UniqueConstraint('application_id', 'code', name=op.f('uq_vacancy_documents_application_id'))
    )
    op.create_table('vacancy_results',
    sa.Column('id', BigId, nullable=False),
    sa.Column('application_id', BigId, nullable=False),
    sa.Column('stage_id', BigId, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('recorded_at', When, nullable=False),
    sa.Column('recorded_by', BigId, nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['vacancy_applications.id'],
                            name=op.f('fk_vacancy_results_application_id_vacancy_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['vacancy_stages.id'], name=op.f('fk_vacancy_results_stage_id_vacancy_stages'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_vacancy_results_recorded_by_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_results')),
    sa.UniqueConstraint('application_id', 'stage_id', name=op.f('uq_vacancy_results_application_id'))
    )
    op.create_index(op.f('ix_vacancy_results_stage_id'), 'vacancy_results', ['stage_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_vacancy_results_stage_id'), table_name='vacancy_results')
    op.drop_table('vacancy_results')
    op.drop_table('vacancy_documents')
    op.drop_index(op.f('ix_vacancy_applications_employee_id'), table_name='vacancy_applications')
    op.drop_table('vacancy_applications')
    op.drop_table('vacancy_stages')
    op.drop_table('vacancies')
