"""The evaluation of teams and inspectors: on a crafted data set every figure equals an
independent count of the records; the number of queries does not grow with the data; a team
leader sees only their team."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import (
    Tip,
    TipStatus,
    Business,
    Commitment,
    Inspection,
    InspectionKind,
    InspectionResult,
    OutreachMethod,
    OutreachSession,
    Plan,
    PlanKind,
    PlanStatus,
    Quota,
    QuotaMetric,
    ReportingRule,
    ReportObligation,
    Role,
    RuleKind,
    Target,
    Unit,
    UnitKind,
    User,
    Violation,
    ViolationType,
    Ward,
)
from portal.services import coverage, evaluation
from portal.services.errors import AccessDenied
from tests.factories import LAO_CAI, THANH_HOA, make_user

YEAR = 2025
TODAY = date(2025, 12, 20)
NOW = datetime(2025, 12, 20, 5, 0, tzinfo=UTC)


@dataclass
class Data:
    market: Unit
    team1: Unit
    team2: Unit
    far_team: Unit  # Lào Cai: outside Thanh Hóa's scope
    chief: User  # leader of the market-surveillance department
    lead1: User  # leader of team 1
    a: User
    b: User
    c: User  # team 2
    far: User
    businesses: list[Business]


def _business(world, i: int, ward: int, province: int = THANH_HOA, recorded=date(2024, 1, 1)) -> Business:
    b = Business(name=f"Cửa hàng {i}", address=f"{i} Đường Lê Lai", ward_code=ward, province_code=province,
                 recorded_on=recorded, name_folded=f"cua hang {i}", address_folded=f"{i} duong le lai")
    db.session.add(b)
    db.session.flush()
    return b


def _session(unit, officers, held_on, businesses=(), creator=None):
    s = OutreachSession(held_on=held_on, unit_id=unit.id, method=OutreachMethod.CONFERENCE, people_reached=10,
                        created_by_id=(creator or officers[0]).id, officers=list(officers), businesses=list(businesses))
    db.session.add(s)
    return s


def _commit(unit, user, business, on):
    c = Commitment(signed_on=on, signatory="Chủ", unit_id=unit.id, received_by_id=user.id, created_by_id=user.id,
                   business_id=business.id)
    db.session.add(c)
    return c


def _inspect(unit, user, business, on, violations=()):
    inspection = Inspection(inspected_on=on, unit_id=unit.id, kind=InspectionKind.SCHEDULED, business_id=business.id,
                            result=InspectionResult.VIOLATION if violations else InspectionResult.NO_VIOLATION,
                            created_by_id=user.id)
    db.session.add(inspection)
    db.session.flush()
    for openly in violations:
        db.session.add(Violation(inspection_id=inspection.id, business_id=business.id, found_on=on, unit_id=unit.id,
                                 type=ViolationType.COUNTERFEIT, openly_displayed=openly, created_by_id=user.id))
    return inspection


def _quota(user, leader, metric, amount, starts, ends):
    db.session.add(Quota(user_id=user.id, unit_id=user.unit_id, assigned_by_id=leader.id, metric=metric,
                         amount=amount, starts_on=starts, ends_on=ends))


def _plan(unit, creator, number="23/KH-QLTT"):
    plan = Plan(number=number, kind=PlanKind.PLAN, title="Kế hoạch", unit_id=unit.id, issued_on=date(2025, 1, 2),
                starts_at=datetime(2025, 1, 1, tzinfo=UTC), ends_at=datetime(2025, 12, 31, tzinfo=UTC),
                status=PlanStatus.IN_FORCE, created_by_id=creator.id)
    db.session.add(plan)
    db.session.flush()
    return plan


def _due(rule, unit, due, sent=None):
    db.session.add(ReportObligation(rule_id=rule.id, unit_id=unit.id, due_at=due, submitted_at=sent))


def build(world) -> Data:
    K = UnitKind
    market = ensure_unit("Chi cục Quản lý thị trường tỉnh Thanh Hóa", K.MARKET_SURVEILLANCE, world.province,
                         province=THANH_HOA)
    team1 = ensure_unit("Đội Quản lý thị trường số 1", K.MARKET_SURVEILLANCE_TEAM, market, province=THANH_HOA)
    team2 = ensure_unit("Đội Quản lý thị trường số 2", K.MARKET_SURVEILLANCE_TEAM, market, province=THANH_HOA)
    far_team = ensure_unit("Đội Quản lý thị trường số 1 Lào Cai", K.MARKET_SURVEILLANCE_TEAM, world.other_province,
                           province=LAO_CAI)
    chief = make_user("chief", market, Role.LEADER, full_name="Trưởng Chi cục")
    lead1 = make_user("lead1", team1, Role.LEADER, full_name="Đội trưởng Một")
    a = make_user("insp.a", team1, Role.OFFICER, full_name="An Kiểm soát")
    b = make_user("insp.b", team1, Role.OFFICER, full_name="Bình Kiểm soát")
    c = make_user("insp.c", team2, Role.OFFICER, full_name="Cường Kiểm soát")
    far = make_user("insp.far", far_team, Role.OFFICER, full_name="Xa Kiểm soát")
    ward = world.ward_a.ward_code
    shops = [_business(world, i, ward) for i in range(6)]
    far_ward = db.session.scalar(select(Ward.code).where(Ward.province_code == LAO_CAI).limit(1))
    far_shop = _business(world, 99, far_ward, province=LAO_CAI)

    # outreach: team 1 twice this year (a; a and b), once last year; team 2 once (c)
    _session(team1, [a], date(2025, 2, 1), shops[:2])
    _session(team1, [a, b], date(2025, 3, 1), shops[2:3])
    _session(team1, [a], date(2024, 6, 1), shops[3:4])
    _session(team2, [c], date(2025, 4, 1))
    _session(far_team, [far], date(2025, 4, 1))
    # commitments: shops 0, 1, 2 signed this year with team 1, shop 3 last year; shop 4 with team 2
    _commit(team1, a, shops[0], date(2025, 2, 1))
    _commit(team1, a, shops[1], date(2025, 2, 2))
    _commit(team1, b, shops[2], date(2025, 3, 5))
    _commit(team1, a, shops[3], date(2024, 6, 1))
    _commit(team2, c, shops[4], date(2025, 5, 1))
    _commit(far_team, far, far_shop, date(2025, 5, 1))
    # inspections: shop 0 violated after its commitment (openly displayed), shop 5 without outreach,
    # shop 2 on the day it was reached (not "after"), one clean inspection, one last year
    _inspect(team1, a, shops[0], date(2025, 6, 1), [True, False])
    _inspect(team1, b, shops[5], date(2025, 6, 2), [True])
    _inspect(team1, b, shops[2], date(2025, 3, 1), [False])
    _inspect(team2, c, shops[4], date(2025, 7, 1))
    _inspect(team1, a, shops[1], date(2024, 7, 1), [False])
    _inspect(far_team, far, far_shop, date(2025, 7, 1), [True])
    # quotas ending this year: a meets outreach (2 of 2) and misses signing (2 of 3); b meets inspections (2 of 2);
    # c misses outreach (1 of 2); a quota that ended last year is not counted
    _quota(a, lead1, QuotaMetric.OUTREACH_SESSIONS, 2, date(2025, 1, 1), date(2025, 6, 30))
    _quota(a, lead1, QuotaMetric.BUSINESSES_SIGNED, 3, date(2025, 1, 1), date(2025, 6, 30))
    _quota(b, lead1, QuotaMetric.INSPECTIONS, 2, date(2025, 1, 1), date(2025, 12, 31))
    _quota(c, chief, QuotaMetric.OUTREACH_SESSIONS, 2, date(2025, 1, 1), date(2025, 12, 31))
    _quota(a, lead1, QuotaMetric.OUTREACH_SESSIONS, 1, date(2024, 1, 1), date(2024, 12, 31))
    # reports: team 1 — on time, late, missing, not yet due; team 2 — on time, missing; one of last year
    plan = _plan(market, chief)
    rule = ReportingRule(plan_id=plan.id, name="Báo cáo tháng", kind=RuleKind.MONTHLY, day=20,
                         receiver_unit_id=market.id)
    db.session.add(rule)
    db.session.flush()
    at = datetime(2025, 3, 20, 10, tzinfo=UTC)
    _due(rule, team1, at, at - timedelta(hours=1))
    _due(rule, team1, at + timedelta(days=30), at + timedelta(days=31))
    _due(rule, team1, at + timedelta(days=60))
    _due(rule, team1, NOW + timedelta(days=5))
    _due(rule, team2, at, at)
    _due(rule, team2, at + timedelta(days=60))
    _due(rule, team2, datetime(2024, 12, 20, tzinfo=UTC))
    # targets of 2025 in Thanh Hóa: all businesses signed 50% (5 of 6 by its date: reached),
    # all businesses given outreach and signed 100% (4 of 6: not reached); an agreement target is not a percent
    db.session.add(Target(plan_id=plan.id, year=2025, due_on=date(2025, 12, 31), percent=50, category="business",
                          measure="commitment", text="50%"))
    db.session.add(Target(plan_id=plan.id, year=2025, due_on=date(2025, 12, 31), percent=100, category="business",
                          measure="outreach_commitment", text="100%"))
    db.session.add(Target(plan_id=plan.id, year=2025, due_on=date(2025, 12, 31), percent=100, category="market_board",
                          measure="coordination_agreement", text="quy chế"))
    db.session.add(Target(plan_id=plan.id, year=2024, due_on=date(2024, 12, 31), percent=10, category="business",
                          measure="commitment", text="last year"))
    db.session.commit()
    return Data(market, team1, team2, far_team, chief, lead1, a, b, c, far, shops)


@pytest.fixture
def data(world):
    return build(world)


# --- an independent count: load the records and count them in Python ----------------------

def _year(day):
    return day.year == YEAR


def independent_team(unit: Unit) -> dict:
    def mine(rec):
        return rec.unit_id == unit.id

    sessions = [s for s in db.session.scalars(select(OutreachSession)) if mine(s) and _year(s.held_on)]
    commitments = [c for c in db.session.scalars(select(Commitment)) if mine(c) and _year(c.signed_on)]
    inspections = [i for i in db.session.scalars(select(Inspection)) if mine(i) and _year(i.inspected_on)]
    violations = [v for v in db.session.scalars(select(Violation)) if mine(v) and _year(v.found_on)]
    obligations = [o for o in db.session.scalars(select(ReportObligation))
                   if mine(o) and o.due_at.astimezone(UTC).year == YEAR]
    return {**_activity(sessions, commitments, inspections, violations),
            "reports_on_time": sum(1 for o in obligations if o.submitted_at and o.submitted_at <= o.due_at),
            "reports_late": sum(1 for o in obligations if o.submitted_at and o.submitted_at > o.due_at),
            "reports_missing": sum(1 for o in obligations if not o.submitted_at and o.due_at <= NOW)}


def independent_person(user: User) -> dict:
    sessions = [s for s in db.session.scalars(select(OutreachSession))
                if user in s.officers and _year(s.held_on)]
    commitments = [c for c in db.session.scalars(select(Commitment)) if c.received_by_id == user.id and _year(c.signed_on)]
    inspections = [i for i in db.session.scalars(select(Inspection)) if i.created_by_id == user.id and _year(i.inspected_on)]
    violations = [v for v in db.session.scalars(select(Violation)) if v.created_by_id == user.id and _year(v.found_on)]
    return _activity(sessions, commitments, inspections, violations)


def _activity(sessions, commitments, inspections, violations) -> dict:
    all_commitments = list(db.session.scalars(select(Commitment)))
    all_sessions = list(db.session.scalars(select(OutreachSession)))

    def after(v):
        return (any(c.business_id == v.business_id and c.signed_on < v.found_on for c in all_commitments)
                or any(s.held_on < v.found_on and any(b.id == v.business_id for b in s.businesses)
                       for s in all_sessions))

    return {"outreach_sessions": len(sessions), "commitments": len(commitments), "inspections": len(inspections),
            "violations": len(violations), "violations_after_outreach": sum(1 for v in violations if after(v)),
            "openly_displayed": sum(1 for v in violations if v.openly_displayed)}


def independent_quotas(quotas) -> tuple[int, int]:
    """(set, met), counting each quota's records one by one."""
    sessions = list(db.session.scalars(select(OutreachSession)))
    commitments = list(db.session.scalars(select(Commitment)))
    inspections = list(db.session.scalars(select(Inspection)))
    met = 0
    for q in quotas:
        def inside(day):
            return q.starts_on <= day <= q.ends_on
        done = {QuotaMetric.OUTREACH_SESSIONS: sum(1 for s in sessions if inside(s.held_on)
                                                    and any(o.id == q.user_id for o in s.officers)),
                QuotaMetric.BUSINESSES_SIGNED: len({c.business_id for c in commitments
                                                    if c.received_by_id == q.user_id and inside(c.signed_on)}),
                QuotaMetric.INSPECTIONS: sum(1 for i in inspections if i.created_by_id == q.user_id
                                             and inside(i.inspected_on))}[q.metric]
        met += done >= q.amount
    return len(quotas), met


def test_every_figure_equals_an_independent_count(data):
    result = evaluation.evaluate(data.chief, YEAR, TODAY, NOW)
    assert [r.name for r in result.teams] == [data.team1.name, data.team2.name] or \
        {r.name for r in result.teams} == {data.team1.name, data.team2.name}
    quotas = list(db.session.scalars(select(Quota)))
    for team in (data.team1, data.team2):
        row = result.find("unit", team.id)
        expected = independent_team(team)
        assert {k: row.figures[k] for k in expected} == expected, team.name
        assert row.figures["reports_due"] == expected["reports_on_time"] + expected["reports_late"] + \
            expected["reports_missing"]
        mine = [q for q in quotas if q.unit_id == team.id and q.ends_on.year == YEAR]
        assert (row.figures["quotas_set"], row.figures["quotas_met"]) == independent_quotas(mine)
    for person in (data.a, data.b, data.c):
        row = result.find("user", person.id)
        expected = independent_person(person)
        assert {k: row.figures[k] for k in expected} == expected, person.username
        mine = [q for q in quotas if q.user_id == person.id and q.ends_on.year == YEAR]
        assert (row.figures["quotas_set"], row.figures["quotas_met"]) == independent_quotas(mine)
        assert all(row.figures[k] is None for k in evaluation.REPORT_COUNTS)

    # the same figures, written out by hand from the data set above
    one, two = result.find("unit", data.team1.id).figures, result.find("unit", data.team2.id).figures
    assert (one["outreach_sessions"], one["commitments"], one["inspections"], one["violations"]) == (2, 3, 3, 4)
    assert (one["violations_after_outreach"], one["openly_displayed"]) == (2, 2)
    assert (one["reports_due"], one["reports_on_time"], one["reports_late"], one["reports_missing"]) == (3, 1, 1, 1)
    assert (one["quotas_set"], one["quotas_met"]) == (3, 2)
    assert (two["quotas_set"], two["quotas_met"], two["reports_on_time"], two["reports_due"]) == (1, 0, 1, 2)
    # targets: the two percent targets of 2025 apply in Thanh Hóa; 5 of 6 shops had signed by then (50% reached),
    # 4 of 6 were given outreach and signed (100% not reached)
    assert (one["targets_set"], one["targets_met"]) == (2, 1)
    a = result.find("user", data.a.id)
    assert (a.figures["targets_set"], a.figures["targets_met"]) == (2, 1) and a.team == data.team1.name
    # the score is the mean of the shares, and the ranking follows it
    assert one is not None and result.find("unit", data.team1.id).score == round(100 * (2 / 3 + 1 / 3 + 1 / 2) / 3, 1)
    assert result.find("unit", data.team2.id).score == round(100 * (0 + 1 / 2 + 1 / 2) / 3, 1)
    assert [r.rank for r in result.teams] == [1, 2] and result.teams[0].id == data.team1.id
    totals = result.totals
    assert totals["violations"] == 4 and totals["commitments"] == 4 and totals["reports_due"] == 5


def test_targets_measured_together_equal_one_by_one(data):
    targets = list(db.session.scalars(select(Target)))
    together = evaluation.measure_all(targets, TODAY)
    for target in targets:
        assert together[target.id] == coverage.measure(target, TODAY), target.text


def counted_selects(fn):
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def grow(data, n: int) -> None:
    """More teams, inspectors, records and quotas."""
    for i in range(n):
        team = ensure_unit(f"Đội Quản lý thị trường số {10 + i}", UnitKind.MARKET_SURVEILLANCE_TEAM, data.market,
                           province=THANH_HOA)
        person = make_user(f"grow{i}", team, Role.OFFICER)
        shop = data.businesses[i % len(data.businesses)]
        _session(team, [person], date(2025, 8, 1), [shop])
        _commit(team, person, shop, date(2025, 8, 2))
        _inspect(team, person, shop, date(2025, 9, 1), [True])
        _quota(person, data.chief, QuotaMetric.INSPECTIONS, 1, date(2025, 1, 1), date(2025, 12, 31))
        _quota(person, data.chief, QuotaMetric.BUSINESSES_SIGNED, 1, date(2025, 1, 1), date(2025, 12, 31))
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_data(data):
    few = counted_selects(lambda: evaluation.evaluate(data.chief, YEAR, TODAY, NOW))
    board_few = counted_selects(lambda: evaluation.dashboard(data.chief, YEAR, TODAY, NOW))
    grow(data, 12)
    result = evaluation.evaluate(data.chief, YEAR, TODAY, NOW)
    assert len(result.teams) == 14 and len(result.inspectors) == 15
    assert counted_selects(lambda: evaluation.evaluate(data.chief, YEAR, TODAY, NOW)) == few
    assert counted_selects(lambda: evaluation.dashboard(data.chief, YEAR, TODAY, NOW)) == board_few
    assert few <= 24 and board_few <= 14, (few, board_few)


def test_a_team_leader_sees_only_their_team(data):
    result = evaluation.evaluate(data.lead1, YEAR, TODAY, NOW)
    assert [r.id for r in result.teams] == [data.team1.id]
    assert {r.id for r in result.inspectors} == {data.a.id, data.b.id}
    # the department's leader sees both teams, never Lào Cai's
    chief = evaluation.evaluate(data.chief, YEAR, TODAY, NOW)
    assert {r.id for r in chief.inspectors} == {data.a.id, data.b.id, data.c.id}
    assert data.far_team.id not in {r.id for r in chief.teams}


def test_only_leaders_and_administrators_evaluate(data, world):
    for user in (data.a, world.ward_official, world.viewer):
        with pytest.raises(AccessDenied):
            evaluation.evaluate(user, YEAR, TODAY, NOW)
    with pytest.raises(AccessDenied):  # a sibling's team
        evaluation.find_row(data.lead1, YEAR, "unit", data.team2.id)
    assert evaluation.find_row(data.lead1, YEAR, "unit", 999_999) is None


def test_a_proposal_freezes_the_figures_and_is_audited(data):
    from portal.models import AuditEntry, Commendation

    row = evaluation.find_row(data.chief, YEAR, "user", data.a.id)
    proposal = evaluation.propose(data.chief, YEAR, row, "  Hoàn thành xuất sắc chỉ tiêu ký cam kết.  ")
    db.session.commit()
    assert proposal.figures["commitments"] == 2 and proposal.figures["name"] == data.a.full_name
    assert proposal.reason == "Hoàn thành xuất sắc chỉ tiêu ký cam kết."
    _commit(data.team1, data.a, data.businesses[5], date(2025, 10, 1))  # a later record changes nothing
    db.session.commit()
    assert db.session.get(Commendation, proposal.id).figures["commitments"] == 2
    assert evaluation.find_row(data.chief, YEAR, "user", data.a.id).figures["commitments"] == 3
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "commendation.proposed"))
    assert entry.object_id == proposal.id and entry.actor_id == data.chief.id
    with pytest.raises(evaluation.ValidationFailed):
        evaluation.propose(data.chief, YEAR, row, "Một lần nữa cho cùng người.")
    with pytest.raises(evaluation.ValidationFailed):
        evaluation.propose(data.chief, YEAR, row, "ngắn")
    assert [c.id for c in evaluation.commendations(data.lead1, YEAR)] == [proposal.id]
    assert evaluation.commendations(data.chief, YEAR - 1) == []


def test_the_dashboard_counts_the_area(data, world):
    db.session.add(Tip(receipt_hash="a" * 64, what="Bán hàng giả", province_code=THANH_HOA, unit_id=data.team1.id,
                       received_at=datetime(2025, 11, 1, tzinfo=UTC)))
    db.session.add(Tip(receipt_hash="b" * 64, what="Cũ", province_code=THANH_HOA, unit_id=data.team1.id,
                       received_at=datetime(2025, 10, 1, tzinfo=UTC), status=TipStatus.RESOLVED))
    db.session.add(Tip(receipt_hash="c" * 64, what="Xa", province_code=LAO_CAI, unit_id=data.far_team.id))
    db.session.commit()
    board = evaluation.dashboard(data.chief, YEAR, TODAY, NOW)
    assert board.months == list(range(1, 13))
    assert sum(board.trend["commitments"]) == 4 and board.trend["commitments"][1] == 2  # February
    assert sum(board.trend["inspections"]) == 4 and sum(board.trend["violations"]) == 4
    assert board.trend["violations"][5] == 3  # June
    assert (board.overdue_count, board.sent_late_count) == (2, 1)
    assert [o.unit_id for o in board.overdue] == [data.team1.id, data.team2.id]
    assert board.open_tips == 1 and board.oldest_tip.what == "Bán hàng giả"
    assert [(r.target.percent, r.measured.met) for r in board.targets if r.measurable] == [(50, True), (100, False)]
    # a ward sees its own ward's records only; Lào Cai none of Thanh Hóa's
    far = evaluation.dashboard(world.viewer, YEAR, TODAY, NOW)
    assert sum(far.trend["commitments"]) == 1 and far.targets == [] and far.open_tips == 1
