"""the event's directory (profiles listed in it), requests to meet, and tables kept free

Revision ID: b2c3d4e5f6a7
Revises: a1b2c3d4e5f6
Create Date: 2026-12-07 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2c3d4e5f6a7'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None

WITH_REQUEST = "origin IN ('planned', 'refill', 'request')"
WITHOUT = "origin IN ('planned', 'refill')"


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('listed', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('requests_per_person', sa.Integer(), server_default='5', nullable=False)
        )
        batch_op.add_column(
            sa.Column('tables_kept_free', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.add_column(
            sa.Column('meetings_kept_free', sa.Integer(), server_default='0', nullable=False)
        )
    op.create_table(
        'meeting_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('asker_id', sa.Integer(), nullable=False),
        sa.Column('asked_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), server_default='', nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['asker_id'], ['profiles.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['asked_id'], ['profiles.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_meeting_requests_asker', 'meeting_requests', ['event_id', 'asker_id'])
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meetings_origin_known'), type_='check')
        batch_op.create_check_constraint('origin_known', WITH_REQUEST)


def downgrade():
    # A requested meeting reads as a refill: both came after the plan.
    op.execute(sa.text("UPDATE meetings SET origin = 'refill' WHERE origin = 'request'"))
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meetings_origin_known'), type_='check')
        batch_op.create_check_constraint('origin_known', WITHOUT)
    op.drop_index('ix_meeting_requests_asker', table_name='meeting_requests')
    op.drop_table('meeting_requests')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('meetings_kept_free')
        batch_op.drop_column('tables_kept_free')
        batch_op.drop_column('requests_per_person')
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('listed')
