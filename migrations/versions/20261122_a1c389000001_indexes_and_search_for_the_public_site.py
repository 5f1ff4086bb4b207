"""indexes and search for the public site

The public list of violations (its order, newest first, from an index of the entries not
withdrawn; its filters by goods category and year) and the
searches that look for words inside text: the list's search, and the check of a business among a
million (name, address, shop link). On PostgreSQL those are GIN indexes with pg_trgm's operator
class, which answer ``LIKE '%words%'`` without reading every row; they are built CONCURRENTLY so
that a live database keeps taking writes meanwhile. SQLite has no trigrams: the same names are
plain indexes there (the models declare them once for both, see portal.db.trigram_index).

Revision ID: a1c389000001
Revises: d03274117e76
Create Date: 2026-11-22 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c389000001'
down_revision = 'd03274117e76'
branch_labels = None
depends_on = None

#: (index, table, column) searched with LIKE '%…%'
TRIGRAM = (
    ("ix_public_entries_search_folded_trgm", "public_entries", "search_folded"),
    ("ix_businesses_name_folded_trgm", "businesses", "name_folded"),
    ("ix_businesses_address_folded_trgm", "businesses", "address_folded"),
    ("ix_business_channels_link_normalised_trgm", "business_channels", "link_normalised"),
)


def _postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"


def upgrade():
    op.drop_index("ix_public_entries_listed", table_name="public_entries")
    listed = sa.text("withdrawn_at IS NULL")
    op.create_index("ix_public_entries_listed", "public_entries", ["published_at", "id", "ends_on"],
                    postgresql_where=listed, sqlite_where=listed)
    op.create_index(op.f("ix_public_entries_goods_category_id"), "public_entries", ["goods_category_id"])
    op.create_index(op.f("ix_public_entries_decision_on"), "public_entries", ["decision_on"])
    if not _postgresql():
        for name, table, column in TRIGRAM:
            op.create_index(name, table, [column])
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.get_context().autocommit_block():
        for name, table, column in TRIGRAM:
            op.create_index(name, table, [column], postgresql_using="gin",
                            postgresql_ops={column: "gin_trgm_ops"}, postgresql_concurrently=True)


def downgrade():
    for name, table, _column in reversed(TRIGRAM):
        op.drop_index(name, table_name=table)
    op.drop_index(op.f("ix_public_entries_decision_on"), table_name="public_entries")
    op.drop_index(op.f("ix_public_entries_goods_category_id"), table_name="public_entries")
    op.drop_index("ix_public_entries_listed", table_name="public_entries")
    op.create_index("ix_public_entries_listed", "public_entries", ["withdrawn_at", "published_at"])
