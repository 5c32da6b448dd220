"""calendar salt: each event's secret that makes its meetings' calendar ids opaque

Revision ID: 7c1d3e5f9a2b
Revises: 5b7e9a1c3d2f
Create Date: 2026-12-07 08:05:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1d3e5f9a2b'
down_revision = '5b7e9a1c3d2f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_salt', sa.String(length=32), nullable=True))
    events = sa.table('events', sa.column('id', sa.Integer), sa.column('calendar_salt'))
    connection = op.get_bind()
    for (event_id,) in connection.execute(sa.select(events.c.id)).all():
        connection.execute(
            events.update()
            .where(events.c.id == event_id)
            .values(calendar_salt=secrets.token_hex(16))
        )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('calendar_salt', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('calendar_salt')
