"""reminders before meetings, and the morning's "still coming today?"

Revision ID: d4e5f6a7b8c9
Revises: c3d4e5f6a7b8
Create Date: 2026-12-07 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e5f6a7b8c9'
down_revision = 'c3d4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reminder_minutes', sa.Integer(), server_default='10', nullable=False)
        )
        batch_op.add_column(
            sa.Column('morning_check', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reminders', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table('meeting_seats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'day_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('profile_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('coming', sa.Boolean(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['profile_id'], ['profiles.id'], name=op.f('fk_day_checks_profile_id_profiles'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_day_checks')),
        sa.UniqueConstraint('profile_id', 'day', name=op.f('uq_day_checks_profile_id_day')),
        sa.UniqueConstraint('token', name=op.f('uq_day_checks_token')),
    )


def downgrade():
    op.drop_table('day_checks')
    with op.batch_alter_table('meeting_seats', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('reminders')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('morning_check')
        batch_op.drop_column('reminder_minutes')
