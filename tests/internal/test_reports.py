"""The report pages: a draft with its figures and evidence links, saving, submitting with a
confirmation, the frozen view, corrections, the roll-up with reminders, and scope."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Report, ReportReminder, ReportStatus, Role, RuleKind
from portal.services import deadlines, plans
from tests.factories import make_plan, make_user

SECTIONS = {"market_situation": "Thị trường ổn định", "outreach_results": "Tuyên truyền 3 buổi",
            "enforcement_results": "Kiểm tra 2 cơ sở", "progress": "Đạt 60% chỉ tiêu"}


@pytest.fixture(autouse=True)
def in_english(web):
    web.get("/?lang=en")  # the choice is kept in the session: messages read in English


@pytest.fixture
def setup(world):
    plan = make_plan(world.leader, unit=world.province)
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo tháng", kind=RuleKind.MONTHLY, receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id, world.ward_b.id], day=20))
    due = deadlines.local_instant(date(2026, 3, 20), None)
    obligations = {o.unit_id: o for o in rule.obligations if o.due_at == due}
    leader_a = make_user("ham.rong.leader", world.ward_a, Role.LEADER)
    world.ward_b.email = "hacthanh@example.vn"
    db.session.commit()
    return dict(rule=rule, due=due, a=obligations[world.ward_a.id], b=obligations[world.ward_b.id],
                leader_a=leader_a)


def url(obligation):
    return f"/internal/reports/obligations/{obligation.id}"


def form(page, **changes):
    data = {name: page.value(name) or "" for name in (
        "number", "place", "issued_on", "recipients", "signer_name", "signer_title", "market_situation",
        "outreach_results", "enforcement_results", "progress", "difficulties", "proposals", "version")}
    data.update(changes)
    return data


def test_the_draft_shows_every_figure_with_its_evidence_and_saves(web, world, setup):
    web.sign_in(world.ward_official)
    page = web.get(url(setup["a"]))
    for key in ("businesses_total", "inspections", "fines_total", "tips_resolved"):
        row = page.soup.find(id=f"figure-{key}")
        assert row is not None and row.find("a")["href"].startswith("/internal/")
    assert page.soup.find(id="market_situation") is not None
    assert page.value("recipients") == world.province.name  # pre-filled: the receiving unit
    web.post(url(setup["a"]), form(page, **SECTIONS, number="12/BC-UBND"), status=303)
    report = db.session.scalar(select(Report).where(Report.obligation_id == setup["a"].id))
    assert (report.number, report.market_situation, report.status) == ("12/BC-UBND", SECTIONS["market_situation"],
                                                                       ReportStatus.DRAFT)
    again = web.get(url(setup["a"]))
    assert again.value("market_situation") == SECTIONS["market_situation"]
    # not a leader: no submit button, and the confirmation is refused
    assert "Save and submit" not in again.html
    web.get(f"/internal/reports/{report.id}/submit", status=403)


def test_a_bad_save_is_refused_next_to_the_field_keeping_what_was_typed(web, world, setup):
    web.sign_in(world.ward_official)
    page = web.get(url(setup["a"]))
    refused = web.post(url(setup["a"]), form(page, **SECTIONS, number="x" * 61), status=422)  # the form refuses
    assert "60" in refused.field_error("number") and refused.value("progress") == SECTIONS["progress"]
    refused = web.post(url(setup["a"]), form(page, **SECTIONS, issued_on="2099-01-01"), status=422)  # the service
    assert "future" in refused.field_error("issued_on")
    assert refused.value("progress") == SECTIONS["progress"] and refused.value("issued_on") == "2099-01-01"
    assert db.session.scalar(select(Report.progress)) is None


def test_a_conflicting_save_keeps_what_was_typed(web, world, setup):
    web.sign_in(world.ward_official)
    page = web.get(url(setup["a"]))
    web.post(url(setup["a"]), form(page, proposals="Một"), status=303)
    clash = web.post(url(setup["a"]), form(page, proposals="Hai"), status=409)
    assert "Someone else changed" in clash.text() and clash.value("proposals") == "Hai"


def test_the_leader_submits_after_confirming_and_the_report_is_frozen(web, world, setup):
    web.sign_in(setup["leader_a"])
    page = web.get(url(setup["a"]))
    web.post(url(setup["a"]), form(page, action="submit", market_situation="Ổn định"), status=303)
    report = db.session.scalar(select(Report))
    confirm = web.get(f"/internal/reports/{report.id}/submit")
    assert "Write these sections first" in confirm.text()
    refused = web.post(f"/internal/reports/{report.id}/submit", {"version": confirm.soup.find(
        "input", attrs={"name": "version"})["value"]}, status=422)
    assert "Write this section before submitting" in refused.field_error("progress")
    assert refused.value("market_situation") == "Ổn định"
    page = web.get(url(setup["a"]))
    web.post(url(setup["a"]), form(page, **SECTIONS, action="submit"), status=303)
    confirm = web.get(f"/internal/reports/{report.id}/submit")
    version = confirm.soup.find("input", attrs={"name": "version"})["value"]
    web.post(f"/internal/reports/{report.id}/submit", {"version": version}, status=303)
    db.session.expire_all()
    assert report.status == ReportStatus.SUBMITTED and setup["a"].submitted_at is not None
    frozen = web.get(url(setup["a"]))
    assert frozen.soup.find(id="report-form") is None
    assert frozen.soup.find(id="section-progress").get_text(strip=True) == SECTIONS["progress"]
    assert "Submitted late" in frozen.soup.find(id="report-state").get_text()
    twice = web.post(f"/internal/reports/{report.id}/submit", {"version": version}, status=409)
    assert "cannot be submitted twice" in twice.text()
    edit = web.post(url(setup["a"]), form(page, **SECTIONS), status=409)
    assert "can no longer be changed" in edit.text()
    # a correction is a new revision, with the differences shown
    web.post(f"/internal/reports/{report.id}/correct", status=303)
    page = web.get(url(setup["a"]))
    web.post(url(setup["a"]), form(page, difficulties="Thiếu người"), status=303)
    corrected = web.get(url(setup["a"]))
    assert "Thiếu người" in corrected.soup.find(id="differences").get_text()
    assert web.get(f"/internal/reports/{report.id}").soup.find(id="section-difficulties").get_text(strip=True) == "—"


def test_scope_sibling_403_missing_404_and_receiver_sees_only_submitted(web, world, setup):
    web.sign_in(world.ward_official)
    web.get(url(setup["a"]))  # opens the draft
    report = db.session.scalar(select(Report))
    web.sign_out()
    web.sign_in(world.sibling_official)
    web.get(url(setup["a"]), status=403)
    web.get(f"/internal/reports/{report.id}", status=403)
    web.post(url(setup["a"]), {**SECTIONS, "version": "1"}, status=403)
    web.get("/internal/reports/obligations/999999", status=404)
    web.get("/internal/reports/999999", status=404)
    web.sign_out()
    web.sign_in(world.viewer)  # another province
    web.get(url(setup["a"]), status=403)
    web.get(f"/internal/reports/rules/{setup['rule'].id}/rollup", status=403)


def test_the_rollup_lists_who_submitted_and_sends_a_reminder(web, world, setup):
    web.sign_in(setup["leader_a"])
    page = web.get(url(setup["a"]))
    web.post(url(setup["a"]), form(page, **SECTIONS), status=303)
    report = db.session.scalar(select(Report))
    web.post(f"/internal/reports/{report.id}/submit", {"version": str(report.version)}, status=303)
    web.sign_out()
    web.sign_in(world.leader)
    index = web.get("/internal/reports/")
    assert setup["rule"].name in index.text()
    roll = web.get(f"/internal/reports/rules/{setup['rule'].id}/rollup?due={setup['due'].strftime('%Y%m%dT%H%M%SZ')}")
    rows = {tr.find("th").get_text(strip=True): tr for tr in roll.soup.find(id="rollup").find("tbody").find_all("tr")}
    assert "Submitted late" in rows[world.ward_a.name].get_text()
    assert rows[world.ward_a.name].find("a")["href"] == f"/internal/reports/{report.id}"
    assert "Overdue" in rows[world.ward_b.name].get_text()
    assert rows[world.ward_a.name].find("button") is None
    web.get(f"/internal/reports/{report.id}")  # the receiver reads the submitted report
    action = rows[world.ward_b.name].find("form")["action"]
    web.post(action, status=303)
    reminder = db.session.scalar(select(ReportReminder))
    assert reminder.unit_id == world.ward_b.id and reminder.recipient == "hacthanh@example.vn"
    # no rule upward: the consolidated report is refused with a reason
    after = web.post(f"/internal/reports/rules/{setup['rule'].id}/consolidated?due={setup['due'].strftime('%Y%m%dT%H%M%SZ')}",
                     status=303)
    assert "no report of its own" in web.get(after.response.headers["Location"]).text()
    web.get(f"/internal/reports/rules/{setup['rule'].id}/rollup?due=not-a-date", status=404)


@pytest.mark.csrf
def test_posting_needs_the_csrf_token(web, world, setup):
    web.sign_in_page = web.get("/internal/login")
    token = web.sign_in_page.csrf_token()
    web.post("/internal/login", {"username": world.ward_official.username, "password": "correct horse battery staple",
                                 "csrf_token": token}, status=303)
    page = web.get(url(setup["a"]))
    web.post(url(setup["a"]), {**SECTIONS, "version": page.value("version")}, status=400)
    assert db.session.scalar(select(Report.market_situation)) is None


def test_a_unit_above_cannot_write_a_units_draft_and_is_told_so(web, world, setup):
    """The province sees the ward's draft but may not change it: its POST is refused (403), not
    answered with a page as if it had been saved, and the draft is unchanged."""
    web.sign_in(world.ward_official)
    web.get(url(setup["a"]))
    report = db.session.scalar(select(Report))
    web.sign_out()
    web.sign_in(world.leader)
    web.post(url(setup["a"]), {**SECTIONS, "version": "1"}, status=403)
    web.post(url(setup["a"]), {**SECTIONS, "version": "1", "action": "submit"}, status=403)
    db.session.expire_all()
    assert report.market_situation is None and report.status.value == "draft"
    for bad in ("garbage", "20251301T000000Z", "99999999T999999Z"):
        web.get(f"/internal/reports/rules/{setup['rule'].id}/rollup?due={bad}", status=404)
    web.get("/internal/reports/2147483648.docx", status=404)
