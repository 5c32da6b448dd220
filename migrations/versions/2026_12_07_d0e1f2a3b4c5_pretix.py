"""events connected to pretix, and tickets cancelled there

Revision ID: d0e1f2a3b4c5
Revises: c9d0e1f2a3b4
Create Date: 2026-12-07 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd0e1f2a3b4c5'
down_revision = 'c9d0e1f2a3b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pretix_connections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('base_url', sa.String(length=500), nullable=False),
        sa.Column('organizer_slug', sa.String(length=100), nullable=False),
        sa.Column('event_slug', sa.String(length=100), nullable=False),
        sa.Column('api_token', sa.String(length=200), nullable=False),
        sa.Column('webhook_token', sa.String(length=64), nullable=False),
        sa.Column('count_pending', sa.Boolean(), nullable=False),
        sa.Column('questions', sa.JSON(), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('synced_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_result', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['event_id'], ['events.id'], name=op.f('fk_pretix_connections_event_id_events'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pretix_connections')),
        sa.UniqueConstraint('event_id', name=op.f('uq_pretix_connections_event_id')),
        sa.UniqueConstraint('webhook_token', name=op.f('uq_pretix_connections_webhook_token')),
    )
    with op.batch_alter_table('profiles') as batch:
        batch.add_column(sa.Column('ticket_cancelled_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('profiles') as batch:
        batch.drop_column('ticket_cancelled_at')
    op.drop_table('pretix_connections')
