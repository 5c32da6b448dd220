"""pinned meetings: a meeting an organiser placed by hand stays where it is in re-plans

Revision ID: 8d2b4c6e1f3a
Revises: 3c5e9f1a2b7d
Create Date: 2026-12-07 06:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d2b4c6e1f3a'
down_revision = '3c5e9f1a2b7d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('pinned', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('pinned')
