"""check-in at the table, meetings made at once from standby when a partner did not come,
and "free now"

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
Create Date: 2026-12-07 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5f6a7b8c9d0'
down_revision = 'd4e5f6a7b8c9'
branch_labels = None
depends_on = None

WITH_STANDBY = "origin IN ('planned', 'refill', 'request', 'standby', 'free_now')"
WITHOUT = "origin IN ('planned', 'refill', 'request')"


def upgrade():
    with op.batch_alter_table('meeting_seats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('free_until', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meetings_origin_known'), type_='check')
        batch_op.create_check_constraint('origin_known', WITH_STANDBY)


def downgrade():
    # A standby or free-now meeting reads as a refill: all were made after the plan.
    op.execute(
        sa.text("UPDATE meetings SET origin = 'refill' WHERE origin IN ('standby', 'free_now')")
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meetings_origin_known'), type_='check')
        batch_op.create_check_constraint('origin_known', WITHOUT)
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('free_until')
    with op.batch_alter_table('meeting_seats', schema=None) as batch_op:
        batch_op.drop_column('checked_in_at')
