"""retired slots and locations: removed after publishing, kept for the meetings they cancelled

Revision ID: 5b7e9a1c3d2f
Revises: 8d2b4c6e1f3a
Create Date: 2026-12-07 06:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7e9a1c3d2f'
down_revision = '8d2b4c6e1f3a'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('slots', 'locations'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # Retired rows go, with the cancelled meetings that point at them.
    for table in ('slots', 'locations'):
        op.execute(sa.text(f"DELETE FROM {table} WHERE retired_at IS NOT NULL"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('retired_at')
