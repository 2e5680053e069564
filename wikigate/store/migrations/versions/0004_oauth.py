"""OAuth consumers, their acceptances by users, and OAuth 2 tokens and authorization codes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('oauth_consumers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('app_version', sa.String(length=32), nullable=False),
    sa.Column('oauth_version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('owner_only', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('callback_url', sa.Text(), nullable=False),
    sa.Column('callback_is_prefix', sa.Boolean(), nullable=False),
    sa.Column('grants', sa.JSON(), nullable=False),
    sa.Column('restrictions', sa.JSON(), nullable=False),
    sa.Column('secret_seed', sa.String(length=64), nullable=False),
    sa.Column('rsa_key', sa.Text(), nullable=False, server_default=''),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('oauth2_grant_types', sa.JSON(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('registered', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_oauth_consumers_owner_id_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_consumers')),
    sa.UniqueConstraint('key', name=op.f('uq_oauth_consumers_key')),
    sa.UniqueConstraint('name', 'app_version', 'owner_id', name=op.f('uq_oauth_consumers_name_app_version_owner_id')),
    )
    op.create_table('oauth_acceptances',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('consumer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('grants', sa.JSON(), nullable=False),
    sa.Column('accepted', sa.Float(), nullable=False),
    sa.Column('access_token', sa.String(length=64), nullable=True),
    sa.Column('access_secret_seed', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['consumer_id'], ['oauth_consumers.id'],
                            name=op.f('fk_oauth_acceptances_consumer_id_oauth_consumers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_oauth_acceptances_user_id_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_acceptances')),
    sa.UniqueConstraint('access_token', name=op.f('uq_oauth_acceptances_access_token')),
    sa.UniqueConstraint('consumer_id', 'user_id', name=op.f('uq_oauth_acceptances_consumer_id_user_id')),
    )
    op.create_table('oauth2_tokens',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('acceptance_id', sa.Integer(), nullable=True),
    sa.Column('consumer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('expires', sa.Float(), nullable=True),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('redirect_uri', sa.Text(), nullable=True),
    sa.Column('challenge', sa.String(length=128), nullable=True),
    sa.Column('challenge_method', sa.String(length=8), nullable=True),
    sa.Column('parent', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['acceptance_id'], ['oauth_acceptances.id'],
                            name=op.f('fk_oauth2_tokens_acceptance_id_oauth_acceptances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consumer_id'], ['oauth_consumers.id'],
                            name=op.f('fk_oauth2_tokens_consumer_id_oauth_consumers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_oauth2_tokens')),
    )
    with op.batch_alter_table('oauth2_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_oauth2_tokens_acceptance', ['acceptance_id'], unique=False)


def downgrade() -> None:
    op.drop_table('oauth2_tokens')
    op.drop_table('oauth_acceptances')
    op.drop_table('oauth_consumers')
