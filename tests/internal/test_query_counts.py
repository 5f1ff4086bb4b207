"""List pages make a fixed number of queries however many rows they show."""
from contextlib import contextmanager

from sqlalchemy import event

from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import Role, UnitKind
from tests.factories import LAO_CAI, make_user


@contextmanager
def counted():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def queries_for(web, url: str) -> int:
    with counted() as statements:
        web.get(url)
    return len(statements)


def grow(world, n: int) -> None:
    from sqlalchemy import select

    from portal.models import Ward

    wards = list(db.session.scalars(select(Ward).where(Ward.province_code == LAO_CAI).limit(n)))
    for i, ward in enumerate(wards):
        unit = ensure_unit(f"UBND {ward.name}", UnitKind.WARD_COMMITTEE, world.other_province,
                           province=LAO_CAI, ward=ward.code)
        make_user(f"extra{i}", unit, Role.WARD_OFFICIAL)
    db.session.commit()


def test_unit_and_user_lists_do_not_grow_with_the_data(web, world):
    web.sign_in(world.admin)
    pages = ("/internal/units/", "/internal/users/", "/internal/audit/", "/internal/", "/internal/overview",
             "/internal/plans/", "/internal/calendar/")
    before = {url: queries_for(web, url) for url in pages}
    grow(world, 15)
    after = {url: queries_for(web, url) for url in pages}
    assert after == before
