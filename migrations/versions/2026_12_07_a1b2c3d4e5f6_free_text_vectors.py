"""the embeddings of "looking for" and "can help with", stored with the profile's

Revision ID: a1b2c3d4e5f6
Revises: 9e4f2a6b8c1d
Create Date: 2026-12-07 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d4e5f6'
down_revision = '9e4f2a6b8c1d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('profile_vectors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('free_vectors', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('profile_vectors', schema=None) as batch_op:
        batch_op.drop_column('free_vectors')
