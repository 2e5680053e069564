"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('logging',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('timestamp', sa.Float(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('user_text', sa.String(length=255), nullable=False),
    sa.Column('namespace', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_logging'))
    )
    with op.batch_alter_table('logging', schema=None) as batch_op:
        batch_op.create_index('ix_logging_type_time', ['type', 'timestamp'], unique=False)

    op.create_table('objectcache',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('expires', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_objectcache'))
    )
    with op.batch_alter_table('objectcache', schema=None) as batch_op:
        batch_op.create_index('ix_objectcache_expires', ['expires'], unique=False)

    op.create_table('page',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('namespace', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('latest', sa.Integer(), nullable=False),
    sa.Column('len', sa.Integer(), nullable=False),
    sa.Column('touched', sa.Float(), nullable=False),
    sa.Column('is_new', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page')),
    sa.UniqueConstraint('namespace', 'title', name=op.f('uq_page_namespace_title'))
    )
    op.create_table('protected_titles',
    sa.Column('namespace', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('timestamp', sa.Float(), nullable=False),
    sa.Column('expiry', sa.Float(), nullable=True),
    sa.Column('level', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('namespace', 'title', name=op.f('pk_protected_titles'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('real_name', sa.String(length=255), nullable=False),
    sa.Column('password', sa.Text(), nullable=False),
    sa.Column('newpassword', sa.Text(), nullable=False),
    sa.Column('newpass_time', sa.Float(), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('email_authenticated', sa.Float(), nullable=True),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('registration', sa.Float(), nullable=True),
    sa.Column('editcount', sa.Integer(), nullable=False),
    sa.Column('touched', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('name', name=op.f('uq_user_name'))
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index('ix_user_email', ['email'], unique=False)

    op.create_table('bot_passwords',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('app_id', sa.String(length=32), nullable=False),
    sa.Column('password', sa.Text(), nullable=False),
    sa.Column('grants', sa.JSON(), nullable=False),
    sa.Column('restrictions', sa.JSON(), nullable=False),
    sa.Column('created', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_bot_passwords_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'app_id', name=op.f('pk_bot_passwords'))
    )
    op.create_table('oath_users',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=128), nullable=False),
    sa.Column('recovery_codes', sa.JSON(), nullable=False),
    sa.Column('last_step', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_oath_users_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_oath_users'))
    )
    op.create_table('page_restrictions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=60), nullable=False),
    sa.Column('level', sa.String(length=60), nullable=False),
    sa.Column('cascade', sa.Boolean(), nullable=False),
    sa.Column('expiry', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['page_id'], ['page.id'], name=op.f('fk_page_restrictions_page_id_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_restrictions')),
    sa.UniqueConstraint('page_id', 'type', name=op.f('uq_page_restrictions_page_id_type'))
    )
    op.create_table('revision',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
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
    sa.ForeignKeyConstraint(['page_id'], ['page.id'], name=op.f('fk_revision_page_id_page'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision'))
    )
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_page_id'), ['page_id'], unique=False)

    op.create_table('user_groups',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('group', sa.String(length=255), nullable=False),
    sa.Column('expiry', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_groups_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'group', name=op.f('pk_user_groups'))
    )
    op.create_table('watchlist',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('namespace', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('expiry', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_watchlist_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'namespace', 'title', name=op.f('pk_watchlist'))
    )


def downgrade() -> None:
    op.drop_table('watchlist')
    op.drop_table('user_groups')
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_page_id'))

    op.drop_table('revision')
    op.drop_table('page_restrictions')
    op.drop_table('oath_users')
    op.drop_table('bot_passwords')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index('ix_user_email')

    op.drop_table('user')
    op.drop_table('protected_titles')
    op.drop_table('page')
    with op.batch_alter_table('objectcache', schema=None) as batch_op:
        batch_op.drop_index('ix_objectcache_expires')

    op.drop_table('objectcache')
    with op.batch_alter_table('logging', schema=None) as batch_op:
        batch_op.drop_index('ix_logging_type_time')

    op.drop_table('logging')
