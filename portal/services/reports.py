"""Reports drafted from the records (letter 100/QLTTLCA-NVTH; plan 125/KH-UBND section IV.3.1):
the figures of a unit for a period, drafts and their narrative, submission that freezes the
figures, corrections as new revisions with their differences, the roll-up of a receiving unit
with its consolidated report, reminders to late units, and quick reports after a seizure.

Figures are SQL aggregates over the records: a fixed number of queries whatever their number.
Area figures (the businesses) follow the unit's area (ward, province or the whole country, as
``scope.area_clause`` and ``coverage.Area``); staff activities (outreach, papers signed,
inspections, violations, tips handled) are those of the unit and the units below it.

A consolidated draft keeps what it compiles in ``figures["source"]`` ({"rule_id", "due_at"}); its
counts are computed from the submitted reports until it is submitted and frozen in turn.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.labels import VIOLATION_TYPE_LABELS
from portal.models import (
    NARRATIVE_SECTIONS,
    Agreement,
    Business,
    BusinessStatus,
    BusinessStatusChange,
    Commitment,
    Incident,
    Inspection,
    OutreachSession,
    Plan,
    ReminderKind,
    Report,
    ReportingRule,
    ReportKind,
    ReportObligation,
    ReportReminder,
    ReportStatus,
    Role,
    RuleKind,
    Target,
    Tip,
    TipStatus,
    Unit,
    User,
    Violation,
    ViolationType,
)
from portal.services import audit, calendar, coverage, deadlines, plans, scope
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed

#: The counts of a report, in the order a report shows them.
FIGURES: list[tuple[str, object]] = [
    ("businesses_total", _l("Businesses of the area")),
    ("businesses_committed", _l("Businesses that have signed a commitment")),
    ("businesses_opened", _l("Businesses newly opened")),
    ("businesses_ceased", _l("Businesses that ceased trading")),
    ("businesses_changed_line", _l("Businesses that changed their line of business")),
    ("violated_after_outreach_or_commitment", _l("Businesses that violated after outreach or a commitment")),
    ("openly_displaying", _l("Businesses openly displaying violating goods")),
    ("outreach_sessions", _l("Outreach sessions")),
    ("people_reached", _l("People reached by outreach")),
    ("commitments_signed", _l("Commitments signed")),
    ("agreements_signed", _l("Coordination agreements signed")),
    ("inspections", _l("Inspections")),
    ("violations", _l("Violations found")),
    ("fines_total", _l("Fines (VND)")),
    ("seized_value", _l("Value of goods seized (VND)")),
    ("tips_received", _l("Tips received")),
    ("tips_resolved", _l("Tips resolved")),
]
FIGURE_KEYS = [key for key, _label in FIGURES]
FIGURE_LABELS = dict(FIGURES)
#: Figures in VND (shown as money).
MONEY = frozenset({"fines_total", "seized_value"})

SECTION_LABELS = {
    "market_situation": _l("Market situation"),
    "outreach_results": _l("Outreach and commitments, and the change they brought"),
    "enforcement_results": _l("Inspections and sanctions, and the change they brought"),
    "progress": _l("Progress against the targets"),
    "difficulties": _l("Difficulties"),
    "proposals": _l("Proposals"),
}
HEADER_FIELDS = ("number", "place", "issued_on", "recipients", "signer_name", "signer_title")
#: Sections that must be written before a report can be submitted, by kind.
REQUIRED_SECTIONS = {
    ReportKind.PERIODIC: ("market_situation", "outreach_results", "enforcement_results", "progress"),
    ReportKind.CONSOLIDATED: ("market_situation", "outreach_results", "enforcement_results", "progress"),
    ReportKind.QUICK: ("enforcement_results",),
}
#: Who submits: the leader of the reporting unit itself.
SUBMITTERS = (Role.LEADER,)
MAX_TEXT = 20_000


class Frozen(Exception):
    """The report was submitted: it cannot be changed or submitted again (a correction is a new
    revision). ``message`` says so in words a person reads."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- periods ---------------------------------------------------------------------------------

def period_of(obligation: ReportObligation) -> tuple[date, date]:
    """The days a report covers (both included): from the day after the previous deadline of its
    rule (or the plan's first day) to its own deadline's day (the day before, when the rule has an
    hour: the report is written that morning). A quick report covers the day of its incident."""
    rule = obligation.rule
    if obligation.incident_id is not None:
        day = deadlines.local_day(obligation.incident.occurred_at)
        return day, day
    end = deadlines.local_day(obligation.due_at)
    if rule.hour is not None:
        end -= timedelta(days=1)
    first = deadlines.local_day(rule.plan.starts_at)
    earlier = [d for d in deadlines.deadlines(plans.spec_of(rule), rule.plan.starts_at, rule.plan.ends_at)
               if d < obligation.due_at]
    start = first
    if earlier and rule.kind != RuleKind.ONCE:
        start = deadlines.local_day(earlier[-1]) + timedelta(days=0 if rule.hour is not None else 1)
    return min(start, end), end


# --- figures ---------------------------------------------------------------------------------

def _subtree(unit: Unit):
    return select(Unit.id).where(Unit.path.startswith(unit.path)) if unit.path else select(Unit.id).where(
        Unit.id == unit.id)


def _count(stmt):
    return stmt.scalar_subquery()


def _instants(start: date, end: date) -> tuple[datetime, datetime]:
    return deadlines.local_instant(start, time(0)), deadlines.local_instant(end + timedelta(days=1), time(0))


def compute_figures(unit: Unit, start: date, end: date) -> dict:
    """The figures of a unit for the days start..end, from the records: three queries, and two for
    the targets of the unit's area when it has some, whatever their number."""
    area = coverage.Area(unit.ward_code, unit.province_code)
    mine = _subtree(unit)
    since, until = _instants(start, end)
    in_area = and_(area.clause(), Business.merged_into_id.is_(None))
    found = and_(Violation.found_on.between(start, end), Violation.unit_id.in_(mine))
    trading = coverage.trading_on(end)
    businesses = select(  # one pass over the area's businesses for the three counts
        coverage.count_where(trading).label("total"), coverage.count_where(trading, coverage.signed_by(end)).label(
            "committed"), coverage.count_where(Business.recorded_on.between(start, end)).label("opened")
    ).where(in_area).subquery()

    def changed(status: BusinessStatus):
        return _count(select(func.count(func.distinct(BusinessStatusChange.business_id)))
                      .join(Business, Business.id == BusinessStatusChange.business_id)
                      .where(BusinessStatusChange.status == status, BusinessStatusChange.on.between(start, end),
                             in_area))

    def area_violations(*clauses):  # by the area copied onto the violation (services/kept.py)
        return _count(select(func.count(func.distinct(Violation.business_id)))
                      .join(Business, Business.id == Violation.business_id)
                      .where(Violation.found_on.between(start, end), Business.merged_into_id.is_(None),
                             scope.area_of(unit, Violation.ward_code, Violation.province_code), *clauses))

    row = db.session.execute(select(
        businesses.c.total, businesses.c.committed, businesses.c.opened,
        changed(BusinessStatus.CEASED),
        changed(BusinessStatus.CHANGED_LINE),
        area_violations(or_(Business.first_outreach_on < Violation.found_on,
                            Business.first_signed_on < Violation.found_on)),
        area_violations(Violation.openly_displayed.is_(True)),
        _count(select(func.count(OutreachSession.id))
               .where(OutreachSession.held_on.between(start, end), OutreachSession.unit_id.in_(mine))),
        _count(select(func.coalesce(func.sum(OutreachSession.people_reached), 0))
               .where(OutreachSession.held_on.between(start, end), OutreachSession.unit_id.in_(mine))),
        _count(select(func.count(Commitment.id))
               .where(Commitment.signed_on.between(start, end), Commitment.unit_id.in_(mine))),
        _count(select(func.count(Agreement.id))
               .where(Agreement.signed_on.between(start, end), Agreement.unit_id.in_(mine))),
        _count(select(func.count(Inspection.id))
               .where(Inspection.inspected_on.between(start, end), Inspection.unit_id.in_(mine))),
        _count(select(func.count(Tip.id))
               .where(Tip.received_at >= since, Tip.received_at < until, Tip.unit_id.in_(mine))),
        _count(select(func.count(Tip.id))
               .where(Tip.status == TipStatus.RESOLVED, Tip.closed_at >= since, Tip.closed_at < until,
                      Tip.unit_id.in_(mine))),
    ).select_from(businesses)).one()
    keys = ("businesses_total", "businesses_committed", "businesses_opened", "businesses_ceased",
            "businesses_changed_line", "violated_after_outreach_or_commitment", "openly_displaying",
            "outreach_sessions", "people_reached", "commitments_signed", "agreements_signed", "inspections",
            "tips_received", "tips_resolved")
    counts = {key: int(value or 0) for key, value in zip(keys, row, strict=True)}
    by_type = {t.value: 0 for t in ViolationType}
    fines = seized = 0
    for kind, number, fine, value in db.session.execute(
            select(Violation.type, func.count(Violation.id), func.coalesce(func.sum(Violation.fine), 0),
                   func.coalesce(func.sum(Violation.seized_value), 0)).where(found).group_by(Violation.type)):
        by_type[ViolationType(kind).value] = int(number)
        fines += int(fine)
        seized += int(value)
    counts.update(violations=sum(by_type.values()), fines_total=fines, seized_value=seized)
    return {"counts": {key: counts[key] for key in FIGURE_KEYS}, "violations_by_type": by_type,
            "targets": targets_of(unit, end), "by_unit": []}


def targets_of(unit: Unit, on: date) -> list[dict]:
    """The plan targets set for the unit's own area in that year, measured on that day."""
    if unit.ward_code:
        where = Target.ward_code == unit.ward_code
    elif unit.province_code:
        where = and_(Target.province_code == unit.province_code, Target.ward_code.is_(None))
    else:
        where = and_(Target.province_code.is_(None), Target.ward_code.is_(None))
    found = list(db.session.scalars(select(Target).where(where, Target.year == on.year)
                                    .options(joinedload(Target.plan).joinedload(Plan.unit)).order_by(Target.id)))
    measured_all = coverage.measure_many(found, on)
    rows = []
    for target in found:
        measured = measured_all[target.id]
        if measured.pending:
            continue
        value = measured.count if measured.count is not None else round(measured.percent or 0)
        rows.append({"id": target.id, "label": target.text, "target": target.percent if measured.count is None
                     else None, "measured": int(value or 0), "met": measured.met,
                     "unit": "count" if measured.count is not None else "percent",
                     "part": measured.part, "whole": measured.whole})
    return rows


def _empty() -> dict:
    return {"counts": dict.fromkeys(FIGURE_KEYS, 0), "violations_by_type": {t.value: 0 for t in ViolationType},
            "targets": [], "by_unit": []}


def figures_of(report: Report) -> dict:
    """The frozen figures of a submitted report; else computed now (for a consolidated draft, the
    sums of the submitted reports it compiles, broken down by unit)."""
    if report.status == ReportStatus.SUBMITTED and report.figures and "counts" in report.figures:
        return report.figures
    if report.kind == ReportKind.CONSOLIDATED:
        source = (report.figures or {}).get("source") or {}
        rule = db.session.get(ReportingRule, source.get("rule_id")) if source.get("rule_id") else None
        if rule is None:
            return _empty()
        roll = _rollup(rule, datetime.fromisoformat(source["due_at"]))
        result = roll.totals()
        result["targets"] = targets_of(report.unit, report.period_end)
        result["source"] = source
        return result
    return compute_figures(report.unit, report.period_start, report.period_end)


def evidence_url(key: str, report: Report) -> str | None:
    """The staff list that shows the records behind a figure, narrowed by ``from``, ``to`` and
    ``unit`` to the report's period and unit (portal.web.period_filter). The registry's list has no
    date filter, so the business figures link to the area's businesses of that status."""
    unit = report.unit
    period = {"from": report.period_start.isoformat(), "to": report.period_end.isoformat(), "unit": unit.id}
    ward = {"ward": unit.ward_code} if unit.ward_code else {}
    targets = {
        "businesses_total": ("internal.registry.index", ward),
        "businesses_committed": ("internal.outreach.commitments", {"unit": unit.id, "to": period["to"]}),
        "businesses_opened": ("internal.registry.index", {**ward, "status": BusinessStatus.NEW.value, **period}),
        "businesses_ceased": ("internal.registry.index", {**ward, "status": BusinessStatus.CEASED.value, **period}),
        "businesses_changed_line": ("internal.registry.index",
                                    {**ward, "status": BusinessStatus.CHANGED_LINE.value, **period}),
        "violated_after_outreach_or_commitment": ("internal.enforcement.violations", {**period, "after": "1"}),
        "openly_displaying": ("internal.enforcement.violations", {**period, "openly": "1"}),
        "outreach_sessions": ("internal.outreach.index", period),
        "people_reached": ("internal.outreach.index", period),
        "commitments_signed": ("internal.outreach.commitments", period),
        "agreements_signed": ("internal.outreach.agreements", period),
        "inspections": ("internal.enforcement.inspections", period),
        "violations": ("internal.enforcement.violations", period),
        "fines_total": ("internal.enforcement.violations", period),
        "seized_value": ("internal.enforcement.violations", period),
        "tips_received": ("internal.tips.index", period),
        "tips_resolved": ("internal.tips.index", {**period, "status": TipStatus.RESOLVED.value}),
    }
    if key not in targets:
        return None
    endpoint, args = targets[key]
    return url_for(endpoint, **{k: v for k, v in args.items() if v is not None})


# --- who may do what -------------------------------------------------------------------------

def can_view(user: User, report: Report) -> bool:
    """The unit and those above it; the receiving unit (and above) once it is submitted."""
    if scope.covers(user, report.unit):
        return True
    return report.status == ReportStatus.SUBMITTED and scope.covers(user, report.obligation.rule.receiver)


def can_view_obligation(user: User, obligation: ReportObligation) -> bool:
    return scope.covers(user, obligation.unit) or scope.covers(user, obligation.rule.receiver)


def can_write(user: User, unit: Unit) -> bool:
    """Staff of the unit itself draft its report (not a unit above it, not a viewer)."""
    return user.unit_id == unit.id and not user.read_only


def can_submit(user: User, report: Report) -> bool:
    return user.unit_id == report.unit_id and user.has_role(*SUBMITTERS) and not user.read_only


def can_roll_up(user: User, receiver: Unit) -> bool:
    return scope.covers(user, receiver)


def get_report(user: User, report_id: int) -> Report | None:
    report = db.session.get(Report, report_id)
    if report is not None and not can_view(user, report):
        raise AccessDenied()
    return report


def get_obligation(user: User, obligation_id: int) -> ReportObligation | None:
    obligation = db.session.get(ReportObligation, obligation_id)
    if obligation is not None and not can_view_obligation(user, obligation):
        raise AccessDenied()
    return obligation


def revisions(obligation: ReportObligation) -> list[Report]:
    """Every revision of the obligation's report, the latest first."""
    return list(db.session.scalars(select(Report).where(Report.obligation_id == obligation.id)
                                   .order_by(Report.revision.desc())))


def latest(obligation: ReportObligation) -> Report | None:
    return db.session.scalar(select(Report).where(Report.obligation_id == obligation.id)
                             .order_by(Report.revision.desc()).limit(1))


def latest_submitted(obligation: ReportObligation) -> Report | None:
    return db.session.scalar(select(Report).where(Report.obligation_id == obligation.id,
                                                  Report.status == ReportStatus.SUBMITTED)
                             .order_by(Report.revision.desc()).limit(1))


# --- drafts ----------------------------------------------------------------------------------

@dataclass
class ReportData:
    number: str | None = None
    place: str | None = None
    issued_on: date | None = None
    recipients: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    market_situation: str | None = None
    outreach_results: str | None = None
    enforcement_results: str | None = None
    progress: str | None = None
    difficulties: str | None = None
    proposals: str | None = None

    @classmethod
    def of(cls, report: Report) -> ReportData:
        return cls(**{name: getattr(report, name) for name in (*HEADER_FIELDS, *NARRATIVE_SECTIONS)})


def _new(actor: User, obligation: ReportObligation, kind: ReportKind) -> Report:
    start, end = period_of(obligation)
    unit = obligation.unit
    report = Report(obligation=obligation, unit=unit, kind=kind, period_start=start, period_end=end,
                    revision=1, created_by_id=actor.id, place=_place(unit),
                    recipients=obligation.rule.receiver.name, signer_title=None)
    return report


def _place(unit: Unit) -> str | None:
    if unit.ward and unit.ward.name:
        return unit.ward.name
    return unit.province.name if unit.province else None


def open_draft(actor: User, obligation: ReportObligation) -> Report:
    """The report of the obligation: its latest revision if there is one, else a new draft with
    the figures of its period (a quick report is pre-filled from its seizure)."""
    if not can_view_obligation(actor, obligation):
        raise AccessDenied()
    existing = latest(obligation)
    if existing is not None:
        return existing
    if not can_write(actor, obligation.unit):
        raise AccessDenied()
    if obligation.incident_id is not None:
        return quick_report(actor, obligation)
    report = _new(actor, obligation, ReportKind.PERIODIC)
    db.session.add(report)
    db.session.flush()
    audit.record("report.drafted", actor=actor, obj=report, unit_id=report.unit_id,
                 after={"obligation": obligation.id, "kind": report.kind.value})
    return report


def _check(report: Report, data: ReportData) -> dict:
    errors: dict[str, list] = {}
    for name in (*NARRATIVE_SECTIONS, "recipients"):
        value = getattr(data, name)
        if value and len(value) > MAX_TEXT:
            errors[name] = [_l("Keep this under %(count)s characters.", count=MAX_TEXT)]
    if data.issued_on and data.issued_on > deadlines.local_day(utcnow()) + timedelta(days=1):
        errors["issued_on"] = [_l("This date is in the future.")]
    return errors


def save(actor: User, report: Report, data: ReportData, *, version: int) -> Report:
    """The header fields and narrative of a draft; refused once submitted or when someone else
    saved it after the form was opened."""
    if not can_write(actor, report.unit):
        raise AccessDenied()
    if report.status == ReportStatus.SUBMITTED:
        raise Frozen(_l("This report was submitted and can no longer be changed. To correct it, start a "
                        "correction: it becomes a new revision and the differences are shown."))
    if version != report.version:
        raise ConflictingEdit()
    errors = _check(report, data)
    if errors:
        raise ValidationFailed(errors)
    fields = (*HEADER_FIELDS, *NARRATIVE_SECTIONS)
    before = audit.snapshot(report, fields)
    for name in fields:
        value = getattr(data, name)
        setattr(report, name, value.strip() if isinstance(value, str) and value.strip() else
                (value if not isinstance(value, str) else None))
    report.updated_at = utcnow()
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(report, fields))
    if new:
        audit.record("report.saved", actor=actor, obj=report, unit_id=report.unit_id, before=old, after=new)
    return report


def missing_sections(report: Report) -> list[str]:
    return [name for name in REQUIRED_SECTIONS[report.kind] if not (getattr(report, name) or "").strip()]


def submit(actor: User, report: Report, *, version: int) -> Report:
    """The unit's leader sends the report: its figures are frozen, the obligation is marked as
    submitted (late when after its deadline)."""
    if not can_submit(actor, report):
        raise AccessDenied()
    if report.status == ReportStatus.SUBMITTED:
        raise Frozen(_l("This report was already submitted; it cannot be submitted twice. To correct it, "
                        "start a correction."))
    if version != report.version:
        raise ConflictingEdit()
    missing = missing_sections(report)
    if missing:
        raise ValidationFailed({name: [_l("Write this section before submitting the report.")] for name in missing})
    figures = figures_of(report)
    now = utcnow()
    report.figures = figures
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by_id = now, actor.id
    obligation = report.obligation
    if obligation.submitted_at is None:
        obligation.submitted_at, obligation.submitted_by_id = now, actor.id
    db.session.flush()
    audit.record("report.submitted", actor=actor, obj=report, unit_id=report.unit_id,
                 after={"obligation": obligation.id, "revision": report.revision,
                        "late": report.submitted_at > obligation.due_at, "counts": figures["counts"]})
    return report


def correct(actor: User, report: Report) -> Report:
    """A new revision of a submitted report, to correct it: a draft with the same text whose
    figures are computed again; the open correction if one is already started."""
    if not can_write(actor, report.unit):
        raise AccessDenied()
    current = latest(report.obligation)
    if current.status == ReportStatus.DRAFT:
        return current
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationFailed({"": [_l("Only a submitted report can be corrected.")]})
    copy = Report(obligation_id=current.obligation_id, unit_id=current.unit_id, kind=current.kind,
                  period_start=current.period_start, period_end=current.period_end, revision=current.revision + 1,
                  previous_id=current.id, created_by_id=actor.id,
                  figures={"source": current.figures["source"]} if current.figures and "source" in current.figures
                  else None,
                  **{name: getattr(current, name) for name in (*HEADER_FIELDS, *NARRATIVE_SECTIONS)})
    db.session.add(copy)
    db.session.flush()
    audit.record("report.correction_started", actor=actor, obj=copy, unit_id=copy.unit_id,
                 after={"obligation": copy.obligation_id, "revision": copy.revision, "corrects": current.id})
    return copy


def differences(old: Report, new: Report) -> list[tuple[str, object, object]]:
    """What changed between two revisions: figures (key), violations by type ("type:…"),
    narrative sections and header fields."""
    a, b = figures_of(old), figures_of(new)
    found = [(key, a["counts"].get(key), b["counts"].get(key)) for key in FIGURE_KEYS
             if a["counts"].get(key) != b["counts"].get(key)]
    found += [(f"type:{t.value}", a["violations_by_type"].get(t.value, 0), b["violations_by_type"].get(t.value, 0))
              for t in ViolationType
              if a["violations_by_type"].get(t.value, 0) != b["violations_by_type"].get(t.value, 0)]
    found += [(name, getattr(old, name), getattr(new, name)) for name in (*NARRATIVE_SECTIONS, *HEADER_FIELDS)
              if getattr(old, name) != getattr(new, name)]
    return found


def label_of(key: str):
    """The words for a key of ``differences``."""
    if key.startswith("type:"):
        return VIOLATION_TYPE_LABELS.get(key[5:], key)
    return FIGURE_LABELS.get(key) or SECTION_LABELS.get(key) or HEADER_LABELS.get(key, key)


HEADER_LABELS = {"number": _l("Number and symbol"), "place": _l("Place"), "issued_on": _l("Date"),
                 "recipients": _l("Recipients"), "signer_name": _l("Signer"), "signer_title": _l("Signer's title")}


# --- the roll-up -----------------------------------------------------------------------------

@dataclass
class RollupRow:
    unit: Unit
    obligation: ReportObligation
    report: Report | None  # the latest submitted revision
    draft: bool  # a draft exists but is not submitted
    state: calendar.State

    @property
    def submitted(self) -> bool:
        return self.state in (calendar.State.SUBMITTED, calendar.State.SUBMITTED_LATE)


@dataclass
class Rollup:
    rule: ReportingRule
    due_at: datetime
    receiver: Unit
    rows: list[RollupRow] = field(default_factory=list)

    @property
    def submitted(self) -> list[RollupRow]:
        return [r for r in self.rows if r.state == calendar.State.SUBMITTED]

    @property
    def late(self) -> list[RollupRow]:
        return [r for r in self.rows if r.state == calendar.State.SUBMITTED_LATE]

    @property
    def missing(self) -> list[RollupRow]:
        return [r for r in self.rows if not r.submitted]

    @property
    def overdue(self) -> list[RollupRow]:
        return [r for r in self.rows if r.state == calendar.State.OVERDUE]

    def totals(self) -> dict:
        """The sums of the submitted reports, broken down by unit. An obligation marked as
        submitted without a report in the portal adds nothing (it was sent on paper)."""
        result = _empty()
        for row in self.rows:
            if row.report is None:
                continue
            figures = figures_of(row.report)
            for key in FIGURE_KEYS:
                result["counts"][key] += int(figures["counts"].get(key, 0))
            for kind, number in figures["violations_by_type"].items():
                result["violations_by_type"][kind] = result["violations_by_type"].get(kind, 0) + int(number)
            result["by_unit"].append({"unit_id": row.unit.id, "unit": row.unit.name, "report_id": row.report.id,
                                      "counts": dict(figures["counts"])})
        return result


def _rollup(rule: ReportingRule, due_at: datetime, now: datetime | None = None) -> Rollup:
    now = now or utcnow()
    obligations = list(db.session.scalars(
        select(ReportObligation).where(ReportObligation.rule_id == rule.id, ReportObligation.due_at == due_at,
                                       ReportObligation.incident_id.is_(None))
        .options(joinedload(ReportObligation.unit))))
    reports: dict[int, list[Report]] = {}
    if obligations:
        for report in db.session.scalars(select(Report).where(
                Report.obligation_id.in_([o.id for o in obligations])).order_by(Report.revision)):
            reports.setdefault(report.obligation_id, []).append(report)
    rows = []
    for o in obligations:
        found = reports.get(o.id, [])
        done = [r for r in found if r.status == ReportStatus.SUBMITTED]
        rows.append(RollupRow(unit=o.unit, obligation=o, report=done[-1] if done else None,
                              draft=any(r.status == ReportStatus.DRAFT for r in found), state=calendar.state(o, now)))
    rows.sort(key=lambda r: (r.submitted, r.unit.name))
    return Rollup(rule=rule, due_at=due_at, receiver=rule.receiver, rows=rows)


def rollup(actor: User, receiver_unit: Unit, rule: ReportingRule, due_at: datetime) -> Rollup:
    """For one deadline of a rule, each reporting unit: submitted, submitted late, or not yet."""
    if rule.receiver_unit_id != receiver_unit.id:
        raise ValidationFailed({"": [_l("This unit does not receive these reports.")]})
    if not can_roll_up(actor, receiver_unit):
        raise AccessDenied()
    return _rollup(rule, due_at)


def received_rules(actor: User) -> list[ReportingRule]:
    """The scheduled rules whose reports a unit in the actor's scope receives."""
    return list(db.session.scalars(
        select(ReportingRule).join(ReportingRule.plan)
        .where(ReportingRule.receiver_unit_id.in_(scope.unit_ids(actor)),
               ReportingRule.kind != RuleKind.AFTER_INCIDENT)
        .options(joinedload(ReportingRule.plan), joinedload(ReportingRule.receiver))
        .order_by(Plan.issued_on.desc(), ReportingRule.id)))


def deadlines_of(rule: ReportingRule, now: datetime | None = None, limit: int = 12) -> list[tuple[datetime, int, int]]:
    """The rule's latest deadlines up to a week ahead: (due_at, obligations, submitted), newest first."""
    now = now or utcnow()
    rows = db.session.execute(
        select(ReportObligation.due_at, func.count(ReportObligation.id),
               func.count(ReportObligation.submitted_at))
        .where(ReportObligation.rule_id == rule.id, ReportObligation.incident_id.is_(None),
               ReportObligation.due_at <= now + timedelta(days=7))
        .group_by(ReportObligation.due_at).order_by(ReportObligation.due_at.desc()).limit(limit))
    return [(due, int(total), int(done)) for due, total, done in rows]


def remind(actor: User, obligation: ReportObligation) -> ReportReminder:
    """A reminder to a unit that has not submitted: queued here, sent by the reminder sender."""
    if not can_roll_up(actor, obligation.rule.receiver) or actor.read_only:
        raise AccessDenied()
    if obligation.submitted_at is not None:
        raise ValidationFailed({"": [_l("This unit has already submitted this report.")]})
    from portal.services import reminders  # noqa: PLC0415 (reminders is only needed here)

    recipients = reminders.addresses(obligation.unit)  # each valid address of the unit, as planned ones
    if not recipients:
        raise ValidationFailed({"": [_l("%(unit)s has no email address: add one to the unit first.",
                                        unit=obligation.unit.name)]})
    now = utcnow()
    with force_locale("vi"):  # sent in the language of the administration
        subject = str(_l("Reminder: %(report)s due %(due)s", report=obligation.rule.name,
                         due=deadlines.local_day(obligation.due_at).strftime("%d/%m/%Y")))
        body = str(_l("%(receiver)s has not yet received the report \"%(report)s\" of %(unit)s, due "
                      "%(due)s. Please submit it in the portal as soon as possible.",
                      receiver=obligation.rule.receiver.name, report=obligation.rule.name,
                      unit=obligation.unit.name,
                      due=deadlines.local_day(obligation.due_at).strftime("%d/%m/%Y")))
    stamp = now.strftime('%Y%m%dT%H%M%S%f')
    queued = [ReportReminder(key=f"missed:{obligation.id}:{obligation.unit_id}:manual:{stamp}:{address.lower()}"[:250],
                             kind=ReminderKind.MISSED, obligation_id=obligation.id, unit_id=obligation.unit_id,
                             recipient=address, subject=subject, body=body, created_at=now)
              for address in recipients]
    db.session.add_all(queued)
    db.session.flush()
    audit.record("report.reminder_queued", actor=actor, obj=obligation, unit_id=obligation.rule.receiver_unit_id,
                 after={"unit": obligation.unit_id, "recipient": ", ".join(r.recipient for r in queued)})
    return queued[0]


def upward_obligation(receiver: Unit, rule: ReportingRule, due_at: datetime) -> ReportObligation | None:
    """The receiving unit's own obligation to report upward: under a rule it reports under, the
    first deadline at or after this one (a rule of the same plan first)."""
    candidates = list(db.session.scalars(
        select(ReportObligation).join(ReportObligation.rule)
        .where(ReportObligation.unit_id == receiver.id, ReportObligation.incident_id.is_(None),
               ReportObligation.due_at >= due_at, ReportingRule.kind != RuleKind.AFTER_INCIDENT)
        .order_by(ReportObligation.due_at).limit(20)))
    same_plan = [o for o in candidates if o.rule.plan_id == rule.plan_id]
    return (same_plan or candidates or [None])[0]


def consolidated_draft(actor: User, receiver_unit: Unit, rule: ReportingRule, due_at: datetime) -> Report:
    """The receiving unit's own report upward, whose figures are the sums of the submitted
    reports of this deadline, by unit; it is written and submitted like any report."""
    if rule.receiver_unit_id != receiver_unit.id:
        raise ValidationFailed({"": [_l("This unit does not receive these reports.")]})
    if not can_write(actor, receiver_unit):
        raise AccessDenied()
    obligation = upward_obligation(receiver_unit, rule, due_at)
    if obligation is None:
        raise ValidationFailed({"": [_l("%(unit)s has no report of its own to send upward after this deadline, "
                                        "so there is nothing to consolidate into. A plan must give it a reporting "
                                        "rule first.", unit=receiver_unit.name)]})
    source = {"rule_id": rule.id, "due_at": due_at.isoformat()}
    existing = latest(obligation)
    if existing is not None:
        if existing.status == ReportStatus.DRAFT and existing.kind != ReportKind.CONSOLIDATED:
            existing.kind, existing.figures = ReportKind.CONSOLIDATED, {"source": source}
            db.session.flush()
        return existing
    report = _new(actor, obligation, ReportKind.CONSOLIDATED)
    report.figures = {"source": source}
    db.session.add(report)
    db.session.flush()
    audit.record("report.drafted", actor=actor, obj=report, unit_id=report.unit_id,
                 after={"obligation": obligation.id, "kind": report.kind.value, "source": source})
    return report


def quick_report(actor: User, obligation: ReportObligation) -> Report:
    """The 24-hour report after a seizure, pre-filled from its incident and violation."""
    if obligation.incident_id is None:
        raise ValidationFailed({"": [_l("Only a seizure starts a quick report.")]})
    if not can_write(actor, obligation.unit):
        raise AccessDenied()
    existing = latest(obligation)
    if existing is not None:
        return existing
    report = _new(actor, obligation, ReportKind.QUICK)
    incident: Incident = obligation.incident
    violation = db.session.scalar(select(Violation).where(Violation.incident_id == incident.id)
                                  .options(joinedload(Violation.business), joinedload(Violation.goods_category)))
    with force_locale("vi"):  # stored: in the language of the records
        lines = [incident.description]
        if violation is not None:
            lines.append(str(_l("Business: %(name)s, %(address)s.", name=violation.business.name,
                                address=violation.business.address)))
            lines.append(str(_l("Violation: %(type)s.", type=VIOLATION_TYPE_LABELS[violation.type.value])))
            if violation.goods_category:
                lines.append(str(_l("Goods: %(goods)s%(brand)s.", goods=violation.goods_category.name_vi,
                                    brand=f" ({violation.brand})" if violation.brand else "")))
            if violation.quantity:
                lines.append(str(_l("Quantity seized: %(quantity)s.", quantity=violation.quantity)))
            if violation.seized_value:
                lines.append(str(_l("Value of goods seized: %(value)s VND.",
                                    value=f"{violation.seized_value:,}".replace(",", "."))))
            if violation.decision_number:
                lines.append(str(_l("Sanction decision %(number)s.", number=violation.decision_number)))
            if violation.fine:
                lines.append(str(_l("Fine: %(fine)s VND.", fine=f"{violation.fine:,}".replace(",", "."))))
    report.enforcement_results = "\n".join(lines)
    db.session.add(report)
    db.session.flush()
    audit.record("report.drafted", actor=actor, obj=report, unit_id=report.unit_id,
                 after={"obligation": obligation.id, "kind": report.kind.value,
                        "violation": violation.id if violation else None})
    return report


def quick_violation(report: Report) -> Violation | None:
    if report.obligation.incident_id is None:
        return None
    return db.session.scalar(select(Violation).where(Violation.incident_id == report.obligation.incident_id))


__all__ = ["FIGURES", "Frozen", "ReportData", "Rollup", "compute_figures", "consolidated_draft", "correct",
           "differences", "evidence_url", "figures_of", "open_draft", "quick_report", "remind", "rollup", "save",
           "submit"]
