"""Reporting rules produce obligations for the reporting units; seizures start quick reports."""
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import PlanKind, ReportObligation, RuleKind
from portal.services import plans
from portal.services.deadlines import VIETNAM
from portal.services.errors import AccessDenied, ValidationFailed
from tests.factories import make_plan


def rule(world, kind, reporters, **values):
    return plans.RuleData(name=values.pop("name", "Báo cáo"), kind=kind, receiver_unit_id=world.ward_a_office.id,
                          reporter_ids=[u.id for u in reporters], **values)


def local_due(obligations):
    return sorted(o.due_at.astimezone(VIETNAM).replace(tzinfo=None) for o in obligations)


def test_ham_rong_rules_give_each_unit_its_deadlines(world):
    plan = make_plan(world.leader, unit=world.ward_a, starts_on=date(2026, 1, 5), ends_on=date(2030, 12, 31))
    units = plans.add_rule(world.leader, plan, rule(world, RuleKind.YEARLY, [world.ward_a_office], day=25, month=9))
    ward = plans.add_rule(world.leader, plan, rule(world, RuleKind.YEARLY, [world.ward_a], day=30, month=9))
    db.session.commit()
    assert [d.date() for d in local_due(units.obligations)] == [date(y, 9, 25) for y in range(2026, 2031)]
    assert [d.date() for d in local_due(ward.obligations)] == [date(y, 9, 30) for y in range(2026, 2031)]
    assert {o.unit_id for o in units.obligations} == {world.ward_a_office.id}


def test_can_tho_campaign_weekly_and_final(world):
    campaign = make_plan(world.leader, number="01/KH-TCT1253", kind=PlanKind.CAMPAIGN,
                         starts_on=date(2025, 5, 15), ends_on=date(2025, 6, 15))
    weekly = plans.add_rule(world.leader, campaign, rule(world, RuleKind.WEEKLY, [world.ward_a, world.ward_b],
                                                         weekday=2, at=time(14, 0)))
    final = plans.add_rule(world.leader, campaign, rule(world, RuleKind.ONCE, [world.ward_a],
                                                        once_on=date(2025, 6, 15), at=time(8, 0)))
    db.session.commit()
    mine = [o for o in weekly.obligations if o.unit_id == world.ward_a.id]
    assert local_due(mine) == [datetime(2025, 5, 21, 14), datetime(2025, 5, 28, 14), datetime(2025, 6, 4, 14),
                               datetime(2025, 6, 11, 14)]
    assert len(weekly.obligations) == 8  # each reporting unit owes its own
    assert local_due(final.obligations) == [datetime(2025, 6, 15, 8)]


def test_a_seizure_starts_a_24_hour_quick_report_for_the_unit_that_made_it(world):
    campaign = make_plan(world.leader, number="02/KH", starts_on=date(2025, 5, 15), ends_on=date(2025, 6, 15))
    quick = plans.add_rule(world.leader, campaign, rule(world, RuleKind.AFTER_INCIDENT, [world.ward_a],
                                                        hours_after=24, name="Báo cáo nhanh"))
    assert quick.obligations == []
    seized = datetime(2025, 6, 3, 22, 30, tzinfo=VIETNAM)
    obligation = plans.start_incident(world.ward_official, quick, seized, "200 hộp sữa giả")
    db.session.commit()
    assert obligation.unit_id == world.ward_a.id
    assert obligation.due_at.astimezone(VIETNAM).replace(tzinfo=None) == datetime(2025, 6, 4, 22, 30)
    with pytest.raises(AccessDenied):  # a unit that does not report under this rule
        plans.start_incident(world.sibling_official, quick, seized, "x")


def test_changing_the_period_moves_the_obligations_but_keeps_what_was_submitted(world):
    plan = make_plan(world.leader, starts_on=date(2026, 1, 5), ends_on=date(2027, 12, 31))
    monthly = plans.add_rule(world.leader, plan, rule(world, RuleKind.MONTHLY, [world.ward_a], day=20))
    db.session.commit()
    assert len(monthly.obligations) == 24
    first = min(monthly.obligations, key=lambda o: o.due_at)
    first.submitted_at = first.due_at
    data = plans.PlanData(number=plan.number, kind=plan.kind, title=plan.title, unit_id=plan.unit_id,
                          issued_on=plan.issued_on, starts_on=date(2026, 6, 1), ends_on=date(2026, 12, 31),
                          status=plan.status)
    plans.update_plan(world.leader, plan, data, version=plan.version)
    db.session.commit()
    dues = [o.due_at.astimezone(VIETNAM).date() for o in db.session.scalars(
        select(ReportObligation).where(ReportObligation.rule_id == monthly.id).order_by(ReportObligation.due_at))]
    assert dues == [date(2026, 1, 20)] + [date(2026, m, 20) for m in range(6, 13)]


def test_plan_rules_of_the_domain(world):
    make_plan(world.leader, number="125/KH-UBND")
    with pytest.raises(ValidationFailed) as refused:
        make_plan(world.leader, number="125/KH-UBND")
    assert "number" in refused.value.errors
    make_plan(world.leader, number="125/KH-UBND", unit=world.ward_a)  # another issuer may use it
    with pytest.raises(ValidationFailed) as refused:
        make_plan(world.leader, number="9/KH", starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))
    assert "ends_on" in refused.value.errors
    with pytest.raises(AccessDenied):
        make_plan(world.ward_official, number="10/KH")  # not a leader
    with pytest.raises(ValidationFailed):
        make_plan(world.leader, number="11/KH", unit=world.other_province)  # outside the scope


def test_citations_link_plans_both_ways(world):
    province_plan = make_plan(world.leader, number="08/KH-UBND", unit=world.province)
    ward_plan = make_plan(world.leader, number="01/KH-UBND", unit=world.ward_a, cites=["08/KH-UBND", "888/QĐ-TCQLTT"])
    assert [c.cited_plan for c in ward_plan.citations] == [province_plan, None]
    assert plans.cited_by(world.leader, province_plan) == [ward_plan]
    assert plans.cited_by(world.viewer, province_plan) == []  # Lào Cai sees neither


def test_a_plan_entered_later_is_linked_from_those_that_cite_it(world):
    ward_plan = make_plan(world.leader, number="01/KH-UBND", unit=world.ward_a, cites=["08/KH-UBND"])
    assert ward_plan.citations[0].cited_plan is None
    province_plan = make_plan(world.leader, number="08/KH-UBND", unit=world.province)
    db.session.refresh(ward_plan)
    assert ward_plan.citations[0].cited_plan == province_plan
