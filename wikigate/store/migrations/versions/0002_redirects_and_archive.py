"""redirect flag on pages; the archive of deleted revisions; recent changes; watchlist notifications; user preferences; new-message flags

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Deleting a page moves its revisions out: SQLite must not then hand their ids (or the page's) out again.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('page', schema=None, recreate='always' if sqlite else 'auto',
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('is_redirect', sa.Boolean(), nullable=False, server_default=sa.false()))
    if sqlite:
        with op.batch_alter_table('revision', schema=None, recreate='always',
                                  table_kwargs={'sqlite_autoincrement': True}):
            pass
    op.create_table('archive',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('namespace', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('rev_id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('user_text', sa.String(length=255), nullable=False),
    sa.Column('timestamp', sa.Float(), nullable=False),
    sa.Column('minor', sa.Boolean(), nullable=False),
    sa.Column('len', sa.Integer(), nullable=False),
    sa.Column('sha1', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archive')),
    sa.UniqueConstraint('rev_id', name=op.f('uq_archive_rev_id'))
    )
    with op.batch_alter_table('archive', schema=None) as batch_op:
        batch_op.create_index('ix_archive_title_time', ['namespace', 'title', 'timestamp'], unique=False)

    with op.batch_alter_table('watchlist', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notification', sa.Float(), nullable=True))
    op.create_table('user_properties',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('property', sa.String(length=255), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_properties_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'property', name=op.f('pk_user_properties'))
    )
    op.create_table('user_newtalk',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('user_ip', sa.String(length=255), nullable=False),
    sa.Column('timestamp', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'user_ip', name=op.f('pk_user_newtalk'))
    )
    op.create_table('recentchanges',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('timestamp', sa.Float(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('user_text', sa.String(length=255), nullable=False),
    sa.Column('namespace', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('minor', sa.Boolean(), nullable=False),
    sa.Column('bot', sa.Boolean(), nullable=False),
    sa.Column('type', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('this_oldid', sa.Integer(), nullable=False),
    sa.Column('last_oldid', sa.Integer(), nullable=False),
    sa.Column('patrolled', sa.Integer(), nullable=False),
    sa.Column('old_len', sa.Integer(), nullable=True),
    sa.Column('new_len', sa.Integer(), nullable=True),
    sa.Column('log_id', sa.Integer(), nullable=False),
    sa.Column('log_type', sa.String(length=32), nullable=True),
    sa.Column('log_action', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recentchanges'))
    )
    with op.batch_alter_table('recentchanges', schema=None) as batch_op:
        batch_op.create_index('ix_recentchanges_time', ['timestamp'], unique=False)
        batch_op.create_index('ix_recentchanges_this_oldid', ['this_oldid'], unique=False)


def downgrade() -> None:
    op.drop_table('recentchanges')
    op.drop_table('user_properties')
    op.drop_table('user_newtalk')
    with op.batch_alter_table('watchlist', schema=None) as batch_op:
        batch_op.drop_column('notification')
    with op.batch_alter_table('archive', schema=None) as batch_op:
        batch_op.drop_index('ix_archive_title_time')
    op.drop_table('archive')
    with op.batch_alter_table('page', schema=None) as batch_op:
        batch_op.drop_column('is_redirect')
