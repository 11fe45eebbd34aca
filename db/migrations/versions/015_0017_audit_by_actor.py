"""audit_log: an index by actor and time (the log filtered by person; the denied-attempt rate limit)

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-01 09:30:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0017'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_audit_actor_at', 'audit_log', ['actor_user_id', 'at'])


def downgrade() -> None:
    op.drop_index('ix_audit_actor_at', table_name='audit_log')
