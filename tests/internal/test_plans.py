"""Entering plans through the pages: what is refused, what is kept, who may do what."""
import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Plan, ProgressUpdate, Role, RuleKind
from portal.services import plans
from tests.factories import make_plan, make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def plan_form(world, **changes):
    data = {"number": "125/KH-UBND", "kind": "plan", "title": "Kế hoạch đấu tranh chống hàng giả 2021-2025",
            "unit_id": world.province.id, "issued_on": "2021-05-29", "starts_on": "2021-05-29", "start_time": "",
            "ends_on": "2025-12-31", "end_time": "", "status": "in_force", "goods": ["milk", "medicines"],
            "cites": "888/QĐ-TCQLTT\n90/QĐ-QLTT", "version": 1}
    data.update(changes)
    return data


def test_a_leader_enters_a_plan_with_its_signed_document(web, world, app):
    web.sign_in(world.leader)
    data = plan_form(world, document=(io.BytesIO(PDF), "Kế hoạch 125.pdf"))
    page = web.post("/internal/plans/new", data, status=303, content_type="multipart/form-data")
    plan = db.session.scalar(select(Plan).where(Plan.number == "125/KH-UBND"))
    assert page.response.headers["Location"] == f"/internal/plans/{plan.id}"
    assert {g.code for g in plan.goods} == {"milk", "medicines"}
    assert [c.cited_number for c in plan.citations] == ["888/QĐ-TCQLTT", "90/QĐ-QLTT"]
    assert plan.document_original_name == "Kế hoạch 125.pdf" and plan.document_name != "Kế hoạch 125.pdf"
    response = web.client.get(f"/internal/plans/{plan.id}/document")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = web.get(f"/internal/plans/{plan.id}").text()
    assert "ngày 29 tháng 5 năm 2021" in text and "Sữa" in text


def test_bad_plans_are_refused_next_to_the_field_with_everything_kept(web, world):
    make_plan(world.leader, number="125/KH-UBND", unit=world.province)
    web.sign_in(world.leader)
    page = web.post("/internal/plans/new", plan_form(world), status=422)
    assert page.field_error("number") == "Đơn vị này đã ban hành một văn bản có số, ký hiệu này."
    assert page.value("title") == "Kế hoạch đấu tranh chống hàng giả 2021-2025"
    page = web.post("/internal/plans/new", plan_form(world, number="126/KH-UBND", ends_on="2021-01-01"), status=422)
    assert page.field_error("ends_on")
    assert page.value("ends_on") == "2021-01-01"
    page = web.post("/internal/plans/new", plan_form(world, number="127/KH-UBND", issued_on="31/02/2021"),
                    status=422)
    assert page.field_error("issued_on") == "Ngày không hợp lệ."


@pytest.mark.parametrize("name,content", [
    ("ke-hoach.pdf", b"MZ\x90\x00 this is a Windows program"),
    ("ke-hoach.docx", PDF),
    ("ke-hoach.exe", PDF),
])
def test_a_file_that_is_not_what_its_name_claims_is_refused(web, world, name, content):
    web.sign_in(world.leader)
    page = web.post("/internal/plans/new", plan_form(world, document=(io.BytesIO(content), name)), status=422,
                    content_type="multipart/form-data")
    assert page.field_error("document")
    assert db.session.scalar(select(Plan)) is None  # nothing half-saved


def test_two_leaders_editing_one_plan(web, world):
    plan = make_plan(world.leader, number="125/KH-UBND", unit=world.province)
    web.sign_in(world.leader)
    stale = plan_form(world, title="Tên mới", version=plan.version)
    plan.title = "Someone else's title"
    db.session.commit()
    page = web.post(f"/internal/plans/{plan.id}/edit", stale, status=409)
    assert page.value("title") == "Tên mới"
    db.session.refresh(plan)
    assert plan.title == "Someone else's title"


def rule_form(world, **changes):
    data = {"name": "Báo cáo tháng", "kind": "monthly", "day": "20", "month": "", "weekday": "", "at": "",
            "hours_after": "", "once_on": "", "receiver_unit_id": world.province.id,
            "reporter_ids": [world.ward_a.id, world.ward_b.id]}
    data.update(changes)
    return data


def test_rules_with_impossible_values_or_that_never_fire_are_refused(web, world):
    plan = make_plan(world.leader, unit=world.province, starts_on=date(2025, 5, 15), ends_on=date(2025, 6, 15))
    web.sign_in(world.leader)
    url = f"/internal/plans/{plan.id}/rules/new"
    assert web.post(url, rule_form(world, day="32"), status=422).field_error("day")
    assert web.post(url, rule_form(world, kind="weekly", weekday="9"), status=422).field_error("weekday")
    page = web.post(url, rule_form(world, kind="yearly", day="20", month="12"), status=422)
    assert "không bao giờ" in page.soup.find(class_="error-summary").get_text()
    assert page.value("name") == "Báo cáo tháng"
    web.post(url, rule_form(world, kind="weekly", weekday="3", at="14:00"), status=303)  # Wednesday
    assert len(plans.get_plan(world.leader, plan.id).rules[0].obligations) == 8


def test_a_coordinating_unit_posts_progress_but_cannot_edit_the_plan(web, world):
    office = make_user("office", world.ward_a_office, Role.WARD_OFFICIAL)
    plan = make_plan(world.leader, unit=world.ward_a)
    task = plans.save_task(world.leader, plan, plans.TaskData(
        description="Ký cam kết với 100% hộ kinh doanh", lead_unit_id=world.ward_a.id,
        coordinator_ids=[world.ward_a_office.id], due_on=date(2026, 6, 30)))
    db.session.commit()
    web.sign_in(office)
    assert "Ký cam kết với 100% hộ kinh doanh" in web.get("/internal/").text()
    web.get(f"/internal/plans/{plan.id}/edit", status=403)
    web.get(f"/internal/plans/{plan.id}/tasks/new", status=403)
    page = web.post(f"/internal/work/tasks/{task.id}/progress",
                    {f"task{task.id}-status": "in_progress", f"task{task.id}-narrative": "Đã ký 40 hộ"},
                    headers={"HX-Request": "true", "HX-Target": f"article#task-{task.id}"})
    assert page.soup.find("article", id=f"task-{task.id}") and "Đã ký 40 hộ" in page.text()
    assert page.soup.find(id="messages")["hx-swap-oob"] == "true"
    update = db.session.scalar(select(ProgressUpdate))
    assert update.unit_id == world.ward_a_office.id and update.author_id == office.id


def test_other_units_cannot_post_progress_or_see_the_plan(web, world):
    plan = make_plan(world.leader, unit=world.ward_a)
    task = plans.save_task(world.leader, plan, plans.TaskData(
        description="Nhiệm vụ", lead_unit_id=world.ward_a.id, recurrence="ongoing"))
    db.session.commit()
    web.sign_in(world.sibling_official)
    web.get(f"/internal/plans/{plan.id}", status=403)
    web.post(f"/internal/work/tasks/{task.id}/progress", {"status": "done", "narrative": "x"}, status=403)
    web.sign_out()
    web.sign_in(world.viewer)
    web.post(f"/internal/work/tasks/{task.id}/progress", {"status": "done", "narrative": "x"}, status=403)


def test_refused_progress_keeps_the_text(web, world):
    plan = make_plan(world.leader, unit=world.ward_a)
    task = plans.save_task(world.leader, plan, plans.TaskData(
        description="Nhiệm vụ", lead_unit_id=world.ward_a.id, recurrence="ongoing"))
    db.session.commit()
    web.sign_in(world.ward_official)
    prefix = f"task{task.id}-"
    page = web.post(f"/internal/work/tasks/{task.id}/progress",
                    {prefix + "status": "done", prefix + "narrative": "Đã xong",
                     prefix + "files": (io.BytesIO(b"MZ..."), "anh.png")},
                    status=422, content_type="multipart/form-data")
    assert page.field_error(prefix + "files") and page.value(prefix + "narrative") == "Đã xong"
    assert db.session.scalar(select(ProgressUpdate)) is None


def test_task_needs_a_due_date_or_a_recurrence(web, world):
    plan = make_plan(world.leader, unit=world.ward_a)
    web.sign_in(world.leader)
    page = web.post(f"/internal/plans/{plan.id}/tasks/new", {
        "description": "Nhiệm vụ", "lead_unit_id": world.ward_a.id, "due_on": "", "recurrence": "", "version": 1},
        status=422)
    assert page.field_error("due_on")
    page = web.post(f"/internal/plans/{plan.id}/tasks/new", {
        "description": "Nhiệm vụ", "lead_unit_id": world.ward_a.id, "recurrence": "every full moon",
        "version": 1}, status=422)
    assert page.field_error("recurrence")


def test_docx_is_checked_by_content(web, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    web.sign_in(world.leader)
    web.post("/internal/plans/new", plan_form(world, document=(io.BytesIO(buffer.getvalue()), "kh.docx")),
             status=303, content_type="multipart/form-data")


def test_rule_kinds_are_listed_on_the_plan_page(web, world):
    plan = make_plan(world.leader, unit=world.province, starts_on=date(2025, 5, 15), ends_on=date(2025, 6, 15))
    plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo tuần", kind=RuleKind.WEEKLY, weekday=2, at=__import__("datetime").time(14, 0),
        receiver_unit_id=world.province.id, reporter_ids=[world.ward_a.id]))
    db.session.commit()
    web.sign_in(world.leader)
    text = web.get(f"/internal/plans/{plan.id}").text()
    assert "Báo cáo tuần" in text and "14:00" in text
