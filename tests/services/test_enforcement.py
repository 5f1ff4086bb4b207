"""Inspections and violations, and the facts the portal works out from their history."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    InspectionKind,
    InspectionResult,
    QuotaMetric,
    ReportObligation,
    Role,
    RuleKind,
    ViolationState,
    ViolationType,
)
from portal.services import enforcement, outreach, plans, quotas, registry
from portal.services.deadlines import VIETNAM
from portal.services.errors import AccessDenied, ValidationFailed
from tests.factories import make_plan, make_user
from tests.services.test_outreach import business, session_data


@pytest.fixture
def inspector(world):
    return make_user("doi.qltt", world.province, Role.OFFICER)


def inspect(actor, shop, on, **changes):
    values = dict(inspected_on=on, kind=InspectionKind.SURPRISE, business_id=shop.id,
                  result=InspectionResult.VIOLATION, goods=["milk"])
    values.update(changes)
    return enforcement.record_inspection(actor, enforcement.InspectionData(**values))


def violate(actor, shop, on, decided=None, **changes):
    decision = enforcement.Decision()
    if decided:
        decision = enforcement.Decision(number=f"{decided.day:02d}/QĐ-XPHC", decided_on=decided,
                                        authority="Đội QLTT số 1", fine=15_000_000, state=ViolationState.DECIDED)
    data = enforcement.ViolationData(type=ViolationType.COUNTERFEIT, goods="milk", brand="Ensure",
                                     decision=decision, **changes)
    return enforcement.record_violation(actor, inspect(actor, shop, on), data)


def sign(world, shop, on):
    return outreach.record_commitment(world.ward_official, outreach.CommitmentData(
        business_id=shop.id, signed_on=on, signatory="Chủ", received_by_id=world.ward_official.id))


def test_outreach_then_violation_is_flagged_and_the_reverse_is_not(world, inspector):
    early, late = business(world, name="Cửa hàng Sớm"), business(world, name="Cửa hàng Muộn")
    session = outreach.record_session(world.ward_official, session_data(held_on=date(2026, 3, 1),
                                                                        business_ids=[early.id]))
    flagged = violate(inspector, early, date(2026, 4, 1))
    not_yet = violate(inspector, late, date(2026, 2, 1))
    outreach.record_session(world.ward_official, session_data(held_on=date(2026, 3, 1), business_ids=[late.id]))
    facts = enforcement.facts([flagged, not_yet])
    assert facts[flagged.id].outreach == session and facts[flagged.id].after_outreach_or_commitment
    assert facts[not_yet.id].outreach is None and not facts[not_yet.id].after_outreach_or_commitment


def test_a_commitment_before_the_violation_is_named_with_its_date(world, inspector):
    shop = business(world)
    paper = sign(world, shop, date(2026, 1, 10))
    violation = violate(inspector, shop, date(2026, 5, 2))
    facts = enforcement.facts([violation])[violation.id]
    assert facts.commitment == paper and facts.commitment.signed_on == date(2026, 1, 10)
    same_day = violate(inspector, business(world, name="Khác"), date(2026, 5, 2))
    sign(world, same_day.business, date(2026, 5, 2))
    assert enforcement.facts([same_day])[same_day.id].commitment is None  # signed that day, not before


def test_a_second_sanctioned_violation_is_a_repeat_and_an_overturned_one_is_not(world, inspector):
    shop = business(world)
    first = violate(inspector, shop, date(2026, 2, 1), decided=date(2026, 2, 10))
    second = violate(inspector, shop, date(2026, 6, 1), decided=date(2026, 6, 5))
    facts = enforcement.facts([first, second])
    assert facts[first.id].repeat_of is None and facts[second.id].repeat_of == first
    enforcement.update_decision(inspector, first, enforcement.Decision(
        number=first.decision_number, decided_on=first.decision_on, authority=first.decision_authority,
        fine=first.fine, state=ViolationState.OVERTURNED), version=first.version)
    assert enforcement.facts([second])[second.id].repeat_of is None
    unsanctioned = business(world, name="Chưa xử phạt")
    violate(inspector, unsanctioned, date(2026, 2, 1))
    later = violate(inspector, unsanctioned, date(2026, 6, 1))
    assert enforcement.facts([later])[later.id].repeat_of is None


@pytest.mark.parametrize("changes,field", [
    ({"decided_on": date(2026, 3, 31)}, "decision_on"),
    ({"fine": -1}, "fine"),
    ({"fine": 50_000_000_000}, "fine"),
    ({"authority": None}, "decision_authority"),
    ({"number": None, "decided_on": None, "authority": None, "fine": 0, "state": ViolationState.COMPLIED}, "state"),
])
def test_a_bad_decision_is_refused(world, inspector, changes, field):
    shop = business(world)
    inspection = inspect(inspector, shop, date(2026, 4, 1))
    values = dict(number="12/QĐ-XPHC", decided_on=date(2026, 4, 5), authority="Đội QLTT số 1", fine=5_000_000,
                  state=ViolationState.DECIDED)
    values.update(changes)
    with pytest.raises(ValidationFailed) as refused:
        enforcement.record_violation(inspector, inspection, enforcement.ViolationData(
            type=ViolationType.SMUGGLED, decision=enforcement.Decision(**values)))
    assert field in refused.value.errors


def test_a_business_outside_the_area_cannot_be_inspected(world):
    theirs = business(world, actor=world.sibling_official, ward=world.ward_b)
    officer = make_user("doi.phuong", world.ward_a, Role.OFFICER)
    with pytest.raises(ValidationFailed) as refused:
        inspect(officer, theirs, date(2026, 4, 1))
    assert "business_id" in refused.value.errors
    with pytest.raises(AccessDenied):
        inspect(world.ward_official, theirs, date(2026, 4, 1))  # ward officials do not inspect


def test_a_seizure_starts_the_plans_quick_report_deadline(world, inspector):
    plan = make_plan(world.leader, unit=world.province, starts_on=date(2026, 1, 1))
    plans.add_rule(world.leader, plan, plans.RuleData(name="Báo cáo nhanh 24 giờ", kind=RuleKind.AFTER_INCIDENT,
                                                      hours_after=24, receiver_unit_id=world.province.id,
                                                      reporter_ids=[world.province.id]))
    shop = business(world)
    seized_at = datetime(2026, 4, 1, 9, 30, tzinfo=VIETNAM)
    inspection = inspect(inspector, shop, date(2026, 4, 1), plan_id=plan.id)
    violation = enforcement.record_violation(inspector, inspection, enforcement.ViolationData(
        type=ViolationType.COUNTERFEIT, quantity="120 hộp", seized_value=36_000_000, seized_at=seized_at))
    db.session.commit()
    obligation = db.session.scalar(select(ReportObligation).where(ReportObligation.incident_id.is_not(None)))
    assert violation.incident_id == obligation.incident_id
    assert obligation.due_at == seized_at + timedelta(hours=24)
    assert obligation.unit_id == world.province.id
    assert obligation.incident.description == "Tạm giữ hàng hóa tại Tạp hóa Minh Ánh: Hàng giả"


def test_a_seizure_needs_its_time_and_cannot_predate_the_inspection(world, inspector):
    inspection = inspect(inspector, business(world), date(2026, 4, 1))
    for data, field in ((enforcement.ViolationData(type=ViolationType.SMUGGLED, quantity="3 thùng"), "seized_at"),
                        (enforcement.ViolationData(type=ViolationType.SMUGGLED, seized_at=datetime(
                            2026, 3, 30, 8, tzinfo=VIETNAM)), "seized_at")):
        with pytest.raises(ValidationFailed) as refused:
            enforcement.record_violation(inspector, inspection, data)
        assert field in refused.value.errors


def test_sanctioned_businesses_are_listed_until_given_outreach_and_signed_again(world, inspector):
    shop = business(world)
    sign(world, shop, date(2026, 1, 5))
    violate(inspector, shop, date(2026, 3, 1), decided=date(2026, 3, 10))
    [row] = enforcement.follow_up(world.ward_official)
    assert row.business == shop and row.needs_outreach and row.needs_signing
    outreach.record_session(world.ward_official, session_data(held_on=date(2026, 4, 1), business_ids=[shop.id]))
    [row] = enforcement.follow_up(world.ward_official)
    assert not row.needs_outreach and row.needs_signing
    sign(world, shop, date(2026, 4, 2))
    assert enforcement.follow_up(world.ward_official) == []
    assert enforcement.follow_up(world.sibling_official) == []


def test_quotas_count_the_inspectors_inspections(world, inspector):
    for day in (2, 9):
        inspect(inspector, business(world, name=f"Cơ sở {day}"), date(2026, 4, day))
    quota = quotas.assign(world.leader, inspector, QuotaMetric.INSPECTIONS, 5, date(2026, 4, 1), date(2026, 4, 30))
    assert quotas.progress([quota])[0].done == 2
    assert db.session.scalar(select(func.count()).select_from(registry.Business)) == 2


def test_two_violations_of_one_inspection_are_not_a_repeat(world, inspector):
    shop = business(world)
    inspection = inspect(inspector, shop, date(2026, 4, 1))
    decision = enforcement.Decision(number="1/QĐ-XPHC", decided_on=date(2026, 4, 1), authority="Đội QLTT",
                                    fine=1_000_000, state=ViolationState.DECIDED)
    first = enforcement.record_violation(inspector, inspection, enforcement.ViolationData(
        type=ViolationType.COUNTERFEIT, decision=decision))
    second = enforcement.record_violation(inspector, inspection, enforcement.ViolationData(
        type=ViolationType.SMUGGLED, decision=decision))
    assert enforcement.facts([first, second])[second.id].repeat_of is None


def test_merging_keeps_the_facts_of_a_violation(world, inspector):
    old, keep = business(world, name="Tạp hóa Cũ"), business(world, name="Tạp hóa Mới", address="13 Lê Lợi")
    sign(world, old, date(2026, 1, 5))
    violation = violate(inspector, old, date(2026, 3, 1), decided=date(2026, 3, 10))
    db.session.commit()
    registry.merge(world.ward_official, keep, old)
    db.session.commit()
    assert enforcement.facts([violation])[violation.id].commitment is not None
    assert [row.business for row in enforcement.follow_up(world.ward_official)] == [keep]
