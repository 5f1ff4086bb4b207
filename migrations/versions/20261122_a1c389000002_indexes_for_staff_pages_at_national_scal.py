"""indexes for staff pages at national scale

Revision ID: a1c389000002
Revises: a1c389000001
Create Date: 2026-11-22 12:00:00

Facts copied onto rows (kept by portal/services/kept.py) so that the staff pages read one table:
each business keeps the first day outreach reached it, the first day it signed a commitment and
the kinds of its channels; inspections, violations and commitments keep their business's ward
and province. They are set from the records here. Then the indexes the staff pages' queries use
(each checked with EXPLAIN on the national data set).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c389000002'
down_revision = 'a1c389000001'
branch_labels = None
depends_on = None

#: The bit of each channel kind (portal.models.registry.CHANNEL_BITS, written out: a migration
#: does not import the application).
CHANNEL_BITS = {"market_stall": 1, "shop": 2, "supermarket": 4, "wholesale": 8, "warehouse": 16,
                "craft_village": 32, "tourist_street": 64, "importer": 128, "website": 256,
                "platform_seller": 512, "courier": 1024}

BUSINESS_FACTS = """
UPDATE businesses SET
  first_outreach_on = (SELECT min(outreach_sessions.held_on) FROM outreach_sessions
                       JOIN outreach_businesses ON outreach_businesses.session_id = outreach_sessions.id
                       WHERE outreach_businesses.business_id = businesses.id),
  first_signed_on = (SELECT min(commitments.signed_on) FROM commitments
                     WHERE commitments.business_id = businesses.id),
  channel_kinds = coalesce((SELECT sum(DISTINCT CASE business_channels.kind %s ELSE 0 END)
                            FROM business_channels WHERE business_channels.business_id = businesses.id), 0)
""" % " ".join(f"WHEN '{kind}' THEN {bit}" for kind, bit in CHANNEL_BITS.items())

#: The records that keep their business's ward and province.
PAPERS = ("inspections", "violations", "commitments")

AREA = """
UPDATE {table} SET
  ward_code = (SELECT businesses.ward_code FROM businesses WHERE businesses.id = {table}.business_id),
  province_code = (SELECT businesses.province_code FROM businesses WHERE businesses.id = {table}.business_id)
"""

#: (name, table, columns) of the indexes added.
INDEXES = (
    # coverage of a province on any day, from the index alone (targets, dashboard, reports)
    ("ix_businesses_province_coverage", "businesses",
     ["province_code", "ward_code", "recorded_on", "ceased_on", "first_outreach_on", "first_signed_on",
      "channel_kinds", "merged_into_id"]),
    # the registry in name order, of a province or of the country
    ("ix_businesses_name_folded_province_code", "businesses", ["name_folded", "province_code", "id"]),
    # a search by stall number
    ("ix_business_channels_stall", "business_channels", ["stall"]),
    # businesses that ceased or changed line in a report's period
    ("ix_business_status_changes_status_on", "business_status_changes", ["status", "on", "business_id"]),
    # open tips of a unit, and those it closed in a period
    ("ix_tips_unit_id_status_closed_at", "tips", ["unit_id", "status", "closed_at"]),
    # the lists of an area, newest first; the work of units over time
    ("ix_inspections_inspected_on_id", "inspections", ["inspected_on", "id"]),
    ("ix_inspections_province_code_inspected_on", "inspections", ["province_code", "inspected_on"]),
    ("ix_inspections_ward_code_inspected_on", "inspections", ["ward_code", "inspected_on"]),
    ("ix_violations_unit_id_found_on", "violations", ["unit_id", "found_on"]),
    ("ix_violations_found_on_id", "violations", ["found_on", "id"]),
    ("ix_violations_province_code_found_on", "violations", ["province_code", "found_on"]),
    ("ix_violations_ward_code_found_on", "violations", ["ward_code", "found_on"]),
    ("ix_commitments_unit_id_signed_on", "commitments", ["unit_id", "signed_on"]),
    ("ix_commitments_signed_on_id", "commitments", ["signed_on", "id"]),
    ("ix_commitments_province_code_signed_on", "commitments", ["province_code", "signed_on"]),
    ("ix_commitments_ward_code_signed_on", "commitments", ["ward_code", "signed_on"]),
    ("ix_outreach_sessions_held_on_id", "outreach_sessions", ["held_on", "id"]),
    # the records of one officer over a period (quotas on "my work", the evaluation)
    ("ix_commitments_received_by_id_signed_on", "commitments", ["received_by_id", "signed_on"]),
    ("ix_agreements_unit_id_signed_on", "agreements", ["unit_id", "signed_on"]),
    ("ix_agreements_received_by_id_signed_on", "agreements", ["received_by_id", "signed_on"]),
    ("ix_inspections_created_by_id_inspected_on", "inspections", ["created_by_id", "inspected_on"]),
    ("ix_outreach_officers_user_id", "outreach_officers", ["user_id"]),
)

#: (name, table, columns) of the indexes the ones above replace.
REPLACED = (
    ("ix_violations_unit_id", "violations", ["unit_id"]),
    ("ix_tips_unit_id_status", "tips", ["unit_id", "status"]),
    ("ix_commitments_unit_id", "commitments", ["unit_id"]),
    ("ix_commitments_received_by_id", "commitments", ["received_by_id"]),
    ("ix_agreements_unit_id", "agreements", ["unit_id"]),
    ("ix_agreements_received_by_id", "agreements", ["received_by_id"]),
)


def _postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"


def _tax_code_index(pattern_ops: bool) -> None:
    """On PostgreSQL the tax code index serves the prefix of a search too (its collation is not
    C, so a plain btree does not); elsewhere it stays as it was."""
    if not _postgresql():
        return
    op.drop_index("ix_businesses_tax_code", table_name="businesses")
    op.create_index("ix_businesses_tax_code", "businesses", ["tax_code"],
                    postgresql_ops={"tax_code": "varchar_pattern_ops"} if pattern_ops else {})


def upgrade():
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_outreach_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('first_signed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('channel_kinds', sa.Integer(), server_default='0', nullable=False))
    for table in PAPERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('ward_code', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('province_code', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_ward_code_wards'), 'wards', ['ward_code'], ['code'])
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_province_code_provinces'), 'provinces',
                                        ['province_code'], ['code'])
    op.execute(BUSINESS_FACTS)
    for table in PAPERS:
        op.execute(AREA.format(table=table))
    for name, table, _columns in REPLACED:
        op.drop_index(name, table_name=table)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    _tax_code_index(pattern_ops=True)
    if _postgresql():  # the planner's statistics of the columns just filled
        for table in ("businesses", *PAPERS):
            op.execute(f"ANALYZE {table}")


def downgrade():
    _tax_code_index(pattern_ops=False)
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns)
    for table in reversed(PAPERS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_province_code_provinces'), type_='foreignkey')
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_ward_code_wards'), type_='foreignkey')
            batch_op.drop_column('province_code')
            batch_op.drop_column('ward_code')
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.drop_column('channel_kinds')
        batch_op.drop_column('first_signed_on')
        batch_op.drop_column('first_outreach_on')
