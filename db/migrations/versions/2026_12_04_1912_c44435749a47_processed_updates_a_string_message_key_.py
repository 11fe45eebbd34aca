"""processed_updates: a string message key (a channel whose message ids are strings)

Revision ID: c44435749a47
Revises: 0022
Create Date: 2026-12-04 19:12:49.544796+00:00

Telegram numbers its updates; the WhatsApp Cloud API names each message with a string
(`wamid.…`). Such an update is recorded with update_id 0 and its id in `message_key`, which
joins the key; Telegram's rows keep their numbers and an empty key.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c44435749a47'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('processed_updates', recreate='auto') as batch:
        batch.add_column(sa.Column('message_key', sa.String(length=128), server_default='', nullable=False))
        batch.drop_constraint('pk_processed_updates', type_='primary')
        batch.create_primary_key('pk_processed_updates', ['channel', 'bot_id', 'update_id', 'message_key'])


def downgrade() -> None:
    # The old key cannot tell string-named messages apart: they are forgotten (a redelivery of
    # one of them after the downgrade would be handled again, as before this revision).
    op.execute("DELETE FROM processed_updates WHERE message_key <> ''")
    with op.batch_alter_table('processed_updates', recreate='auto') as batch:
        batch.drop_constraint('pk_processed_updates', type_='primary')
        batch.create_primary_key('pk_processed_updates', ['channel', 'bot_id', 'update_id'])
        batch.drop_column('message_key')
