"""Plans, their tasks, targets and reporting rules: who may see and change them, and the
report obligations the rules produce."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import selectinload

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    GoodsCategory,
    Incident,
    Plan,
    PlanCitation,
    PlanKind,
    PlanStatus,
    ProgressStatus,
    ProgressUpdate,
    Report,
    ReportingRule,
    ReportObligation,
    Role,
    RuleKind,
    Task,
    Unit,
    User,
)
from portal.models.plans import rule_reporters, task_coordinators
from portal.services import audit, deadlines, deletion, scope
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed

EDITORS = (Role.LEADER, Role.ADMIN)
MAX_PERIOD_YEARS = 10


# --- who may see and change what -------------------------------------------------------------

def visible_plans(user: User) -> Select:
    """Plans issued in the user's scope, and plans that give a task or a report to it."""
    mine = scope.unit_ids(user)
    involved = or_(
        Plan.unit_id.in_(mine),
        exists().where(Task.plan_id == Plan.id, Task.lead_unit_id.in_(mine)),
        exists().where(Task.plan_id == Plan.id, task_coordinators.c.task_id == Task.id,
                       task_coordinators.c.unit_id.in_(mine)),
        exists().where(ReportingRule.plan_id == Plan.id, or_(
            ReportingRule.receiver_unit_id.in_(mine),
            exists().where(rule_reporters.c.rule_id == ReportingRule.id, rule_reporters.c.unit_id.in_(mine)))),
    )
    return select(Plan).where(involved)


def can_view(user: User, plan: Plan) -> bool:
    return db.session.scalar(visible_plans(user).where(Plan.id == plan.id).with_only_columns(Plan.id)) is not None


def usable_plan(user: User, plan_id: int | None) -> bool:
    """A plan a record may say it serves: none, or one the user can see."""
    if not plan_id:
        return True
    plan = db.session.get(Plan, plan_id)
    return plan is not None and can_view(user, plan)


def can_edit(user: User, plan: Plan) -> bool:
    """Leaders and administrators of the issuing unit or a unit above it."""
    return user.has_role(*EDITORS) and scope.covers(user, plan.unit)


def get_plan(user: User, plan_id: int) -> Plan | None:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        return None
    if not can_view(user, plan):
        raise AccessDenied()
    return plan


def ensure_can_edit(user: User, plan: Plan) -> None:
    if not can_edit(user, plan):
        raise AccessDenied()


def assignable_units(actor: User, plan: Plan) -> Select:
    """Units an editor may give a task or a report under this plan: those in the editor's scope
    and, for a plan of a province or ward, in that province."""
    stmt = select(Unit).where(Unit.path.startswith(actor.unit.path)).order_by(Unit.path)
    if plan.unit.province_code:
        stmt = stmt.where(Unit.province_code == plan.unit.province_code)
    return stmt


def _assignable(actor: User, plan: Plan, ids: list[int]) -> list[Unit] | None:
    """The units of those ids, or None when one of them may not be assigned."""
    if not ids:
        return []
    units = list(db.session.scalars(assignable_units(actor, plan).where(Unit.id.in_(ids))))
    return units if len(units) == len(set(ids)) else None


def can_see_progress(user: User, task: Task) -> bool:
    """Progress and its evidence: the lead and coordinating units, the units above them, and the
    plan's editors. Seeing a plan because another of its tasks is yours is not enough."""
    units = [task.lead_unit, *task.coordinators]
    return can_edit(user, task.plan) or any(scope.covers(user, unit) for unit in units)


def can_post_progress(user: User, task: Task) -> bool:
    """The lead and the coordinating units post progress on a task, not viewers."""
    if user.read_only:
        return False
    return user.unit_id == task.lead_unit_id or user.unit_id in {u.id for u in task.coordinators}


# --- plans -----------------------------------------------------------------------------------

@dataclass
class PlanData:
    number: str
    kind: PlanKind
    title: str
    unit_id: int
    issued_on: date
    starts_on: date
    ends_on: date
    start_time: time | None = None
    end_time: time | None = None
    status: PlanStatus = PlanStatus.DRAFT
    goods: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)


AUDITED = ("number", "kind", "title", "unit_id", "issued_on", "starts_at", "ends_at", "status")


def period(data: PlanData) -> tuple[datetime, datetime]:
    return (deadlines.local_instant(data.starts_on, data.start_time or time(0, 0)),
            deadlines.local_instant(data.ends_on, data.end_time))


def _check_plan(actor: User, data: PlanData, plan: Plan | None) -> None:
    errors: dict[str, list] = {}
    unit = db.session.get(Unit, data.unit_id)
    if unit is None or not scope.covers(actor, unit):
        errors["unit_id"] = [_l("Choose an issuing unit in your scope.")]
    taken = select(Plan.id).where(Plan.unit_id == data.unit_id, Plan.number == data.number)
    if plan is not None:
        taken = taken.where(Plan.id != plan.id)
    if "unit_id" not in errors and db.session.scalar(taken):
        errors["number"] = [_l("This unit has already issued a document with this number.")]
    starts_at, ends_at = period(data)
    if ends_at <= starts_at:
        errors["ends_on"] = [_l("The end must come after the start.")]
    elif data.ends_on.year - data.starts_on.year > MAX_PERIOD_YEARS:
        errors["ends_on"] = [_l("A plan's period can last at most %(num)d years.", num=MAX_PERIOD_YEARS)]
    if errors:
        raise ValidationFailed(errors)


def _apply(plan: Plan, data: PlanData) -> None:
    plan.number, plan.kind, plan.title = data.number, data.kind, data.title
    plan.unit_id, plan.issued_on, plan.status = data.unit_id, data.issued_on, data.status
    plan.starts_at, plan.ends_at = period(data)
    plan.goods = list(db.session.scalars(select(GoodsCategory).where(GoodsCategory.code.in_(data.goods))))
    wanted = list(dict.fromkeys(n.strip() for n in data.cites if n.strip()))
    plan.citations = [c for c in plan.citations if c.cited_number in wanted] + [
        PlanCitation(cited_number=n) for n in wanted if n not in {c.cited_number for c in plan.citations}]
    for citation in plan.citations:
        citation.cited_plan = _resolve(citation.cited_number, plan)


def create_plan(actor: User, data: PlanData) -> Plan:
    scope.ensure_role(actor, *EDITORS)
    _check_plan(actor, data, None)
    plan = Plan(created_by_id=actor.id)
    _apply(plan, data)
    db.session.add(plan)
    db.session.flush()
    _link_citing_plans(plan)
    audit.record("plan.created", actor=actor, obj=plan, unit_id=plan.unit_id,
                 after=audit.snapshot(plan, AUDITED))
    return plan


def update_plan(actor: User, plan: Plan, data: PlanData, *, version: int) -> Plan:
    ensure_can_edit(actor, plan)
    if version != plan.version:
        raise ConflictingEdit()
    _check_plan(actor, data, plan)
    before = audit.snapshot(plan, AUDITED)
    old_period = (plan.starts_at, plan.ends_at)
    _apply(plan, data)
    plan.updated_at = utcnow()  # goods and citations alone move the version too
    db.session.flush()
    if old_period != (plan.starts_at, plan.ends_at) or before["status"] != plan.status.value:
        for rule in plan.rules:
            sync_obligations(rule)
    old, new = audit.changes(before, audit.snapshot(plan, AUDITED))
    audit.record("plan.updated", actor=actor, obj=plan, unit_id=plan.unit_id, before=old, after=new)
    return plan


def _resolve(number: str, citing: Plan) -> Plan | None:
    """The cited document, when exactly one plan of that number was issued by the citing unit,
    a unit above it, or a unit of the same province (numbers are unique only per issuer)."""
    unit = db.session.get(Unit, citing.unit_id)
    ancestors = [int(i) for i in unit.path.strip("/").split("/") if i]
    near = or_(Plan.unit_id.in_(ancestors), Unit.province_code == unit.province_code) if unit.province_code \
        else Plan.unit_id.in_(ancestors)
    found = list(db.session.scalars(select(Plan).join(Plan.unit).where(
        Plan.number == number, Plan.id != citing.id, near).limit(2)))
    return found[0] if len(found) == 1 else None


def _link_citing_plans(plan: Plan) -> None:
    """Plans entered earlier that cite this one by number now link to it."""
    for citation in db.session.scalars(select(PlanCitation).where(
            PlanCitation.cited_number == plan.number, PlanCitation.cited_plan_id.is_(None),
            PlanCitation.plan_id != plan.id)):
        if _resolve(plan.number, citation.plan) == plan:
            citation.cited_plan_id = plan.id


def cited_by(user: User, plan: Plan) -> list[Plan]:
    """The plans the user may see that implement or cite this one."""
    stmt = (visible_plans(user).join(PlanCitation, PlanCitation.plan_id == Plan.id)
            .where(PlanCitation.cited_plan_id == plan.id).order_by(Plan.issued_on))
    return list(db.session.scalars(stmt))


# --- tasks and progress ----------------------------------------------------------------------

@dataclass
class TaskData:
    description: str
    lead_unit_id: int
    coordinator_ids: list[int] = field(default_factory=list)
    due_on: date | None = None
    recurrence: str | None = None


def save_task(actor: User, plan: Plan, data: TaskData, task: Task | None = None, *,
              version: int | None = None) -> Task:
    ensure_can_edit(actor, plan)
    if task is not None and version != task.version:
        raise ConflictingEdit()
    errors: dict[str, list] = {}
    coordinators = _assignable(actor, plan, data.coordinator_ids)
    if (data.due_on is None) == (data.recurrence is None):
        errors["due_on"] = [_l("Give either a due date or a recurrence.")]
    if not _assignable(actor, plan, [data.lead_unit_id]):
        errors["lead_unit_id"] = [_l("Choose the lead unit.")]
    if coordinators is None:
        errors["coordinator_ids"] = [_l("Choose units in your scope and in the plan's area.")]
    if data.lead_unit_id in data.coordinator_ids:
        errors["coordinator_ids"] = [_l("The lead unit cannot also be a coordinating unit.")]
    if errors:
        raise ValidationFailed(errors)
    task = task or Task(plan=plan)
    before = {"description": task.description, "lead_unit_id": task.lead_unit_id} if task.id else None
    task.description, task.lead_unit_id, task.due_on = data.description, data.lead_unit_id, data.due_on
    task.recurrence, task.coordinators = data.recurrence, coordinators
    task.updated_at = utcnow()  # coordinators live in another table: touch the row so its version moves
    db.session.add(task)
    db.session.flush()
    audit.record("task.saved", actor=actor, obj=task, unit_id=plan.unit_id, before=before,
                 after={"description": task.description, "lead_unit_id": task.lead_unit_id,
                        "coordinators": sorted(data.coordinator_ids)})
    return task


def get_task(user: User, task_id: int) -> Task | None:
    task = db.session.get(Task, task_id)
    if task is None:
        return None
    if not (can_view(user, task.plan) or can_post_progress(user, task)):
        raise AccessDenied()
    return task


def post_progress(actor: User, task: Task, status: ProgressStatus, narrative: str, files=()) -> ProgressUpdate:
    if not can_post_progress(actor, task):
        raise AccessDenied()
    update = ProgressUpdate(task=task, unit_id=actor.unit_id, author_id=actor.id, status=status,
                            narrative=narrative, files=list(files))
    db.session.add(update)
    db.session.flush()
    audit.record("task.progress", actor=actor, obj=task, unit_id=actor.unit_id,
                 after={"status": status.value, "files": len(update.files)})
    return update


def latest_updates(tasks: list[Task]) -> dict[int, ProgressUpdate]:
    """The newest progress update of each task, in one query."""
    if not tasks:
        return {}
    newest = (select(ProgressUpdate.task_id, db.func.max(ProgressUpdate.id).label("id"))
              .where(ProgressUpdate.task_id.in_([t.id for t in tasks])).group_by(ProgressUpdate.task_id)
              .subquery())
    rows = db.session.scalars(select(ProgressUpdate).join(newest, ProgressUpdate.id == newest.c.id)
                              .options(selectinload(ProgressUpdate.unit), selectinload(ProgressUpdate.files)))
    return {u.task_id: u for u in rows}


def tasks_of(plan: Plan) -> list[Task]:
    """A plan's tasks with their units, in three queries whatever their number."""
    return list(db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id).options(
        selectinload(Task.lead_unit), selectinload(Task.coordinators), selectinload(Task.plan))))


def rules_of(plan: Plan) -> list[ReportingRule]:
    return list(db.session.scalars(select(ReportingRule).where(ReportingRule.plan_id == plan.id)
                                   .order_by(ReportingRule.id)
                                   .options(selectinload(ReportingRule.reporters),
                                            selectinload(ReportingRule.receiver))))


def obligation_counts(rules: list[ReportingRule]) -> dict[int, int]:
    if not rules:
        return {}
    rows = db.session.execute(select(ReportObligation.rule_id, db.func.count())
                              .where(ReportObligation.rule_id.in_([r.id for r in rules]))
                              .group_by(ReportObligation.rule_id))
    counts = dict(rows.all())
    return {r.id: counts.get(r.id, 0) for r in rules}


def is_overdue(task: Task, latest: ProgressUpdate | None, today: date) -> bool:
    done = latest is not None and latest.status == ProgressStatus.DONE
    return task.due_on is not None and task.due_on < today and not done


# --- reporting rules and obligations ---------------------------------------------------------

@dataclass
class RuleData:
    name: str
    kind: RuleKind
    receiver_unit_id: int
    reporter_ids: list[int]
    day: int | None = None
    month: int | None = None
    weekday: int | None = None
    at: time | None = None
    hours_after: int | None = None
    once_on: date | None = None

    def spec(self) -> deadlines.RuleSpec:
        return deadlines.RuleSpec(kind=self.kind, day=self.day, month=self.month, weekday=self.weekday,
                                  at=self.at, hours_after=self.hours_after, once_on=self.once_on)


def spec_of(rule: ReportingRule) -> deadlines.RuleSpec:
    at = time(rule.hour, rule.minute or 0) if rule.hour is not None else None
    return deadlines.RuleSpec(kind=rule.kind, day=rule.day, month=rule.month, weekday=rule.weekday, at=at,
                              hours_after=rule.hours_after, once_on=rule.once_on)


def add_rule(actor: User, plan: Plan, data: RuleData) -> ReportingRule:
    ensure_can_edit(actor, plan)
    errors = deadlines.problems(data.spec(), plan.starts_at, plan.ends_at)
    reporters = _assignable(actor, plan, data.reporter_ids)
    if not reporters:
        errors["reporter_ids"] = [_l("Choose the units that must report.")]
    if db.session.get(Unit, data.receiver_unit_id) is None:
        errors["receiver_unit_id"] = [_l("Choose the unit that receives the reports.")]
    if errors:
        raise ValidationFailed(errors)
    rule = ReportingRule(plan=plan, name=data.name, kind=data.kind, day=data.day, month=data.month,
                         weekday=data.weekday, hour=data.at.hour if data.at else None,
                         minute=data.at.minute if data.at else None, hours_after=data.hours_after,
                         once_on=data.once_on, receiver_unit_id=data.receiver_unit_id, reporters=reporters)
    db.session.add(rule)
    db.session.flush()
    sync_obligations(rule)
    audit.record("rule.created", actor=actor, obj=rule, unit_id=plan.unit_id,
                 after={"name": rule.name, "kind": rule.kind.value})
    return rule


def sync_obligations(rule: ReportingRule) -> None:
    """Make the rule's scheduled obligations match its deadlines in the plan's period;
    obligations already submitted, and those started by incidents, are kept."""
    due = deadlines.deadlines(spec_of(rule), rule.plan.starts_at, rule.plan.ends_at)
    if rule.plan.status in (PlanStatus.FINISHED, PlanStatus.REPLACED):
        now = utcnow()  # an ended plan asks for no more reports
        due = [instant for instant in due if instant <= now]
    wanted = {(unit.id, instant) for unit in rule.reporters for instant in due}
    have = {(o.unit_id, o.due_at): o for o in rule.obligations if o.incident_id is None}
    for key, obligation in have.items():
        if key not in wanted and obligation.submitted_at is None:
            db.session.delete(obligation)
    for unit_id, instant in sorted(wanted - set(have)):
        db.session.add(ReportObligation(rule=rule, unit_id=unit_id, due_at=instant))
    db.session.flush()


def can_start_incident(user: User, rule: ReportingRule) -> bool:
    """A unit that reports under a quick-report rule records its own seizures."""
    return (rule.kind == RuleKind.AFTER_INCIDENT and not user.read_only
            and user.unit_id in {u.id for u in rule.reporters})


def start_incident(actor: User, rule: ReportingRule, occurred_at: datetime, description: str) -> ReportObligation:
    """A seizure (entered by hand until enforcement records exist) starts a quick-report deadline
    for the actor's unit."""
    if not can_start_incident(actor, rule):
        raise AccessDenied()
    if not rule.plan.starts_at <= occurred_at <= min(rule.plan.ends_at, utcnow() + timedelta(minutes=5)):
        raise ValidationFailed({"occurred_on": [_l("The seizure must fall inside the plan's period and not in "
                                                   "the future.")]})
    incident = Incident(rule_id=rule.id, unit_id=actor.unit_id, occurred_at=occurred_at,
                        description=description, created_by_id=actor.id)
    db.session.add(incident)
    db.session.flush()
    obligation = ReportObligation(rule=rule, unit_id=actor.unit_id, incident_id=incident.id,
                                  due_at=deadlines.incident_deadline(spec_of(rule), occurred_at))
    db.session.add(obligation)
    db.session.flush()
    audit.record("incident.started", actor=actor, obj=incident, unit_id=actor.unit_id,
                 after={"rule": rule.name, "due_at": obligation.due_at.isoformat()})
    return obligation


def delete_rule(actor: User, rule: ReportingRule) -> None:
    """Only a rule with no history: nothing submitted or drafted under it and no incident recorded.
    Its deadlines go (restoring the rule sets them again); the rule itself is only marked deleted."""
    ensure_can_edit(actor, rule.plan)
    started = db.session.scalar(select(Report.id).join(ReportObligation, Report.obligation_id == ReportObligation.id)
                                .where(ReportObligation.rule_id == rule.id).limit(1))
    if started or any(o.submitted_at or o.incident_id for o in rule.obligations):
        raise ValidationFailed({"": [_l("Reports were started or submitted, or seizures recorded, under this "
                                        "rule, so it stays as the record of them.")]})
    for obligation in list(rule.obligations):
        db.session.delete(obligation)
    deletion.mark_deleted(rule, actor)
    db.session.flush()
    audit.record("rule.deleted", actor=actor, obj=rule, unit_id=rule.plan.unit_id,
                 before={"name": rule.name, "kind": rule.kind.value})


def recently_deleted_rules(user: User, plan: Plan) -> list[ReportingRule]:
    """The plan's deleted rules, for an editor to restore."""
    return deletion.recently_deleted(ReportingRule, ReportingRule.plan_id == plan.id) if can_edit(user, plan) else []


def get_deleted_rule(user: User, rule_id: int) -> ReportingRule | None:
    """A deleted rule, None when there is none; AccessDenied when the user may not restore it."""
    rule = deletion.get_deleted(ReportingRule, rule_id)
    if rule is not None:
        ensure_can_edit(user, rule.plan)
    return rule


def restore_rule(actor: User, rule: ReportingRule) -> ReportingRule:
    """Bring a deleted rule back and set its deadlines again, as adding it would."""
    ensure_can_edit(actor, rule.plan)
    if rule.deleted:
        deletion.unmark(rule)
        db.session.flush()
        db.session.expire(rule, ["obligations"])
        sync_obligations(rule)
        audit.record("rule.restored", actor=actor, obj=rule, unit_id=rule.plan.unit_id,
                     after={"name": rule.name, "kind": rule.kind.value, "deadlines": len(rule.obligations)})
    return rule
