"""blocks of accounts, addresses and ranges, with partial-block restrictions; the address of each recent change; account locks and hidden names

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Hexadecimal addresses compare as bytes, whatever the PostgreSQL database's collation.
HEX = sa.String(length=40).with_variant(sa.String(length=40, collation='C'), 'postgresql')


def upgrade() -> None:
    op.create_table('blocks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('target', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('by_text', sa.String(length=255), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('timestamp', sa.Float(), nullable=False),
    sa.Column('expiry', sa.Float(), nullable=True),
    sa.Column('range_start', HEX, nullable=False),
    sa.Column('range_end', HEX, nullable=False),
    sa.Column('anon_only', sa.Boolean(), nullable=False),
    sa.Column('create_account', sa.Boolean(), nullable=False),
    sa.Column('autoblock', sa.Boolean(), nullable=False),
    sa.Column('block_email', sa.Boolean(), nullable=False),
    sa.Column('allow_usertalk', sa.Boolean(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('sitewide', sa.Boolean(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocks')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.create_index('ix_blocks_user', ['user_id'], unique=False)
        batch_op.create_index('ix_blocks_target', ['target'], unique=False)
        batch_op.create_index('ix_blocks_range', ['range_start', 'range_end'], unique=False)
        batch_op.create_index('ix_blocks_parent', ['parent_id'], unique=False)
    op.create_table('block_restrictions',
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_block_restrictions_block_id_blocks'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('block_id', 'type', 'value', name=op.f('pk_block_restrictions'))
    )
    with op.batch_alter_table('recentchanges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ip', sa.String(length=64), nullable=False, server_default=''))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('hidden_level', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('hidden_level')
        batch_op.drop_column('locked')
    with op.batch_alter_table('recentchanges', schema=None) as batch_op:
        batch_op.drop_column('ip')
    op.drop_table('block_restrictions')
    op.drop_table('blocks')
