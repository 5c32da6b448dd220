"""messages from organisers: reminders to answer, and a message to everyone

Revision ID: a7b8c9d0e1f2
Revises: f6a7b8c9d0e1
Create Date: 2026-12-07 16:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7b8c9d0e1f2'
down_revision = 'f6a7b8c9d0e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organiser_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['event_id'], ['events.id'], name=op.f('fk_organiser_messages_event_id_events'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['sent_by_id'], ['users.id'], name=op.f('fk_organiser_messages_sent_by_id_users'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organiser_messages')),
    )
    op.create_index(
        op.f('ix_organiser_messages_event_id'), 'organiser_messages', ['event_id'], unique=False
    )


def downgrade():
    op.drop_index(op.f('ix_organiser_messages_event_id'), table_name='organiser_messages')
    op.drop_table('organiser_messages')
