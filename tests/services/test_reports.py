"""Reports: every figure of a draft equals an independent count of the records; submission
freezes them; corrections are revisions with their differences; the roll-up is the sum of its
parts and names who is missing; bad input is refused with a clear message."""
from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import event, select

from portal.extensions import db
from portal.models import (
    Agreement,
    AuditEntry,
    Business,
    BusinessStatus,
    BusinessStatusChange,
    Commitment,
    Counterpart,
    Inspection,
    InspectionKind,
    InspectionResult,
    OutreachMethod,
    OutreachSession,
    ReminderKind,
    ReportKind,
    ReportObligation,
    ReportReminder,
    ReportStatus,
    Role,
    RuleKind,
    Target,
    Tip,
    TipStatus,
    Violation,
    ViolationType,
)
from portal.services import calendar, deadlines, enforcement, plans, reports
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from tests.factories import make_plan, make_user

START, END = date(2026, 2, 21), date(2026, 3, 20)  # the period of the report due on 20/3/2026
_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def in_english(app):
    """Messages read in English, inside a request (links are built from it)."""
    with app.test_request_context("/?lang=en"):
        yield


@pytest.fixture
def setup(world):
    """A monthly report (before the 20th) that Hàm Rồng and Hạc Thành owe the province."""
    plan = make_plan(world.leader, unit=world.province)
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo tháng", kind=RuleKind.MONTHLY, receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id, world.ward_b.id], day=20))
    db.session.commit()
    due = deadlines.local_instant(END, None)
    obligation = {o.unit_id: o for o in rule.obligations if o.due_at == due}
    leader_a = make_user("ham.rong.leader", world.ward_a, Role.LEADER)
    leader_b = make_user("hac.thanh.leader", world.ward_b, Role.LEADER)
    db.session.commit()
    return dict(plan=plan, rule=rule, due=due, a=obligation[world.ward_a.id], b=obligation[world.ward_b.id],
                leader_a=leader_a, leader_b=leader_b)


def write(report, **changes):
    data = reports.ReportData.of(report)
    for name in ("market_situation", "outreach_results", "enforcement_results", "progress"):
        setattr(data, name, f"Nội dung {name}")
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def shop(world, ward, recorded_on, *, merged_into=None, history=()):
    n = next(_ids)
    business = Business(name=f"Cơ sở {n}", name_folded=f"co so {n}", address=f"{n} Lê Lợi", address_folded=f"{n} le loi",
                        ward_code=ward.ward_code, province_code=ward.province_code, recorded_on=recorded_on,
                        status=BusinessStatus.ACTIVE, merged_into_id=merged_into.id if merged_into else None)
    business.history = [BusinessStatusChange(status=BusinessStatus.NEW, on=recorded_on)]
    for status, on in history:
        business.history.append(BusinessStatusChange(status=status, on=on))
        business.status = status
        if status == BusinessStatus.CEASED:
            business.ceased_on = on
    db.session.add(business)
    db.session.flush()
    return business


def crafted(world):
    """Records in and out of the period, the area and the unit's subtree."""
    W = world
    user = W.ward_official
    office = W.ward_a_office
    shops = [shop(W, W.ward_a, date(2025, 5, 1)) for _ in range(4)]
    shops += [shop(W, W.ward_a, date(2026, 3, 1)), shop(W, W.ward_a, date(2026, 2, 21)),
              shop(W, W.ward_a, date(2026, 3, 21))]  # opened in, in, after the period
    shops += [shop(W, W.ward_a, date(2025, 1, 1), history=[(BusinessStatus.CEASED, date(2026, 3, 5))]),
              shop(W, W.ward_a, date(2025, 1, 1), history=[(BusinessStatus.CEASED, date(2026, 1, 5))]),
              shop(W, W.ward_a, date(2025, 1, 1), history=[(BusinessStatus.CHANGED_LINE, date(2026, 3, 10))]),
              shop(W, W.ward_a, date(2025, 1, 1), history=[(BusinessStatus.CHANGED_LINE, date(2026, 4, 10))])]
    shops.append(shop(W, W.ward_a, date(2026, 3, 2), merged_into=shops[0]))  # merged: never counted
    elsewhere = [shop(W, W.ward_b, date(2026, 3, 1)), shop(W, W.ward_b, date(2025, 3, 1))]
    sessions = [
        OutreachSession(held_on=date(2026, 2, 25), unit_id=W.ward_a.id, method=OutreachMethod.CONFERENCE,
                        people_reached=40, created_by_id=user.id, businesses=[shops[0], shops[1]]),
        OutreachSession(held_on=date(2026, 3, 20), unit_id=office.id, method=OutreachMethod.LEAFLET,
                        people_reached=15, created_by_id=user.id, businesses=[shops[2]]),
        OutreachSession(held_on=date(2026, 1, 10), unit_id=W.ward_a.id, method=OutreachMethod.LOUDSPEAKER,
                        people_reached=500, created_by_id=user.id, businesses=[shops[3]]),  # before the period
        OutreachSession(held_on=date(2026, 3, 1), unit_id=W.ward_b.id, method=OutreachMethod.CONFERENCE,
                        people_reached=70, created_by_id=user.id, businesses=[elsewhere[0]]),  # a sibling's
    ]
    papers = dict(signatory="Chủ cơ sở", received_by_id=user.id, created_by_id=user.id)
    commitments = [
        Commitment(business_id=shops[1].id, signed_on=date(2026, 3, 3), unit_id=W.ward_a.id, **papers),
        Commitment(business_id=shops[4].id, signed_on=date(2026, 3, 4), unit_id=office.id, **papers),
        Commitment(business_id=shops[5].id, signed_on=date(2026, 1, 4), unit_id=W.ward_a.id, **papers),
        Commitment(business_id=shops[6].id, signed_on=date(2026, 3, 25), unit_id=W.ward_a.id, **papers),
        Commitment(business_id=elsewhere[0].id, signed_on=date(2026, 3, 5), unit_id=W.ward_b.id, **papers),
    ]
    agreements = [
        Agreement(signed_on=date(2026, 3, 6), unit_id=W.ward_a.id, counterpart=Counterpart.MARKET_BOARD,
                  counterpart_name="Ban quản lý chợ", ward_code=W.ward_a.ward_code,
                  province_code=W.ward_a.province_code, **papers),
        Agreement(signed_on=date(2026, 5, 6), unit_id=W.ward_a.id, counterpart=Counterpart.STREET_BOARD,
                  counterpart_name="Ban phố", ward_code=W.ward_a.ward_code, province_code=W.ward_a.province_code,
                  **papers),
    ]
    db.session.add_all(sessions + commitments + agreements)
    db.session.flush()

    def inspect(business, on, unit, *found):
        inspection = Inspection(inspected_on=on, unit_id=unit.id, kind=InspectionKind.SURPRISE,
                                business_id=business.id, created_by_id=user.id,
                                result=InspectionResult.VIOLATION if found else InspectionResult.NO_VIOLATION)
        db.session.add(inspection)
        db.session.flush()
        for kind, fine, value, openly in found:
            db.session.add(Violation(inspection_id=inspection.id, business_id=business.id, found_on=on,
                                     unit_id=unit.id, type=kind, fine=fine, seized_value=value,
                                     openly_displayed=openly, created_by_id=user.id,
                                     decision_number="1/QĐ-XPHC" if fine else None,
                                     decision_on=on if fine else None, decision_authority="UBND" if fine else None))
        db.session.flush()
        return inspection

    inspections = [
        inspect(shops[0], date(2026, 3, 1), W.ward_a, (ViolationType.COUNTERFEIT, 5_000_000, 12_000_000, True),
                (ViolationType.UNKNOWN_ORIGIN, None, 3_000_000, False)),  # after outreach on 25/2
        inspect(shops[1], date(2026, 3, 3), office, (ViolationType.COUNTERFEIT, 2_500_000, None, False)),  # reached 25/2;
        # its commitment the same day does not count
        inspect(shops[2], date(2026, 2, 22), W.ward_a),
        inspect(shops[5], date(2026, 3, 10), W.ward_a, (ViolationType.SMUGGLED, 7_000_000, 40_000_000, True)),  # after
        # its commitment of 4/1
        inspect(shops[3], date(2026, 3, 21), W.ward_a, (ViolationType.COUNTERFEIT, 1_000_000, 1, True)),  # after
        inspect(elsewhere[1], date(2026, 3, 2), W.ward_b, (ViolationType.SMUGGLED, 9_000_000, 9, True)),  # sibling's
    ]
    at = lambda d, h=10: datetime.combine(d, time(h), tzinfo=deadlines.VIETNAM).astimezone(UTC)  # noqa: E731
    tips = []
    for received, unit, status, closed in (
            (at(date(2026, 2, 21), 0), W.ward_a, TipStatus.RESOLVED, at(date(2026, 3, 20), 23)),
            (at(date(2026, 3, 1)), office, TipStatus.UNFOUNDED, at(date(2026, 3, 2))),
            (at(date(2026, 3, 2)), W.ward_a, TipStatus.RESOLVED, at(date(2026, 3, 21), 0)),  # closed after
            (at(date(2026, 2, 20), 23), W.ward_a, TipStatus.RESOLVED, at(date(2026, 2, 25))),  # received before
            (at(date(2026, 3, 3)), W.ward_b, TipStatus.RECEIVED, None)):
        tips.append(Tip(receipt_hash=f"{next(_ids):064d}", what="Bán hàng giả", province_code=unit.province_code,
                        ward_code=unit.ward_code, unit_id=unit.id, status=status, received_at=received,
                        closed_at=closed))
    db.session.add_all(tips)
    db.session.commit()
    return dict(shops=shops + elsewhere, sessions=sessions, commitments=commitments, agreements=agreements,
                inspections=inspections, tips=tips)


def independent(world, data, start=START, end=END):
    """The figures, counted in Python over the objects created."""
    W = world
    subtree = {W.ward_a.id, W.ward_a_office.id}
    inside = lambda d: start <= d <= end  # noqa: E731
    area = [b for b in data["shops"] if b.ward_code == W.ward_a.ward_code and b.merged_into_id is None]
    trading = [b for b in area if b.recorded_on <= end and (b.ceased_on is None or b.ceased_on > end)]
    signed = {c.business_id for c in data["commitments"] if c.signed_on <= end}
    violations = [v for i in data["inspections"] for v in i.violations]
    mine = [v for v in violations if v.unit_id in subtree and inside(v.found_on)]
    area_ids = {b.id for b in area}
    in_area = [v for v in violations if v.business_id in area_ids and inside(v.found_on)]

    def after(v):
        reached = any(b.id == v.business_id and s.held_on < v.found_on for s in data["sessions"] for b in s.businesses)
        committed = any(c.business_id == v.business_id and c.signed_on < v.found_on for c in data["commitments"])
        return reached or committed

    local = lambda t: deadlines.local_day(t)  # noqa: E731
    return {
        "businesses_total": len(trading),
        "businesses_committed": len([b for b in trading if b.id in signed]),
        "businesses_opened": len([b for b in area if inside(b.recorded_on)]),
        "businesses_ceased": len({h.business_id for b in area for h in b.history
                                  if h.status == BusinessStatus.CEASED and inside(h.on)}),
        "businesses_changed_line": len({h.business_id for b in area for h in b.history
                                        if h.status == BusinessStatus.CHANGED_LINE and inside(h.on)}),
        "violated_after_outreach_or_commitment": len({v.business_id for v in in_area if after(v)}),
        "openly_displaying": len({v.business_id for v in in_area if v.openly_displayed}),
        "outreach_sessions": len([s for s in data["sessions"] if s.unit_id in subtree and inside(s.held_on)]),
        "people_reached": sum(s.people_reached for s in data["sessions"] if s.unit_id in subtree and inside(s.held_on)),
        "commitments_signed": len([c for c in data["commitments"] if c.unit_id in subtree and inside(c.signed_on)]),
        "agreements_signed": len([a for a in data["agreements"] if a.unit_id in subtree and inside(a.signed_on)]),
        "inspections": len([i for i in data["inspections"] if i.unit_id in subtree and inside(i.inspected_on)]),
        "violations": len(mine),
        "fines_total": sum(v.fine or 0 for v in mine),
        "seized_value": sum(v.seized_value or 0 for v in mine),
        "tips_received": len([t for t in data["tips"] if t.unit_id in subtree and inside(local(t.received_at))]),
        "tips_resolved": len([t for t in data["tips"] if t.unit_id in subtree and t.status == TipStatus.RESOLVED
                              and t.closed_at and inside(local(t.closed_at))]),
    }


def test_the_period_runs_from_the_day_after_the_previous_deadline(setup):
    assert reports.period_of(setup["a"]) == (START, END)
    first = setup["rule"].obligations[0]
    assert reports.period_of(first) == (date(2026, 1, 5), date(2026, 1, 20))  # from the plan's first day


def test_every_figure_of_a_draft_equals_an_independent_count(world, setup):
    data = crafted(world)
    report = reports.open_draft(world.ward_official, setup["a"])
    db.session.commit()
    assert (report.kind, report.status, report.period_start, report.period_end) == (
        ReportKind.PERIODIC, ReportStatus.DRAFT, START, END)
    figures = reports.figures_of(report)
    expected = independent(world, data)
    assert figures["counts"] == expected
    assert list(figures["counts"]) == [key for key, _label in reports.FIGURES]
    # the data set is not trivial, and its boundaries (period, area, subtree) are each crossed
    assert expected["businesses_total"] == 8 and expected["violations"] == 4 and expected["fines_total"] == 14_500_000
    assert expected["violated_after_outreach_or_commitment"] == 3 and expected["tips_resolved"] == 2 and expected["tips_received"] == 3
    assert figures["violations_by_type"]["counterfeit"] == 2 and figures["violations_by_type"]["smuggled"] == 1
    assert sum(figures["violations_by_type"].values()) == figures["counts"]["violations"]
    for key, _label in reports.FIGURES:
        assert reports.evidence_url(key, report).startswith("/internal/")
    # the sibling ward's figures come from its own records only
    other = reports.compute_figures(world.ward_b, START, END)["counts"]
    assert (other["inspections"], other["outreach_sessions"], other["people_reached"]) == (1, 1, 70)


def test_targets_of_the_area_are_measured(world, setup):
    data = crafted(world)
    db.session.add(Target(plan=setup["plan"], year=2026, due_on=date(2026, 12, 31), percent=50, category="business",
                          measure="commitment", province_code=world.ward_a.province_code,
                          ward_code=world.ward_a.ward_code, text="50% cơ sở ký cam kết"))
    db.session.commit()
    [target] = reports.compute_figures(world.ward_a, START, END)["targets"]
    counts = independent(world, data)
    share = round(100 * counts["businesses_committed"] / counts["businesses_total"])
    assert (target["target"], target["measured"], target["met"]) == (50, share, share >= 50)


def test_the_query_count_stays_the_same_when_the_records_grow(world, setup):
    crafted(world)
    statements = []

    def listener(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    assert world.ward_a.path  # the unit itself is loaded before counting
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        reports.compute_figures(world.ward_a, START, END)
        few = len(statements)
        crafted(world)
        crafted(world)
        db.session.commit()
        assert world.ward_a.path
        statements.clear()
        reports.compute_figures(world.ward_a, START, END)
        many = len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert few == many <= 3, statements


def test_a_submitted_report_keeps_its_figures_when_records_change(world, setup):
    data = crafted(world)
    report = reports.open_draft(world.ward_official, setup["a"])
    reports.save(world.ward_official, report, write(report), version=report.version)
    db.session.commit()
    reports.submit(setup["leader_a"], report, version=report.version)
    db.session.commit()
    before = independent(world, data)
    assert report.figures["counts"] == before
    obligation = setup["a"]
    assert obligation.submitted_at == report.submitted_at and obligation.submitted_by_id == setup["leader_a"].id
    assert calendar.state(obligation, report.submitted_at) == calendar.State.SUBMITTED_LATE  # 2026-11 > 20/3
    # records change afterwards: a new inspection in the period, a business ceases
    inspection = data["inspections"][2]
    db.session.add(Violation(inspection_id=inspection.id, business_id=inspection.business_id, found_on=date(2026, 2, 22),
                             unit_id=world.ward_a.id, type=ViolationType.SMUGGLED, fine=None, created_by_id=1))
    db.session.commit()
    assert reports.compute_figures(world.ward_a, START, END)["counts"]["violations"] == before["violations"] + 1
    db.session.expire_all()
    assert reports.figures_of(reports.get_report(world.ward_official, report.id))["counts"] == before
    # a correction is a new revision, computed again, with the differences shown
    fixed = reports.correct(world.ward_official, report)
    db.session.commit()
    assert (fixed.revision, fixed.previous_id, fixed.status) == (2, report.id, ReportStatus.DRAFT)
    assert reports.correct(world.ward_official, report).id == fixed.id  # one open correction at a time
    data = write(fixed, difficulties="Thiếu nhân lực")
    reports.save(world.ward_official, fixed, data, version=fixed.version)
    changes = dict((k, (a, b)) for k, a, b in reports.differences(report, fixed))
    assert changes["violations"] == (before["violations"], before["violations"] + 1)
    assert changes["type:smuggled"] == (1, 2)
    assert changes["difficulties"] == (None, "Thiếu nhân lực")
    assert "inspections" not in changes
    reports.submit(setup["leader_a"], fixed, version=fixed.version)
    db.session.commit()
    assert obligation.submitted_at == report.submitted_at  # the first submission stays the one that counts
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"report.drafted", "report.saved", "report.submitted", "report.correction_started"} <= actions


def test_submitting_needs_the_required_sections(world, setup):
    report = reports.open_draft(world.ward_official, setup["a"])
    reports.save(world.ward_official, report, write(report, progress="  ", market_situation=""),
                 version=report.version)
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        reports.submit(setup["leader_a"], report, version=report.version)
    assert set(refused.value.errors) == {"progress", "market_situation"}
    assert "Write this section" in str(refused.value.errors["progress"][0])
    assert report.status == ReportStatus.DRAFT and setup["a"].submitted_at is None


def test_submitting_twice_editing_after_and_submitting_for_another_unit_are_refused(world, setup):
    report = reports.open_draft(world.ward_official, setup["a"])
    reports.save(world.ward_official, report, write(report), version=report.version)
    db.session.commit()
    for someone in (setup["leader_b"], world.leader, world.ward_official):  # another unit, the unit above, not a leader
        with pytest.raises(AccessDenied):
            reports.submit(someone, report, version=report.version)
    with pytest.raises(AccessDenied):
        reports.save(setup["leader_b"], report, write(report), version=report.version)
    with pytest.raises(ConflictingEdit):
        reports.submit(setup["leader_a"], report, version=report.version - 1)
    reports.submit(setup["leader_a"], report, version=report.version)
    db.session.commit()
    with pytest.raises(reports.Frozen) as twice:
        reports.submit(setup["leader_a"], report, version=report.version)
    assert "already submitted" in str(twice.value.message)
    with pytest.raises(reports.Frozen) as edit:
        reports.save(world.ward_official, report, write(report, proposals="Sửa"), version=report.version)
    assert "can no longer be changed" in str(edit.value.message)
    db.session.rollback()
    assert report.proposals is None


def test_a_conflicting_save_is_refused(world, setup):
    report = reports.open_draft(world.ward_official, setup["a"])
    db.session.commit()
    opened = report.version
    reports.save(world.ward_official, report, write(report, proposals="Một"), version=opened)
    db.session.commit()
    with pytest.raises(ConflictingEdit):
        reports.save(world.ward_official, report, write(report, proposals="Hai"), version=opened)


def test_the_rollup_is_the_sum_of_its_parts_and_names_the_missing(world, setup):
    crafted(world)
    rule, due = setup["rule"], setup["due"]
    roll = reports.rollup(world.leader, world.province, rule, due)
    assert [r.unit.id for r in roll.missing] == sorted([world.ward_a.id, world.ward_b.id],
                                                       key=lambda i: db.session.get(type(world.ward_a), i).name)
    for obligation, leader, user in ((setup["a"], setup["leader_a"], world.ward_official),
                                     (setup["b"], setup["leader_b"], world.sibling_official)):
        if obligation is setup["b"]:
            continue  # Hạc Thành has not submitted
        report = reports.open_draft(user, obligation)
        reports.save(user, report, write(report), version=report.version)
        reports.submit(leader, report, version=report.version)
    db.session.commit()
    roll = reports.rollup(world.leader, world.province, rule, due)
    assert [r.unit.name for r in roll.missing] == [world.ward_b.name]
    assert [r.unit.name for r in roll.late] == [world.ward_a.name]  # submitted after 20/3
    totals = roll.totals()
    parts = [reports.figures_of(r.report) for r in roll.rows if r.report]
    for key, _label in reports.FIGURES:
        assert totals["counts"][key] == sum(p["counts"][key] for p in parts)
    assert totals["counts"]["inspections"] == 4  # Hàm Rồng's own (Hạc Thành's one is not submitted)
    assert [row["unit"] for row in totals["by_unit"]] == [world.ward_a.name]
    with pytest.raises(AccessDenied):
        reports.rollup(world.ward_official, world.province, rule, due)
    with pytest.raises(ValidationFailed):
        reports.rollup(world.leader, world.ward_a, rule, due)


def test_a_reminder_is_queued_once_per_click_and_refused_without_an_address(world, setup):
    with pytest.raises(ValidationFailed) as refused:
        reports.remind(world.leader, setup["b"])
    assert "no email address" in str(refused.value.errors[""][0])
    world.ward_b.email = "hacthanh@example.vn"
    db.session.commit()
    first = reports.remind(world.leader, setup["b"])
    second = reports.remind(world.leader, setup["b"])
    db.session.commit()
    assert first.key != second.key and first.kind == ReminderKind.MISSED and first.sent_at is None
    assert first.recipient == "hacthanh@example.vn" and "Báo cáo tháng" in first.subject
    assert db.session.scalar(select(ReportReminder.unit_id).where(ReportReminder.id == first.id)) == world.ward_b.id
    with pytest.raises(AccessDenied):
        reports.remind(world.sibling_official, setup["b"])


def test_a_consolidated_draft_sums_the_submitted_reports_and_goes_upward(world, setup):
    crafted(world)
    # the province reports in turn to the national committee, monthly before the 25th
    higher = plans.add_rule(world.admin, setup["plan"], plans.RuleData(
        name="Báo cáo tổng hợp", kind=RuleKind.MONTHLY, receiver_unit_id=world.root.id,
        reporter_ids=[world.province.id], day=25))
    db.session.commit()
    report = reports.open_draft(world.ward_official, setup["a"])
    reports.save(world.ward_official, report, write(report), version=report.version)
    reports.submit(setup["leader_a"], report, version=report.version)
    db.session.commit()
    with pytest.raises(AccessDenied):
        reports.consolidated_draft(world.ward_official, world.province, setup["rule"], setup["due"])
    compiled = reports.consolidated_draft(world.leader, world.province, setup["rule"], setup["due"])
    db.session.commit()
    assert compiled.kind == ReportKind.CONSOLIDATED and compiled.unit_id == world.province.id
    assert compiled.obligation.rule_id == higher.id
    assert deadlines.local_day(compiled.obligation.due_at) == date(2026, 3, 25)
    figures = reports.figures_of(compiled)
    assert figures["counts"] == report.figures["counts"]
    assert [row["unit_id"] for row in figures["by_unit"]] == [world.ward_a.id]
    assert reports.consolidated_draft(world.leader, world.province, setup["rule"], setup["due"]).id == compiled.id
    reports.save(world.leader, compiled, write(compiled), version=compiled.version)
    reports.submit(world.leader, compiled, version=compiled.version)
    db.session.commit()
    assert compiled.figures["by_unit"][0]["counts"] == report.figures["counts"]
    assert compiled.obligation.submitted_at is not None
    roll = reports.rollup(world.admin, world.root, higher, compiled.obligation.due_at)
    assert roll.totals()["counts"] == report.figures["counts"]


def test_without_a_rule_upward_there_is_nothing_to_consolidate_into(world, setup):
    with pytest.raises(ValidationFailed) as refused:
        reports.consolidated_draft(world.leader, world.province, setup["rule"], setup["due"])
    assert "no report of its own" in str(refused.value.errors[""][0])


def test_a_quick_report_is_prefilled_from_the_seizure(world):
    plan = make_plan(world.leader, unit=world.province)
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo nhanh", kind=RuleKind.AFTER_INCIDENT, receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id], hours_after=24))
    inspector = make_user("kiem.soat", world.ward_a, Role.OFFICER)
    leader = make_user("lanh.dao", world.ward_a, Role.LEADER)
    business = shop(world, world.ward_a, date(2025, 1, 1))
    db.session.commit()
    inspection = enforcement.record_inspection(inspector, enforcement.InspectionData(
        inspected_on=date(2026, 3, 2), kind=InspectionKind.SURPRISE, business_id=business.id,
        result=InspectionResult.VIOLATION, plan_id=plan.id))
    violation = enforcement.record_violation(inspector, inspection, enforcement.ViolationData(
        type=ViolationType.COUNTERFEIT, goods="milk", brand="Ensure", quantity="120 hộp", seized_value=36_000_000,
        seized_at=datetime(2026, 3, 2, 3, tzinfo=UTC)))
    db.session.commit()
    obligation = db.session.scalar(select(ReportObligation).where(ReportObligation.rule_id == rule.id))
    assert obligation.incident_id == violation.incident_id
    report = reports.open_draft(inspector, obligation)
    db.session.commit()
    assert report.kind == ReportKind.QUICK and report.period_start == report.period_end == date(2026, 3, 2)
    text = report.enforcement_results
    assert business.name in text and "120 hộp" in text and "36.000.000" in text and "Ensure" in text
    assert reports.figures_of(report)["counts"]["seized_value"] == 36_000_000
    reports.submit(leader, report, version=report.version)  # the one required section is pre-filled
    db.session.commit()
    assert obligation.submitted_at is not None
    with pytest.raises(ValidationFailed):
        reports.quick_report(inspector, _scheduled(world))


def _scheduled(world):
    plan = make_plan(world.leader, unit=world.province, number="09/KH-UBND")
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo năm", kind=RuleKind.YEARLY, receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id], day=20, month=12))
    return rule.obligations[0]


def test_viewing_is_scoped(world, setup):
    report = reports.open_draft(world.ward_official, setup["a"])
    db.session.commit()
    assert reports.get_report(world.leader, report.id) is report  # the unit above
    with pytest.raises(AccessDenied):
        reports.get_report(world.sibling_official, report.id)
    with pytest.raises(AccessDenied):
        reports.open_draft(world.sibling_official, setup["a"])
    assert reports.get_report(world.ward_official, 10**6) is None
    with pytest.raises(AccessDenied):  # a viewer elsewhere, and a unit above cannot draft for the ward
        reports.open_draft(world.leader, setup["b"])
