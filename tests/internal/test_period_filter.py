"""The staff lists a report's figures link to narrow to the report's period and unit, so the link
shows exactly the records behind the figure."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import Role
from tests.factories import make_user
from tests.services.test_enforcement import inspect, sign, violate
from tests.services.test_outreach import business


def rows(page, table_id=None) -> int:
    table = page.soup.find(id=table_id) if table_id else page.soup.find("table")
    return len(table.select("tbody tr")) if table else 0


def test_inspections_and_violations_narrow_to_the_period_and_unit(web, world):
    team = make_user("doi.qltt", world.province, Role.OFFICER)
    ward_inspector = make_user("phuong.kt", world.ward_a, Role.OFFICER)
    shop = business(world)
    inspect(team, shop, date(2026, 3, 31))
    violate(team, shop, date(2026, 4, 1), openly_displayed=True)
    violate(team, shop, date(2026, 4, 30))
    violate(ward_inspector, shop, date(2026, 4, 15))
    violate(team, shop, date(2026, 5, 1))
    db.session.commit()
    web.sign_in(world.leader)

    everything = web.get("/internal/inspections/")
    assert rows(everything) == 5 and everything.soup.find(id="period-note") is None
    april = web.get("/internal/inspections/?from=2026-04-01&to=2026-04-30")
    assert rows(april) == 3 and "1 tháng 4 năm 2026" in april.soup.find(id="period-note").get_text()
    ward_only = web.get(f"/internal/violations/?from=2026-04-01&to=2026-04-30&unit={world.ward_a.id}")
    assert len(ward_only.soup.select("#violations tbody tr")) == 1
    openly = web.get("/internal/violations/?from=2026-04-01&to=2026-04-30&openly=1")
    assert len(openly.soup.select("#violations tbody tr")) == 1


def test_a_unit_outside_ones_scope_and_garbage_are_ignored(web, world):
    team = make_user("doi.qltt", world.province, Role.OFFICER)
    violate(team, business(world), date(2026, 4, 1))
    db.session.commit()
    web.sign_in(world.ward_official)
    page = web.get(f"/internal/violations/?unit={world.ward_b.id}&from=not-a-date&to=2026-13-45")
    assert page.soup.find(id="period-note") is None  # the sibling ward is not a filter one may use
    assert web.get("/internal/violations/?unit=99999999999999&from=2026-02-30").soup.find(id="period-note") is None
    web.get("/internal/violations/?from=%00", status=400)  # a NUL in a query is refused everywhere


def test_commitments_narrow_to_the_period(web, world):
    sign(world, business(world), date(2026, 4, 2))
    sign(world, business(world, name="Tạp hóa Hai"), date(2026, 6, 2))
    db.session.commit()
    web.sign_in(world.ward_official)
    assert rows(web.get("/internal/commitments/")) == 2
    assert rows(web.get("/internal/commitments/?from=2026-04-01&to=2026-04-30")) == 1
