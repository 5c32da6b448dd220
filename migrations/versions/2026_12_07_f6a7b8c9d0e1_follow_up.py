"""the follow-up after the event: files sent with mail, next steps with a reminder date

Revision ID: f6a7b8c9d0e1
Revises: e5f6a7b8c9d0
Create Date: 2026-12-07 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6a7b8c9d0e1'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('followed_up_at', sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        'next_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('other_user_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('remind_on', sa.Date(), nullable=True),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_next_steps_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['other_user_id'], ['users.id'], name=op.f('fk_next_steps_other_user_id_users'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_next_steps')),
        sa.UniqueConstraint(
            'user_id', 'other_user_id', name=op.f('uq_next_steps_user_id_other_user_id')
        ),
    )
    op.create_index('ix_next_steps_due', 'next_steps', ['remind_on', 'reminded_at'])


def downgrade():
    op.drop_index('ix_next_steps_due', table_name='next_steps')
    op.drop_table('next_steps')
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('followed_up_at')
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_column('attachments')
