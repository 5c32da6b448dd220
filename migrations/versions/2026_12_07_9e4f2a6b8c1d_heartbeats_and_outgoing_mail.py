"""heartbeats of background work, mail waiting to leave, publications still to announce,
and organisers' invitation limits

Revision ID: 9e4f2a6b8c1d
Revises: 7c1d3e5f9a2b
Create Date: 2026-12-07 09:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e4f2a6b8c1d'
down_revision = '7c1d3e5f9a2b'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('match_runs', 'export_jobs'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True)
            )
    with op.batch_alter_table('match_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaced_run_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True))
    # Every run published so far was announced when it was published.
    runs = sa.table(
        'match_runs',
        sa.column('id', sa.Integer),
        sa.column('announced_at', sa.DateTime(timezone=True)),
        sa.column('finished_at', sa.DateTime(timezone=True)),
    )
    events = sa.table('events', sa.column('published_run_id', sa.Integer))
    op.get_bind().execute(
        runs.update()
        .where(runs.c.id.in_(sa.select(events.c.published_run_id)))
        .values(announced_at=runs.c.finished_at)
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitations_per_day', sa.Integer(), nullable=True))
    with op.batch_alter_table('attendee_imports', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('invited', sa.Integer(), server_default='0', nullable=False)
        )
    op.create_table(
        'outgoing_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('to', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed')",
            name=op.f('ck_outgoing_mail_status_known'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail')),
    )
    op.create_index('ix_outgoing_mail_waiting', 'outgoing_mail', ['status', 'due_at'])


def downgrade():
    with op.batch_alter_table('attendee_imports', schema=None) as batch_op:
        batch_op.drop_column('invited')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('invitations_per_day')
    op.drop_index('ix_outgoing_mail_waiting', table_name='outgoing_mail')
    op.drop_table('outgoing_mail')
    with op.batch_alter_table('match_runs', schema=None) as batch_op:
        batch_op.drop_column('announced_at')
        batch_op.drop_column('replaced_run_id')
    for table in ('export_jobs', 'match_runs'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('heartbeat_at')
