"""processed_updates: bot_id in the key (update ids count per bot)

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-04 17:00:00.000000

A restarted sandbox emulator, or a government that replaces its bot (a new token) on the same
database, starts update ids low again: keyed by (channel, update_id) alone, every update of the
new stream was taken for a replay and ignored for 7 days. Rows written before this revision get
bot_id 0; the first bot that starts adopts them (UpdateRepo.adopt_unscoped), so a batch replayed
across the upgrade is still recognised.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('processed_updates', recreate='auto') as batch:
        batch.add_column(sa.Column('bot_id', sa.BigInteger(), server_default='0', nullable=False))
        batch.drop_constraint('pk_processed_updates', type_='primary')
        batch.create_primary_key('pk_processed_updates', ['channel', 'bot_id', 'update_id'])


def downgrade() -> None:
    # The old key cannot hold two bots' ids: keep the rows of the bot that was last active.
    op.execute("DELETE FROM processed_updates WHERE bot_id <> "
               "(SELECT bot_id FROM (SELECT bot_id FROM processed_updates ORDER BY at DESC LIMIT 1) AS last)")
    with op.batch_alter_table('processed_updates', recreate='auto') as batch:
        batch.drop_constraint('pk_processed_updates', type_='primary')
        batch.create_primary_key('pk_processed_updates', ['channel', 'update_id'])
        batch.drop_column('bot_id')
