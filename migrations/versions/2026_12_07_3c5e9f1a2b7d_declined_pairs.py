"""declined pairs: a rule on a pair may say that one of them declined an introduction

Revision ID: 3c5e9f1a2b7d
Revises: 6a1f539d3e75
Create Date: 2026-12-07 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c5e9f1a2b7d'
down_revision = '6a1f539d3e75'
branch_labels = None
depends_on = None

WITH_DECLINED = "rule IN ('together', 'apart', 'met_before', 'declined')"
WITHOUT = "rule IN ('together', 'apart', 'met_before')"


def upgrade():
    with op.batch_alter_table('pair_rules', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_pair_rules_rule_known'), type_='check')
        batch_op.create_check_constraint('rule_known', WITH_DECLINED)


def downgrade():
    # A decline becomes the organiser's "must not meet": the pair stays apart.
    op.execute(sa.text("UPDATE pair_rules SET rule = 'apart' WHERE rule = 'declined'"))
    with op.batch_alter_table('pair_rules', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_pair_rules_rule_known'), type_='check')
        batch_op.create_check_constraint('rule_known', WITHOUT)
