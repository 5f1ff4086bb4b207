"""The yearly evaluation of teams and inspectors that letter 100/QLTTLCA-NVTH asks for (item 4:
plan results feed each team's and each official's annual evaluation), commendation proposals
made from it, and the leader's dashboard.

Every figure is an aggregate query grouped by unit or by person, so a page makes the same
number of queries however many teams, inspectors and records there are.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, extract, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    CLOSED_TIP_STATUSES,
    Business,
    Commendation,
    Commitment,
    Inspection,
    OutreachSession,
    Plan,
    PlanStatus,
    Quota,
    ReportingRule,
    ReportObligation,
    Role,
    Target,
    Tip,
    Unit,
    UnitKind,
    User,
    UserRole,
    Violation,
    Ward,
    outreach_officers,
)
from portal.services import audit, coverage, scope
from portal.services.deadlines import local_instant
from portal.services.errors import AccessDenied, ValidationFailed

EVALUATORS = (Role.LEADER, Role.ADMIN)
REASON_MIN, REASON_MAX = 10, 2000
FIRST_YEAR = 2000

#: The figures of a row, in the order of the table and the spreadsheet.
COUNTS = ("quotas_set", "quotas_met", "reports_due", "reports_on_time", "reports_late", "reports_missing",
          "targets_set", "targets_met", "outreach_sessions", "commitments", "inspections", "violations",
          "violations_after_outreach", "openly_displayed")
REPORT_COUNTS = ("reports_due", "reports_on_time", "reports_late", "reports_missing")
PERSON_COUNTS = tuple(key for key in COUNTS if key not in REPORT_COUNTS)
SORTABLE = ("rank", "name", *COUNTS, "score")

COLUMN_LABELS = {
    "rank": _l("Rank"), "name": _l("Name"), "team": _l("Team"), "score": _l("Score"),
    "quotas_set": _l("Quotas set"), "quotas_met": _l("Quotas met"),
    "reports_due": _l("Reports due"), "reports_on_time": _l("Reports on time"),
    "reports_late": _l("Reports late"), "reports_missing": _l("Reports missing"),
    "targets_set": _l("Targets of the area"), "targets_met": _l("Targets reached"),
    "outreach_sessions": _l("Outreach sessions"), "commitments": _l("Commitments received"),
    "inspections": _l("Inspections"), "violations": _l("Violations found"),
    "violations_after_outreach": _l("Violations after outreach or commitment"),
    "openly_displayed": _l("Violating goods openly displayed"),
}


@dataclass
class Row:
    kind: str  # "unit" (a team) or "user" (an inspector)
    id: int
    name: str
    team: str = ""
    figures: dict[str, int | None] = field(default_factory=dict)
    rank: int = 0

    @property
    def score(self) -> float | None:
        """The mean share of the three duties: quotas met, reports on time, targets reached."""
        f = self.figures
        shares = [part / whole for part, whole in ((f["quotas_met"], f["quotas_set"]),
                                                   (f["reports_on_time"], f["reports_due"]),
                                                   (f["targets_met"], f["targets_set"])) if whole]
        return round(100 * sum(shares) / len(shares), 1) if shares else None

    def frozen(self, year: int) -> dict:
        """What a commendation proposal keeps of the row."""
        return {"year": year, "kind": self.kind, "name": self.name, "team": self.team, "rank": self.rank,
                "score": self.score, **self.figures}


@dataclass
class Evaluation:
    year: int
    teams: list[Row]
    inspectors: list[Row]

    @property
    def totals(self) -> dict[str, int]:
        return {key: sum(row.figures[key] or 0 for row in self.teams) for key in COUNTS}

    def find(self, kind: str, row_id: int) -> Row | None:
        rows = self.teams if kind == "unit" else self.inspectors
        return next((row for row in rows if row.id == row_id), None)


# --- time ------------------------------------------------------------------------------------

def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in Vietnam as UTC instants: [start, end)."""
    return local_instant(date(year, 1, 1), time(0, 0)), local_instant(date(year + 1, 1, 1), time(0, 0))


def valid_year(value, today: date) -> int:
    """The year asked for, or this year when it is missing or out of range."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if FIRST_YEAR <= year <= today.year + 1 else today.year


def _in_year(column, year: int):
    return column.between(date(year, 1, 1), date(year, 12, 31))


# --- areas and targets ---------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """Where a target or a unit is: ward and province codes (None for wider)."""

    ward_code: int | None
    province_code: int | None

    def holds(self, other: Place) -> bool:
        if self.ward_code:
            return other.ward_code == self.ward_code
        if self.province_code:
            return other.province_code == self.province_code
        return True


@dataclass
class TargetResult:
    target: Target
    place: Place
    measured: coverage.Measured

    @property
    def measurable(self) -> bool:
        return self.measured.target is not None


def targets_of_year(year: int, within: Place | None = None) -> list[tuple[Target, Place]]:
    """The targets of a year from plans that are not drafts, each with where it applies (only
    those inside ``within`` when it is given): one query."""
    unit, ward = Unit.__table__.alias("plan_unit"), Ward.__table__.alias("target_ward")
    stmt = (select(Target, unit.c.ward_code, unit.c.province_code, ward.c.province_code)
            .join(Plan, Plan.id == Target.plan_id).join(unit, unit.c.id == Plan.unit_id)
            .outerjoin(ward, ward.c.code == Target.ward_code)
            .where(Target.year == year, Plan.status != PlanStatus.DRAFT)
            .options(joinedload(Target.plan).joinedload(Plan.unit)).order_by(Target.id))
    own = or_(Target.ward_code.is_not(None), Target.province_code.is_not(None))  # else the plan's unit's
    if within is not None and within.ward_code:
        stmt = stmt.where(case((own, Target.ward_code), else_=unit.c.ward_code) == within.ward_code)
    elif within is not None and within.province_code:
        stmt = stmt.where(case((own, func.coalesce(Target.province_code, ward.c.province_code)),
                               else_=unit.c.province_code) == within.province_code)
    found = []
    for target, unit_ward, unit_province, ward_province in db.session.execute(stmt):
        if target.ward_code or target.province_code:
            place = Place(target.ward_code, target.province_code or ward_province)
        else:
            place = Place(unit_ward, unit_province)
        found.append((target, place))
    return found


def measure_all(targets: list[Target], today: date) -> dict[int, coverage.Measured]:
    """coverage.measure for many targets in two queries, whatever their number."""
    return coverage.measure_many(targets, today)


def targets_in(place: Place, year: int, today: date) -> list[TargetResult]:
    """The targets of a year that apply inside a place, measured."""
    found = [(t, p) for t, p in targets_of_year(year, place) if place.holds(p)]
    measured = measure_all([t for t, _ in found], today)
    return [TargetResult(t, p, measured[t.id]) for t, p in found]


# --- the evaluation ------------------------------------------------------------------------

def _units_in_scope(actor: User) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(scope.unit_ids(actor))).order_by(Unit.name)))


def _row_units(actor: User, units: list[Unit]) -> list[Unit]:
    """The teams in scope; where there are none, the units right below the actor's (or their own)."""
    teams = [u for u in units if u.kind == UnitKind.MARKET_SURVEILLANCE_TEAM]
    return teams or [u for u in units if u.parent_id == actor.unit_id] or [actor.unit]


def _grouped(stmt) -> dict:
    return {key: tuple(int(v or 0) for v in values) for key, *values in db.session.execute(stmt)}


def _activity(year: int, unit_ids, user_ids) -> dict[str, dict]:
    """The activity counts of the year, by unit and by person: eight grouped queries."""
    after = select(Business.id).where(Business.id == Violation.business_id, or_(
        Business.first_signed_on < Violation.found_on, Business.first_outreach_on < Violation.found_on)).exists()
    violation_counts = (func.count(Violation.id), func.sum(case((after, 1), else_=0)),
                        func.sum(case((Violation.openly_displayed, 1), else_=0)))
    return {
        "unit_outreach": _grouped(select(OutreachSession.unit_id, func.count(OutreachSession.id))
                                  .where(OutreachSession.unit_id.in_(unit_ids), _in_year(OutreachSession.held_on, year))
                                  .group_by(OutreachSession.unit_id)),
        "unit_commitments": _grouped(select(Commitment.unit_id, func.count(Commitment.id))
                                     .where(Commitment.unit_id.in_(unit_ids), _in_year(Commitment.signed_on, year))
                                     .group_by(Commitment.unit_id)),
        "unit_inspections": _grouped(select(Inspection.unit_id, func.count(Inspection.id))
                                     .where(Inspection.unit_id.in_(unit_ids), _in_year(Inspection.inspected_on, year))
                                     .group_by(Inspection.unit_id)),
        "unit_violations": _grouped(select(Violation.unit_id, *violation_counts)
                                    .where(Violation.unit_id.in_(unit_ids), _in_year(Violation.found_on, year))
                                    .group_by(Violation.unit_id)),
        "user_outreach": _grouped(select(outreach_officers.c.user_id, func.count(OutreachSession.id))
                                  .join(OutreachSession, OutreachSession.id == outreach_officers.c.session_id)
                                  .where(outreach_officers.c.user_id.in_(user_ids),
                                         _in_year(OutreachSession.held_on, year))
                                  .group_by(outreach_officers.c.user_id)),
        "user_commitments": _grouped(select(Commitment.received_by_id, func.count(Commitment.id))
                                     .where(Commitment.received_by_id.in_(user_ids), _in_year(Commitment.signed_on, year))
                                     .group_by(Commitment.received_by_id)),
        "user_inspections": _grouped(select(Inspection.created_by_id, func.count(Inspection.id))
                                     .where(Inspection.created_by_id.in_(user_ids),
                                            _in_year(Inspection.inspected_on, year))
                                     .group_by(Inspection.created_by_id)),
        "user_violations": _grouped(select(Violation.created_by_id, *violation_counts)
                                    .where(Violation.created_by_id.in_(user_ids), _in_year(Violation.found_on, year))
                                    .group_by(Violation.created_by_id)),
    }


def report_counts(unit_ids, year: int, now: datetime):
    """(on time, late, missing) of the obligations due in the year, by unit. Not yet due and not
    sent is not counted; on time means sent by the deadline."""
    start, end = year_bounds(year)
    sent = ReportObligation.submitted_at.is_not(None)
    return _grouped(select(ReportObligation.unit_id,
                           func.sum(case((and_(sent, ReportObligation.submitted_at <= ReportObligation.due_at), 1),
                                         else_=0)),
                           func.sum(case((and_(sent, ReportObligation.submitted_at > ReportObligation.due_at), 1),
                                         else_=0)),
                           func.sum(case((and_(~sent, ReportObligation.due_at <= now), 1), else_=0)))
                    .where(ReportObligation.unit_id.in_(unit_ids), ReportObligation.due_at >= start,
                           ReportObligation.due_at < end)
                    .group_by(ReportObligation.unit_id))


def _quotas(unit_ids, year: int) -> tuple[list[Quota], dict[int, int]]:
    quotas = list(db.session.scalars(select(Quota).where(Quota.unit_id.in_(unit_ids), _in_year(Quota.ends_on, year))))
    return quotas, coverage.quota_done(quotas)


def evaluate(actor: User, year: int, today: date | None = None, now: datetime | None = None) -> Evaluation:
    """The teams and inspectors in the actor's scope with their figures for the year."""
    scope.ensure_role(actor, *EVALUATORS)
    today, now = today or coverage_today(), now or utcnow()
    units = _units_in_scope(actor)
    rows = _row_units(actor, units)
    row_of = {}  # unit id -> the row unit it counts under (the deepest row above it)
    for unit in units:
        holders = [r for r in rows if unit.path.startswith(r.path)]
        if holders:
            row_of[unit.id] = max(holders, key=lambda r: len(r.path))
    by_id = {u.id: u for u in units}
    people = list(db.session.scalars(
        select(User).where(User.active, User.unit_id.in_(scope.unit_ids(actor)),
                           User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.OFFICER)))
        .order_by(User.full_name, User.id)))
    unit_ids = scope.unit_ids(actor)
    user_ids = [p.id for p in people]
    act = _activity(year, unit_ids, user_ids)
    reports = report_counts(unit_ids, year, now)
    quotas, done = _quotas(unit_ids, year)
    places = {Place(u.ward_code, u.province_code) for u in [*rows, *(by_id[p.unit_id] for p in people)]}
    targets = [(t, p) for t, p in targets_of_year(year) if any(place.holds(p) for place in places)]
    measured = measure_all([t for t, _ in targets], today)

    def targets_for(unit: Unit) -> tuple[int, int]:
        place = Place(unit.ward_code, unit.province_code)
        results = [measured[t.id] for t, p in targets if place.holds(p) and measured[t.id].target is not None]
        return len(results), sum(1 for m in results if m.met)

    teams = {r.id: Row("unit", r.id, r.name, figures=dict.fromkeys(COUNTS, 0)) for r in rows}
    inspectors = {p.id: Row("user", p.id, p.full_name,
                            team=(row_of.get(p.unit_id) or by_id[p.unit_id]).name,
                            figures=dict.fromkeys(COUNTS, 0)) for p in people}
    for unit_id, row_unit in row_of.items():
        f = teams[row_unit.id].figures
        _add(f, ("outreach_sessions",), act["unit_outreach"].get(unit_id))
        _add(f, ("commitments",), act["unit_commitments"].get(unit_id))
        _add(f, ("inspections",), act["unit_inspections"].get(unit_id))
        _add(f, ("violations", "violations_after_outreach", "openly_displayed"), act["unit_violations"].get(unit_id))
        _add(f, ("reports_on_time", "reports_late", "reports_missing"), reports.get(unit_id))
    for row in teams.values():
        f = row.figures
        f["reports_due"] = f["reports_on_time"] + f["reports_late"] + f["reports_missing"]
        f["targets_set"], f["targets_met"] = targets_for(by_id[row.id])
    for person in people:
        f = inspectors[person.id].figures
        _add(f, ("outreach_sessions",), act["user_outreach"].get(person.id))
        _add(f, ("commitments",), act["user_commitments"].get(person.id))
        _add(f, ("inspections",), act["user_inspections"].get(person.id))
        _add(f, ("violations", "violations_after_outreach", "openly_displayed"), act["user_violations"].get(person.id))
        for key in REPORT_COUNTS:  # reports are owed by units, not by people
            f[key] = None
        f["targets_set"], f["targets_met"] = targets_for(by_id[person.unit_id])
    for quota in quotas:
        met = int(done.get(quota.id, 0) >= quota.amount)
        for row in (teams.get(row_of[quota.unit_id].id) if quota.unit_id in row_of else None,
                    inspectors.get(quota.user_id)):
            if row is not None:
                row.figures["quotas_set"] += 1
                row.figures["quotas_met"] += met
    return Evaluation(year, _ranked(list(teams.values())), _ranked(list(inspectors.values())))


def coverage_today() -> date:
    from portal.services.registry import today

    return today()


def _add(figures: dict, keys: tuple[str, ...], values: tuple[int, ...] | None) -> None:
    if values:
        for key, value in zip(keys, values, strict=True):
            figures[key] += value


def _ranked(rows: list[Row]) -> list[Row]:
    """Rows by score (none last), then name; equal scores share a rank (1, 1, 3)."""
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.name, r.id))
    for index, row in enumerate(rows):
        previous = rows[index - 1] if index else None
        row.rank = previous.rank if previous is not None and previous.score == row.score else index + 1
    return rows


def sort_rows(rows: list[Row], key: str | None, descending: bool) -> list[Row]:
    """Rows ordered by a column (the rank when the column is unknown); empty values last."""
    if key not in SORTABLE or key == "rank":
        return sorted(rows, key=lambda r: r.rank, reverse=descending)
    if key == "name":
        return sorted(rows, key=lambda r: r.name.casefold(), reverse=descending)

    def value(row: Row):
        return row.score if key == "score" else row.figures[key]

    present = sorted((r for r in rows if value(r) is not None), key=lambda r: (value(r), -r.rank),
                     reverse=descending)
    return present + [r for r in rows if value(r) is None]


# --- commendation proposals ----------------------------------------------------------------

def find_row(actor: User, year: int, kind: str, row_id: int) -> Row | None:
    """The row a proposal is about: 403 outside the actor's scope, None when there is no such row."""
    scope.ensure_role(actor, *EVALUATORS)
    target = db.session.get(Unit if kind == "unit" else User, row_id)
    if target is None:
        return None
    if not scope.covers(actor, target if kind == "unit" else target.unit):
        raise AccessDenied()
    return evaluate(actor, year).find(kind, row_id)


def propose(actor: User, year: int, row: Row, reason: str | None) -> Commendation:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationFailed({"reason": [_l("Write at least %(num)d characters.", num=REASON_MIN)]})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": [_l("Use at most %(num)d characters.", num=REASON_MAX)]})
    column = Commendation.unit_id if row.kind == "unit" else Commendation.user_id
    if db.session.scalar(select(Commendation.id).where(Commendation.year == year, column == row.id,
                                                       Commendation.proposing_unit_id == actor.unit_id)):
        raise ValidationFailed({"": [_l("Your unit has already proposed this commendation for that year.")]})
    commendation = Commendation(year=year, proposing_unit_id=actor.unit_id, reason=reason, figures=row.frozen(year),
                                created_by_id=actor.id, unit_id=row.id if row.kind == "unit" else None,
                                user_id=row.id if row.kind == "user" else None)
    db.session.add(commendation)
    db.session.flush()
    audit.record("commendation.proposed", actor=actor, obj=commendation, unit_id=actor.unit_id,
                 after={"year": year, "kind": row.kind, "name": row.name, "reason": reason})
    return commendation


def commendations(actor: User, year: int) -> list[Commendation]:
    """Proposals of the year made by, or about, units in the actor's scope."""
    in_scope = scope.unit_ids(actor)
    stmt = (select(Commendation)
            .where(Commendation.year == year,
                   or_(Commendation.proposing_unit_id.in_(in_scope), Commendation.unit_id.in_(in_scope),
                       Commendation.user_id.in_(select(User.id).where(User.unit_id.in_(in_scope)))))
            .options(joinedload(Commendation.proposing_unit), joinedload(Commendation.unit),
                     joinedload(Commendation.user))
            .order_by(Commendation.created_at.desc(), Commendation.id.desc()))
    return list(db.session.scalars(stmt))


# --- the leader's dashboard ---------------------------------------------------------------

@dataclass
class Dashboard:
    year: int
    targets: list[TargetResult]
    months: list[int]
    trend: dict[str, list[int]]  # commitments, inspections, violations: one count a month
    overdue: list[ReportObligation]
    overdue_count: int
    sent_late: list[ReportObligation]
    sent_late_count: int
    open_tips: int
    oldest_tip: Tip | None


LATE_LIST = 10


def dashboard(actor: User, year: int, today: date | None = None, now: datetime | None = None) -> Dashboard:
    """The figures of the actor's area for a year, in a fixed number of queries."""
    today, now = today or coverage_today(), now or utcnow()
    unit = actor.unit
    targets = targets_in(Place(unit.ward_code, unit.province_code), year, today)
    last_month = today.month if year == today.year else (12 if year < today.year else 0)
    months = list(range(1, last_month + 1))
    # the work of the actor's unit and the units below it, as reports count it (by the unit that
    # recorded it): one query, read from the (unit, day) indexes
    trend_parts = [select(literal(name).label("name"), extract("month", day).label("month"), func.count().label("n"))
                   .where(unit_column.in_(scope.unit_ids(actor)), _in_year(day, year))
                   .group_by(extract("month", day))
                   for name, unit_column, day in (("commitments", Commitment.unit_id, Commitment.signed_on),
                                                  ("inspections", Inspection.unit_id, Inspection.inspected_on),
                                                  ("violations", Violation.unit_id, Violation.found_on))]
    counts = {(name, int(month)): n for name, month, n in db.session.execute(union_all(*trend_parts))}
    trend = {name: [int(counts.get((name, m), 0)) for m in months]
             for name in ("commitments", "inspections", "violations")}
    start, end = year_bounds(year)
    due_in_year = and_(ReportObligation.unit_id.in_(scope.unit_ids(actor)), ReportObligation.due_at >= start,
                       ReportObligation.due_at < end)
    overdue = and_(due_in_year, ReportObligation.submitted_at.is_(None), ReportObligation.due_at <= now)
    sent_late = and_(due_in_year, ReportObligation.submitted_at > ReportObligation.due_at)
    overdue_count, late_count = db.session.execute(select(
        func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
        func.coalesce(func.sum(case((sent_late, 1), else_=0)), 0)).where(due_in_year)).one()

    def listed(clause):
        return list(db.session.scalars(
            select(ReportObligation).where(clause)
            .options(joinedload(ReportObligation.unit), joinedload(ReportObligation.rule).joinedload(ReportingRule.plan))
            .order_by(ReportObligation.due_at, ReportObligation.id).limit(LATE_LIST)))

    tips = scope.visible(select(Tip), actor, Tip.unit_id).where(Tip.status.not_in(list(CLOSED_TIP_STATUSES)))
    open_tips = db.session.scalar(tips.with_only_columns(func.count()).select_from(Tip)) or 0
    oldest = db.session.scalar(tips.order_by(Tip.received_at, Tip.id).limit(1))
    return Dashboard(year, targets, months, trend, listed(overdue), int(overdue_count), listed(sent_late),
                     int(late_count), open_tips, oldest)


def late_by(obligation: ReportObligation, now: datetime | None = None) -> timedelta:
    """How late a report is: sent after its deadline by this much, or still missing for this long."""
    return (obligation.submitted_at or now or utcnow()) - obligation.due_at
