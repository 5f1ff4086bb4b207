"""Edge cases found in review of plans and the calendar: leaks, 500s, lost history, silent overwrites."""
import io
from datetime import date, time, timedelta

import icalendar
from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    CalendarFeed,
    Incident,
    PlanStatus,
    ReportObligation,
    Role,
    RuleKind,
)
from portal.services import plans
from portal.services.deadlines import VIETNAM
from tests.factories import make_plan, make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def ham_rong_plan(world):
    plan = make_plan(world.leader, unit=world.ward_a)
    office_task = plans.save_task(world.leader, plan, plans.TaskData(
        description="Việc của phòng", lead_unit_id=world.ward_a_office.id, recurrence="ongoing"))
    ward_task = plans.save_task(world.leader, plan, plans.TaskData(
        description="Việc của phường", lead_unit_id=world.ward_a.id, recurrence="ongoing"))
    db.session.commit()
    return plan, office_task, ward_task


def test_a_sibling_unit_cannot_read_anothers_progress_or_evidence(web, world):
    plan, office_task, ward_task = ham_rong_plan(world)
    sibling = make_user("sibling", world.ward_a, Role.WARD_OFFICIAL)  # another unit of the ward
    office = make_user("office", world.ward_a_office, Role.WARD_OFFICIAL)
    db.session.commit()
    web.sign_in(office)
    prefix = f"task{office_task.id}-"
    web.post(f"/internal/work/tasks/{office_task.id}/progress", {
        prefix + "status": "in_progress", prefix + "narrative": "Biên bản thu giữ số 12",
        prefix + "files": (io.BytesIO(PDF), "bien-ban.pdf")}, status=303, content_type="multipart/form-data")
    web.sign_out()
    # the ward above the office sees it; a unit that shares only the plan does not
    outsider = make_user("outsider", world.ward_b, Role.WARD_OFFICIAL)
    plans.save_task(world.leader, plan, plans.TaskData(description="Phối hợp", lead_unit_id=world.ward_b.id,
                                                       recurrence="ongoing"))
    db.session.commit()
    web.sign_in(outsider)
    page = web.get(f"/internal/plans/{plan.id}")
    assert "Biên bản thu giữ số 12" not in page.text()
    web.get("/internal/work/evidence/1", status=403)
    web.sign_out()
    web.sign_in(sibling)
    assert web.client.get("/internal/work/evidence/1").status_code == 200  # UBND phường is above the office


def test_files_are_not_written_for_a_refused_or_forbidden_post(web, world, app):
    from pathlib import Path

    plan, office_task, ward_task = ham_rong_plan(world)
    folder = Path(app.instance_path) / "evidence"
    web.sign_in(world.viewer)
    prefix = f"task{office_task.id}-"
    web.post(f"/internal/work/tasks/{office_task.id}/progress", {
        prefix + "status": "done", prefix + "narrative": "x", prefix + "files": (io.BytesIO(PDF), "a.pdf")},
        status=403, content_type="multipart/form-data")
    web.sign_out()
    web.sign_in(world.ward_official)
    prefix = f"task{ward_task.id}-"
    web.post(f"/internal/work/tasks/{ward_task.id}/progress", {
        prefix + "status": "done", prefix + "narrative": "x",
        prefix + "files": [(io.BytesIO(PDF), "a.pdf"), (io.BytesIO(b"MZ"), "b.pdf")]},
        status=422, content_type="multipart/form-data")
    assert not folder.exists() or list(folder.iterdir()) == []


def quick_rule(world, plan):
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo nhanh", kind=RuleKind.AFTER_INCIDENT, hours_after=24, receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id]))
    db.session.commit()
    return rule


def test_incidents_only_by_reporting_units_inside_the_period(web, world):
    today = utcnow().astimezone(VIETNAM).date()
    plan = make_plan(world.leader, unit=world.province, starts_on=today - timedelta(days=10),
                     ends_on=today + timedelta(days=10))
    rule = quick_rule(world, plan)
    url = f"/internal/plans/rules/{rule.id}/incidents"
    p = f"rule{rule.id}-"
    seized = {p + "occurred_on": today.isoformat(), p + "occurred_at": "00:05", p + "description": "Sữa giả"}
    web.sign_in(world.leader)  # an editor, but not a reporting unit
    assert web.get(f"/internal/plans/{plan.id}").soup.find(id=p + "description") is None
    web.post(url, seized, status=403)
    web.sign_out()
    web.sign_in(world.ward_official)
    assert web.get(f"/internal/plans/{plan.id}").soup.find(id=p + "description")
    web.post(url, seized, status=303)
    web.post(url, seized, status=303)  # a second seizure at the same time is a second report, not a 500
    assert db.session.scalar(select(func.count()).select_from(Incident)) == 2
    page = web.post(url, {**seized, p + "occurred_on": (today + timedelta(days=5)).isoformat()}, status=422)
    assert page.field_error(p + "occurred_on")
    page = web.post(url, {**seized, p + "occurred_on": "0001-01-01"}, status=422)
    assert page.field_error(p + "occurred_on")


def test_dates_out_of_range_and_endless_periods_are_refused(web, world):
    web.sign_in(world.leader)
    base = {"number": "1/KH", "kind": "plan", "title": "T", "unit_id": world.province.id, "issued_on": "2026-01-01",
            "starts_on": "2026-01-01", "ends_on": "2026-12-31", "status": "in_force", "version": 1}
    assert web.post("/internal/plans/new", {**base, "starts_on": "0001-01-01"}, status=422).field_error("starts_on")
    assert web.post("/internal/plans/new", {**base, "ends_on": "2099-12-31"}, status=422).field_error("ends_on")


def test_a_rule_with_history_is_kept(web, world):
    plan = make_plan(world.leader, unit=world.province, starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31))
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo tháng", kind=RuleKind.MONTHLY, day=20, receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id]))
    rule.obligations[0].submitted_at = rule.obligations[0].due_at
    db.session.commit()
    web.sign_in(world.leader)
    web.post(f"/internal/plans/rules/{rule.id}/delete", status=303)
    assert db.session.scalar(select(func.count()).select_from(ReportObligation)) == 24
    assert "hồ sơ" in web.get(f"/internal/plans/{plan.id}").text()


def test_an_ended_plan_asks_for_no_more_reports(web, world):
    today = utcnow().astimezone(VIETNAM).date()
    plan = make_plan(world.leader, unit=world.province, starts_on=today - timedelta(days=60),
                     ends_on=today + timedelta(days=60))
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo tuần", kind=RuleKind.WEEKLY, weekday=2, at=time(14), receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id]))
    db.session.commit()
    data = plans.PlanData(number=plan.number, kind=plan.kind, title=plan.title, unit_id=plan.unit_id,
                          issued_on=plan.issued_on, starts_on=today - timedelta(days=60),
                          ends_on=today + timedelta(days=60), status=PlanStatus.FINISHED)
    plans.update_plan(world.leader, plan, data, version=plan.version)
    db.session.commit()
    assert all(o.due_at <= utcnow() for o in rule.obligations)
    web.sign_in(world.ward_official)
    assert all("obligation--upcoming" not in r["class"] for r in web.get("/internal/calendar/").soup.select("tr.obligation"))


def test_changing_only_the_coordinators_moves_the_task_version(web, world):
    plan, office_task, ward_task = ham_rong_plan(world)
    web.sign_in(world.leader)
    form = {"description": "Việc của phường", "lead_unit_id": world.ward_a.id, "recurrence": "ongoing",
            "version": ward_task.version}
    web.post(f"/internal/plans/tasks/{ward_task.id}/edit", {**form, "coordinator_ids": [world.ward_a_office.id]},
             status=303)
    web.post(f"/internal/plans/tasks/{ward_task.id}/edit", {**form, "coordinator_ids": [world.ward_b.id]}, status=409)


def test_a_refused_edit_shows_the_saved_record_around_the_typed_values(web, world):
    plan = make_plan(world.leader, number="125/KH-UBND", unit=world.province)
    web.sign_in(world.leader)
    page = web.post(f"/internal/plans/{plan.id}/edit", {
        "number": "999/NEW", "kind": "plan", "title": plan.title, "unit_id": world.province.id,
        "issued_on": "2026-01-05", "starts_on": "2026-01-05", "ends_on": "2030-12-31", "status": "in_force",
        "version": plan.version, "document": (io.BytesIO(b"MZ"), "x.pdf")}, status=422,
        content_type="multipart/form-data")
    assert page.value("number") == "999/NEW"
    assert page.soup.h1.get_text(strip=True) == "Sửa 125/KH-UBND"


def test_the_feed_is_valid_and_stops_with_a_password_reset(web, world, app):
    today = utcnow().astimezone(VIETNAM).date()
    plan = make_plan(world.leader, unit=world.province, starts_on=today, ends_on=today + timedelta(days=30))
    plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo; tuần, nhanh", kind=RuleKind.WEEKLY, weekday=2, at=time(14), receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id]))
    db.session.commit()
    web.sign_in(world.ward_official)
    web.post("/internal/calendar/link", status=303)
    link = web.get("/internal/calendar/").soup.select_one(".feed-link").get_text(strip=True)
    body = app.test_client().get(link.replace("http://localhost", "")).data
    feed = icalendar.Calendar.from_ical(body)
    events = list(feed.walk("VEVENT"))
    assert events and all("DTEND" not in e for e in events)
    assert str(events[0]["summary"]).startswith("Báo cáo; tuần, nhanh")
    assert all(str(e["uid"]).endswith("@portal.bcd389") for e in events)
    assert all(str(e["description"]).startswith("Chưa đến hạn") or str(e["description"]).startswith("Sắp đến hạn")
               for e in events)
    web.sign_out()
    web.sign_in(world.admin)
    web.post(f"/internal/users/{world.ward_official.id}/password", {"password": "mật khẩu tạm thời mới"}, status=303)
    assert app.test_client().get(link.replace("http://localhost", "")).status_code == 404
    assert db.session.scalar(select(CalendarFeed.revoked_at)) is not None


def test_plan_page_queries_do_not_grow_with_tasks_and_deadlines(web, world):
    from tests.internal.test_query_counts import counted

    plan = make_plan(world.leader, unit=world.province, starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31))
    web.sign_in(world.leader)

    def add(n):
        for i in range(n):
            plans.save_task(world.leader, plan, plans.TaskData(
                description=f"Việc {i}", lead_unit_id=world.ward_a.id, coordinator_ids=[world.ward_b.id],
                recurrence="ongoing"))
        plans.add_rule(world.leader, plan, plans.RuleData(
            name=f"Báo cáo {n}", kind=RuleKind.MONTHLY, day=20, receiver_unit_id=world.province.id,
            reporter_ids=[world.ward_a.id, world.ward_b.id]))
        db.session.commit()

    add(2)
    with counted() as first:
        web.get(f"/internal/plans/{plan.id}")
    add(10)
    with counted() as second:
        web.get(f"/internal/plans/{plan.id}")
    assert len(second) == len(first)

