"""Plans: the list, the page of everything that hangs from a plan, and its editing."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.i18n import local_datetime
from portal.internal.forms.fields import EmptyForm
from portal.internal.forms.plans import (
    IncidentForm,
    PlanForm,
    RuleForm,
    TargetForm,
    TaskForm,
    fill_units,
    lines,
    options,
)
from portal.models import GoodsCategory, Plan, PlanKind, PlanStatus, ReportingRule, RuleKind, Target, Task, Unit
from portal.services import audit, coverage, deadlines, files, plans, scope, units
from portal.services.errors import ValidationFailed
from portal.web import act, apply_errors, done, filtered_page, render, submit

bp = Blueprint("plans", __name__, url_prefix="/plans")

ID = "<int(max=2147483647):{}>"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def upload_folder() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _load(plan_id: int) -> Plan:
    plan = plans.get_plan(current_user, plan_id)
    if plan is None:
        abort(404)
    return plan


@bp.get("/")
def index():
    page, _none = filtered_page(plans.visible_plans(current_user).order_by(Plan.issued_on.desc(), Plan.id.desc())
                                .options(joinedload(Plan.unit)))
    return render("internal/plans/index.html", page=page, can_create=current_user.has_role(*plans.EDITORS))


@bp.get(f"/{ID.format('plan_id')}")
def detail(plan_id: int):
    plan = _load(plan_id)
    tasks = plans.tasks_of(plan)
    rules = plans.rules_of(plan)
    latest = plans.latest_updates(tasks)
    today = deadlines.local_day(utcnow())
    visible = set(db.session.scalars(plans.visible_plans(current_user).with_only_columns(Plan.id).where(
        Plan.id.in_([c.cited_plan_id for c in plan.citations if c.cited_plan_id]))))
    return render("internal/plans/detail.html", plan=plan, tasks=tasks, rules=rules, latest=latest, today=today,
                  overdue={t.id for t in tasks if plans.is_overdue(t, latest.get(t.id), today)},
                  progress_shown={t.id for t in tasks if plans.can_see_progress(current_user, t)},
                  visible_citations=visible, cited_by=plans.cited_by(current_user, plan),
                  can_edit=plans.can_edit(current_user, plan), form=EmptyForm(),
                  incident_forms={r.id: IncidentForm(prefix=f"rule{r.id}", formdata=None) for r in rules
                                  if plans.can_start_incident(current_user, r)},
                  obligation_counts=plans.obligation_counts(rules),
                  deleted_rules=plans.recently_deleted_rules(current_user, plan),
                  measured={t.id: coverage.measure(t, today) for t in plan.targets})


def _plan_form(plan: Plan | None) -> PlanForm:
    form = PlanForm(obj=plan) if plan is not None and request.method == "GET" else PlanForm()
    fill_units(form.unit_id, units.list_units(current_user))
    goods = db.session.scalars(select(GoodsCategory).where(GoodsCategory.active).order_by(GoodsCategory.name_vi))
    form.goods.choices = options((g.code, g.name(str(get_locale()))) for g in goods)
    if plan is not None and request.method == "GET":
        local_start, local_end = plan.starts_at.astimezone(deadlines.VIETNAM), plan.ends_at.astimezone(deadlines.VIETNAM)
        form.kind.data, form.status.data = plan.kind.value, plan.status.value
        form.starts_on.data, form.ends_on.data = local_start.date(), local_end.date()
        form.start_time.data = local_start.time() if local_start.time() != datetime.min.time() else None
        form.end_time.data = local_end.time() if local_end.time() != deadlines.END_OF_DAY else None
        form.goods.data = [g.code for g in plan.goods]
        form.cites.data = "\n".join(c.cited_number for c in plan.citations)
    elif plan is None and request.method == "GET":
        form.unit_id.data = current_user.unit_id
    return form


def _plan_data(form: PlanForm) -> plans.PlanData:
    return plans.PlanData(
        number=form.number.data, kind=PlanKind(form.kind.data), title=form.title.data, unit_id=form.unit_id.data,
        issued_on=form.issued_on.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        start_time=form.start_time.data, end_time=form.end_time.data, status=PlanStatus(form.status.data),
        goods=form.goods.data or [], cites=lines(form.cites.data))


def _attach_document(form: PlanForm, plan: Plan) -> None:
    upload = form.document.data
    if not upload or not getattr(upload, "filename", ""):
        return
    try:
        stored = files.store(upload, kinds={"pdf", "docx"}, max_bytes=MAX_DOCUMENT_BYTES, folder=upload_folder())
    except files.FileRefused as refused:
        raise ValidationFailed({"document": [refused.message]}) from None
    plan.document_name, plan.document_original_name = stored.stored_name, stored.original_name
    plan.document_mime_type, plan.document_size = stored.mime_type, stored.size


def _save_plan(form: PlanForm, plan: Plan | None) -> Plan:
    if plan is None:
        plan = plans.create_plan(current_user, _plan_data(form))
    else:
        plans.update_plan(current_user, plan, _plan_data(form), version=form.version.data)
    _attach_document(form, plan)
    return plan


@bp.route("/new", methods=["GET", "POST"])
def create():
    scope.ensure_role(current_user, *plans.EDITORS)
    form = _plan_form(None)
    outcome = submit(form, lambda: _save_plan(form, None),
                     message=lambda plan: _("The plan %(number)s has been saved.", number=plan.number),
                     next_url=lambda plan: url_for("internal.plans.detail", plan_id=plan.id))
    return outcome.response or render("internal/plans/form.html", form=form, plan=None, status=outcome.status)


@bp.route(f"/{ID.format('plan_id')}/edit", methods=["GET", "POST"])
def edit(plan_id: int):
    plan = _load(plan_id)
    plans.ensure_can_edit(current_user, plan)
    form = _plan_form(plan)
    outcome = submit(form, lambda: _save_plan(form, plan),
                     message=lambda saved: _("The plan %(number)s has been saved.", number=saved.number),
                     next_url=lambda saved: url_for("internal.plans.detail", plan_id=saved.id))
    return outcome.response or render("internal/plans/form.html", form=form, plan=plan, status=outcome.status)


@bp.get(f"/{ID.format('plan_id')}/document")
def document(plan_id: int):
    plan = _load(plan_id)
    if not plan.document_name:
        abort(404)
    try:
        path = files.open_stored(upload_folder(), plan.document_name)
    except FileNotFoundError:
        abort(404)
    return files.download_response(path, original_name=plan.document_original_name,
                                   mime_type=plan.document_mime_type)


# --- tasks ---------------------------------------------------------------------------------

def _task_units(plan: Plan) -> list[Unit]:
    return list(db.session.scalars(plans.assignable_units(current_user, plan)))


def _task_form(plan: Plan, task: Task | None) -> TaskForm:
    form = TaskForm(obj=task) if task is not None and request.method == "GET" else TaskForm()
    assignable = _task_units(plan)
    fill_units(form.lead_unit_id, assignable)
    fill_units(form.coordinator_ids, assignable)
    if task is not None and request.method == "GET":
        form.coordinator_ids.data = [u.id for u in task.coordinators]
        form.recurrence.data = task.recurrence.value if task.recurrence else None
    return form


def _task_data(form: TaskForm) -> plans.TaskData:
    return plans.TaskData(description=form.description.data, lead_unit_id=form.lead_unit_id.data,
                          coordinator_ids=form.coordinator_ids.data or [], due_on=form.due_on.data,
                          recurrence=form.recurrence.data)


@bp.route(f"/{ID.format('plan_id')}/tasks/new", methods=["GET", "POST"])
def new_task(plan_id: int):
    plan = _load(plan_id)
    plans.ensure_can_edit(current_user, plan)
    form = _task_form(plan, None)
    outcome = submit(form, lambda: plans.save_task(current_user, plan, _task_data(form)),
                     message=lambda task: _("The task has been saved."),
                     next_url=lambda task: url_for("internal.plans.detail", plan_id=plan.id) + "#tasks")
    return outcome.response or render("internal/plans/task_form.html", form=form, plan=plan, task=None,
                                      status=outcome.status)


@bp.route("/tasks/<int(max=2147483647):task_id>/edit", methods=["GET", "POST"])
def edit_task(task_id: int):
    task = db.session.get(Task, task_id) or abort(404)
    plan = _load(task.plan_id)
    plans.ensure_can_edit(current_user, plan)
    form = _task_form(plan, task)
    outcome = submit(form, lambda: plans.save_task(current_user, plan, _task_data(form), task,
                                                   version=form.version.data),
                     message=lambda saved: _("The task has been saved."),
                     next_url=lambda saved: url_for("internal.plans.detail", plan_id=plan.id) + "#tasks")
    return outcome.response or render("internal/plans/task_form.html", form=form, plan=plan, task=task,
                                      status=outcome.status)


# --- reporting rules -------------------------------------------------------------------------

def _rule_form(plan: Plan) -> RuleForm:
    form = RuleForm()
    assignable = _task_units(plan)
    receivers = assignable + [u for u in ([plan.unit.parent] if plan.unit.parent else []) if u not in assignable]
    fill_units(form.receiver_unit_id, receivers)
    fill_units(form.reporter_ids, assignable)
    if request.method == "GET":
        form.receiver_unit_id.data = plan.unit_id
    return form


def _rule_data(form: RuleForm) -> plans.RuleData:
    kind = RuleKind(form.kind.data)
    used = {
        RuleKind.MONTHLY: {"day", "at"}, RuleKind.YEARLY: {"day", "month", "at"},
        RuleKind.WEEKLY: {"weekday", "at"}, RuleKind.AFTER_INCIDENT: {"hours_after"}, RuleKind.ONCE: {"once_on", "at"},
    }[kind]
    value = {name: getattr(form, name).data if name in used else None
             for name in ("day", "month", "weekday", "at", "hours_after", "once_on")}
    if value["weekday"] is not None:
        value["weekday"] -= 1  # the form counts Monday as 1
    return plans.RuleData(name=form.name.data, kind=kind, receiver_unit_id=form.receiver_unit_id.data,
                          reporter_ids=form.reporter_ids.data or [], **value)


@bp.route(f"/{ID.format('plan_id')}/rules/new", methods=["GET", "POST"])
def new_rule(plan_id: int):
    plan = _load(plan_id)
    plans.ensure_can_edit(current_user, plan)
    form = _rule_form(plan)
    outcome = submit(form, lambda: plans.add_rule(current_user, plan, _rule_data(form)),
                     message=lambda rule: _("The reporting rule has been added: %(count)d deadlines.",
                                            count=len(rule.obligations)),
                     next_url=lambda rule: url_for("internal.plans.detail", plan_id=plan.id) + "#rules")
    return outcome.response or render("internal/plans/rule_form.html", form=form, plan=plan, status=outcome.status)


@bp.post("/rules/<int(max=2147483647):rule_id>/delete")
def delete_rule(rule_id: int):
    rule = db.session.get(ReportingRule, rule_id) or abort(404)
    _load(rule.plan_id)
    return act(lambda: plans.delete_rule(current_user, rule), message=_("The reporting rule has been removed."),
               next_url=url_for("internal.plans.detail", plan_id=rule.plan_id) + "#rules")


@bp.post("/rules/<int(max=2147483647):rule_id>/restore")
def restore_rule(rule_id: int):
    rule = plans.get_deleted_rule(current_user, rule_id) or abort(404)
    if not EmptyForm().validate():
        abort(400)
    return act(lambda: plans.restore_rule(current_user, rule),
               message=_("The reporting rule %(name)s has been restored with its deadlines.", name=rule.name),
               next_url=url_for("internal.plans.detail", plan_id=rule.plan_id) + "#rules")


@bp.post("/rules/<int(max=2147483647):rule_id>/incidents")
def start_incident(rule_id: int):
    rule = db.session.get(ReportingRule, rule_id) or abort(404)
    plan = _load(rule.plan_id)
    if not plans.can_start_incident(current_user, rule):
        abort(403)
    form = IncidentForm(prefix=f"rule{rule.id}")
    if form.validate():
        occurred = deadlines.local_instant(form.occurred_on.data, form.occurred_at.data)
        try:
            obligation = plans.start_incident(current_user, rule, occurred, form.description.data)
        except ValidationFailed as refused:
            db.session.rollback()
            apply_errors(form, {("occurred_on" if k == "" else k): v for k, v in refused.errors.items()})
        else:
            db.session.commit()
            flash(_("A quick report is now due from your unit by %(due)s.",
                    due=local_datetime(obligation.due_at)), "success")
            return done(url_for("internal.calendar.index"))
    return render("internal/plans/incident_form.html", form=form, plan=plan, rule=rule, status=422)


# --- targets ---------------------------------------------------------------------------------

@bp.route(f"/{ID.format('plan_id')}/targets/new", methods=["GET", "POST"])
def new_target(plan_id: int):
    plan = _load(plan_id)
    plans.ensure_can_edit(current_user, plan)
    form = TargetForm()

    def add():
        from datetime import date

        target = Target(plan=plan, year=form.year.data, due_on=date(form.year.data, 12, 31),
                        percent=form.percent.data, category=form.category.data, measure=form.measure.data,
                        province_code=plan.unit.province_code, ward_code=plan.unit.ward_code, text=form.text.data)
        db.session.add(target)
        db.session.flush()
        audit.record("target.created", actor=current_user, obj=target, unit_id=plan.unit_id,
                     after={"year": target.year, "percent": target.percent, "category": target.category})
        return target

    outcome = submit(form, add, message=lambda t: _("The target has been added."),
                     next_url=lambda t: url_for("internal.plans.detail", plan_id=plan.id) + "#targets")
    return outcome.response or render("internal/plans/target_form.html", form=form, plan=plan, status=outcome.status)


