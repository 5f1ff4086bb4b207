"""soft deletion with restore

Hotlines, reporting rules and guide images keep who deleted them and when, so staff can restore them.

Revision ID: a1c389000003
Revises: a1c389000002
Create Date: 2026-11-22 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c389000003'
down_revision = 'a1c389000002'
branch_labels = None
depends_on = None

TABLES = ("hotlines", "reporting_rules", "guide_images")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('deleted_by_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_deleted_by_id_users'), 'users',
                                        ['deleted_by_id'], ['id'])


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_deleted_by_id_users'), type_='foreignkey')
            batch_op.drop_column('deleted_by_id')
            batch_op.drop_column('deleted_at')
