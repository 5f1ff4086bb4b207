"""Staff pages make a fixed number of queries however many rows they show or count: each page is
counted on a small province, then again after more records of the kinds it shows were added
(in other wards, by other units and people, so that a query per row or per related record
would show), and the two counts must be equal."""
from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import event, select

from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import (
    ChannelKind,
    OutreachMethod,
    ProgressStatus,
    QuotaMetric,
    Role,
    RuleKind,
    Target,
    Tip,
    Unit,
    UnitKind,
    User,
    Ward,
)
from portal.services import deadlines, enforcement, outreach, plans, quotas, registry, registry_import
from tests.factories import LAO_CAI, THANH_HOA, make_plan, make_user


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


# --- a province's records, and more of them -------------------------------------------------

@dataclass
class Province:
    """Thanh Hóa with a market-surveillance team, a plan whose tasks, reports and targets reach the
    team and a ward, and records that grow ward by ward."""

    world: object
    team: Unit
    officer: User  # an inspector of the team: "my work"
    team_leader: User  # drafts the team's monthly report (the team's area is the province)
    plan: object
    rule: object
    wards: list[Ward]
    grown: int = 0


@pytest.fixture
def province(world) -> Province:
    market = ensure_unit("Chi cục Quản lý thị trường tỉnh Thanh Hóa", UnitKind.MARKET_SURVEILLANCE, world.province,
                         province=THANH_HOA)
    team = ensure_unit("Đội Quản lý thị trường số 1", UnitKind.MARKET_SURVEILLANCE_TEAM, market, province=THANH_HOA)
    officer = make_user("doi1.kiemsoat", team, Role.OFFICER)
    team_leader = make_user("doi1.truong", team, Role.LEADER)
    plan = make_plan(world.leader, unit=world.province, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo tháng", kind=RuleKind.MONTHLY, receiver_unit_id=world.province.id,
        reporter_ids=[team.id, world.ward_a.id], day=20))
    wards = list(db.session.scalars(select(Ward).where(Ward.province_code == THANH_HOA,
                                                       Ward.code != world.ward_b.ward_code).order_by(Ward.code)))
    wards.remove(db.session.get(Ward, world.ward_a.ward_code))
    city = Province(world, team, officer, team_leader, plan, rule, [db.session.get(Ward, world.ward_a.ward_code)]
                    + wards)
    add_records(city, len(QuotaMetric))  # a quota of each kind (each kind is counted by one query)
    return city


def add_records(city: Province, n: int) -> None:
    """n more of everything, each in a ward, by a unit and with people not seen before."""
    world = city.world
    for _ in range(n):
        i = city.grown
        city.grown += 1
        ward = city.wards[i]
        unit = ward_unit(world, ward)
        official = make_user(f"phuong{i}", unit, Role.WARD_OFFICIAL, full_name=f"Cán bộ {i}")
        kind = list(ChannelKind)[i % len(ChannelKind)]
        shops = [registry.create(world.leader, registry.BusinessData(
            name=f"Cửa hàng {i}-{k}", address=f"{k} Lê Lợi", ward_code=ward.code, opened_on=date(2025, 1, 10),
            tax_code=f"01{i:04d}{k:04d}", goods=["milk", "food"][: 1 + k % 2], channels=[
                registry.ChannelData(kind, place_name="Chợ Mới", stall=f"K{i}{k}",
                                     link=f"https://shop{i}x{k}.vn")]), not_a_duplicate=True) for k in range(3)]
        outreach.record_batch(official, outreach.SessionData(
            held_on=date(2026, 3, 1 + i % 20), method=OutreachMethod.CONFERENCE, people_reached=20, place="Chợ Mới",
            ward_code=ward.code),
            [outreach.BatchRow(business_id=s.id, signed=k < 2, signatory="Chủ" if k < 2 else None)
             for k, s in enumerate(shops)])
        enforcement.record_violation(city.officer, enforcement.record_inspection(city.officer, enforcement.InspectionData(
            inspected_on=date(2026, 3, 5 + i % 20), kind=enforcement.InspectionKind.SURPRISE, business_id=shops[0].id,
            result=enforcement.InspectionResult.VIOLATION, goods=["milk"])), enforcement.ViolationData(
            type=enforcement.ViolationType.COUNTERFEIT, goods="milk", openly_displayed=True))
        db.session.add(Tip(receipt_hash=f"{i:064d}", what=f"Bán hàng giả {i}", province_code=THANH_HOA,
                           ward_code=ward.code, unit_id=unit.id, handler_id=official.id,
                           received_at=datetime(2026, 3, 2 + i % 20, tzinfo=UTC)))
        db.session.add(Target(plan=city.plan, year=2026, due_on=date(2026, 12, 31), percent=50 + i,
                              category="business", measure="commitment", province_code=THANH_HOA,
                              ward_code=ward.code, text=f"Phường {i}"))
        db.session.add(Target(plan=city.plan, year=2026, due_on=date(2026, 12, 31), percent=60,
                              category=["market_stall", "ecommerce_seller", "website", "general_store"][i % 4],
                              measure=["commitment", "outreach_commitment"][i % 2], province_code=THANH_HOA,
                              text=f"Tỉnh {i}"))
        task = plans.save_task(world.leader, city.plan, plans.TaskData(
            description=f"Nhiệm vụ {i}", lead_unit_id=city.team.id, coordinator_ids=[unit.id],
            due_on=date(2026, 4, 1 + i % 20)))
        plans.post_progress(city.officer, task, ProgressStatus.IN_PROGRESS, f"Đã làm {i}")
        quotas.assign(world.leader, city.officer, list(QuotaMetric)[i % len(QuotaMetric)], 5 + i,
                      date(2026, 1, 1), date(2026, 12, 31))
    db.session.commit()


def ward_unit(world, ward: Ward) -> Unit:
    if ward.code == world.ward_a.ward_code:
        return world.ward_a
    return ensure_unit(f"UBND {ward.name}", UnitKind.WARD_COMMITTEE, world.province, province=THANH_HOA,
                       ward=ward.code)


def report_url(city: Province) -> str:
    due = deadlines.local_instant(date(2026, 3, 20), None)
    [obligation] = [o for o in city.rule.obligations if o.unit_id == city.team.id and o.due_at == due]
    return f"/internal/reports/obligations/{obligation.id}"


def counts(web, user, urls: list[str]) -> dict[str, int]:
    web.sign_in(user)
    for url in urls:  # opening a report the first time drafts it: count what reading it costs
        web.get(url)
    found = {url: queries_for(web, url) for url in urls}
    web.sign_out()
    return found


def test_each_staff_page_makes_the_same_queries_with_more_records(web, province):
    world = province.world
    pages = {
        province.officer: ["/internal/"],
        province.team_leader: [report_url(province), "/internal/"],
        world.leader: ["/internal/overview?year=2026", "/internal/coverage/", "/internal/coverage/?channel=shop",
                       "/internal/businesses/", "/internal/businesses/?q=cua+hang", "/internal/businesses/?q=K12",
                       "/internal/businesses/?channel=market_stall&page=2", "/internal/inspections/",
                       "/internal/violations/", "/internal/tips/", "/internal/plans/", "/internal/commitments/",
                       "/internal/outreach/", "/internal/agreements/"],
        world.ward_official: ["/internal/", "/internal/businesses/?q=cua", "/internal/coverage/",
                              "/internal/overview?year=2026", "/internal/violations/"],
        world.admin: ["/internal/overview?year=2026", "/internal/businesses/?q=le+loi", "/internal/tips/"],
    }
    before = {(user.username, url): n for user, urls in pages.items() for url, n in counts(web, user, urls).items()}
    add_records(province, 6)
    after = {(user.username, url): n for user, urls in pages.items() for url, n in counts(web, user, urls).items()}
    assert after == before
    # the pages did show the new records (a count that stays put because a page shows nothing proves nothing)
    web.sign_in(world.leader)
    assert "Cửa hàng 9-2" in web.get("/internal/businesses/?q=cua+hang").text()
    assert web.get("/internal/inspections/").text().count("Cửa hàng") >= 10
    assert len(web.get("/internal/tips/").soup.select("main tbody tr")) >= 10


def reads(statements: list[str]) -> int:
    return sum(1 for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH")))


def written(statements: list[str], database: str) -> int:
    """What a count of writes may be compared on: every statement on PostgreSQL (rows inserted
    together, in batches); on SQLite, which inserts row by row where a row's id is needed, the
    reads."""
    return len(statements) if database.startswith("postgresql") else reads(statements)


def batch_form(city: Province, shops) -> dict:
    form = {"held_on": "2026-04-02", "method": "conference", "people_reached": "30", "place": "Chợ Mới",
            "ward_code": str(city.world.ward_a.ward_code), "officer_ids": str(city.world.ward_official.id),
            "received_by_id": str(city.world.ward_official.id), "action": "save"}
    for i, shop in enumerate(shops):
        form |= {f"rows-{i}-business_id": str(shop.id), f"rows-{i}-signed": "y", f"rows-{i}-signatory": f"Chủ {i}"}
    return form


def test_saving_a_market_meeting_makes_the_same_queries_for_3_or_30_stalls(web, province, database):
    world = province.world
    shops = [registry.create(world.ward_official, registry.BusinessData(
        name=f"Quầy {i}", address=f"Kiốt {i}", ward_code=world.ward_a.ward_code, opened_on=date(2025, 1, 1),
        channels=[registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Mới", stall=str(i))]),
        not_a_duplicate=True) for i in range(33)]
    db.session.commit()
    web.sign_in(world.ward_official)
    found = []
    for chosen in (shops[:3], shops[3:]):
        form = batch_form(province, chosen)
        with counted() as statements:
            page = web.post("/internal/outreach/new", form, status=303)
        assert "/internal/outreach/" in page.response.headers["Location"]
        found.append(written(statements, database))
    assert found[0] == found[1]


def workbook(rows: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tên cơ sở", "Mã số thuế", "Địa chỉ", "Phường/xã", "Loại hình", "Chợ/TTTM/Sàn", "Đường dẫn",
                  "Mặt hàng"])
    for i in range(rows):
        sheet.append([f"Cơ sở {rows}-{i}", f"{8800000000 + rows * 1000 + i}", f"{i} Lê Lợi", "Phường Hàm Rồng",
                      "Sàn TMĐT" if i % 2 else "Cửa hàng", "Shopee" if i % 2 else "",
                      f"shopee.vn/s{rows}x{i}" if i % 2 else "", "Mỹ phẩm; Thực phẩm"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_import_makes_the_same_queries_for_30_or_300_rows(app, world, database):
    """The honest stand-in for the 10,000-row target: duplicates, wards and goods are looked up
    for the whole file, and the rows are written together."""
    found = []
    with app.test_request_context():
        for rows in (30, 300):
            data = workbook(rows)
            with counted() as statements:
                result = registry_import.apply(world.ward_official, data, "ds.xlsx")
                db.session.flush()
            assert result.count(registry_import.CREATE) == rows and result.ok
            found.append(written(statements, database))
            db.session.commit()
    assert found[0] == found[1]
