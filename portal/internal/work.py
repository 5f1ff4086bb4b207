"""My work: the page a staff member lands on: the tasks, report deadlines and quotas of their
unit, soonest first, overdue on top. Progress is posted here, inline with htmx."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.db import utcnow
from portal.extensions import db
from portal.internal.forms.plans import ProgressForm
from portal.models import EvidenceFile, Plan, PlanStatus, ProgressStatus, Task
from portal.models.plans import task_coordinators
from portal.services import calendar, deadlines, files, plans, quotas
from portal.services.errors import ValidationFailed
from portal.web import apply_errors, done, render, wants_fragment

bp = Blueprint("work", __name__)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def evidence_folder() -> Path:
    return Path(current_app.instance_path) / "evidence"


def my_tasks() -> list[Task]:
    unit_id = current_user.unit_id
    coordinating = select(task_coordinators.c.task_id).where(task_coordinators.c.unit_id == unit_id)
    stmt = (select(Task).join(Task.plan)
            .where(or_(Task.lead_unit_id == unit_id, Task.id.in_(coordinating)),
                   Plan.status.in_([PlanStatus.IN_FORCE, PlanStatus.DRAFT]))
            .options(selectinload(Task.coordinators), selectinload(Task.plan), selectinload(Task.lead_unit)))
    return list(db.session.scalars(stmt))


def _ordered(tasks: list[Task], latest: dict, today) -> list[Task]:
    def key(task):
        overdue = plans.is_overdue(task, latest.get(task.id), today)
        done = latest.get(task.id) is not None and latest[task.id].status == ProgressStatus.DONE
        return (not overdue, done, task.due_on or today.replace(year=today.year + 100), task.id)

    return sorted(tasks, key=key)


@bp.get("/")
def index():
    now = utcnow()
    today = deadlines.local_day(now)
    tasks = my_tasks()
    latest = plans.latest_updates(tasks)
    obligations = calendar.entries(current_user.unit_id, now)
    return render("internal/work/index.html", tasks=_ordered(tasks, latest, today), latest=latest, today=today,
                  obligations=obligations, now=now, state=calendar.state,
                  quotas=quotas.progress(quotas.for_user(current_user)),
                  overdue={t.id for t in tasks if plans.is_overdue(t, latest.get(t.id), today)},
                  form=ProgressForm())


def _store_evidence(form: ProgressForm) -> list[EvidenceFile]:
    stored = []
    for upload in form.files.data or []:
        if not getattr(upload, "filename", ""):
            continue
        try:
            item = files.store(upload, kinds={"pdf", "docx", "jpg", "jpeg", "png"}, max_bytes=MAX_EVIDENCE_BYTES,
                               folder=evidence_folder())
        except files.FileRefused as refused:
            raise ValidationFailed({"files": [refused.message]}) from None
        stored.append(EvidenceFile(stored_name=item.stored_name, original_name=item.original_name,
                                   mime_type=item.mime_type, size=item.size))
    return stored


@bp.post("/work/tasks/<int(max=2147483647):task_id>/progress")
def progress(task_id: int):
    task = plans.get_task(current_user, task_id)
    if task is None:
        abort(404)
    form = ProgressForm()
    status = 422
    if form.validate():
        try:
            plans.post_progress(current_user, task, ProgressStatus(form.status.data), form.narrative.data,
                                _store_evidence(form))
        except ValidationFailed as refused:
            apply_errors(form, refused.errors)
        else:
            db.session.commit()
            flash(_("Progress on the task has been posted."), "success")
            if not wants_fragment(f"task-{task.id}"):
                return done(url_for("internal.work.index") + f"#task-{task.id}")
            form, status = ProgressForm(formdata=None), 200
    today = deadlines.local_day(utcnow())
    latest = plans.latest_updates([task])
    overdue = {task.id} if plans.is_overdue(task, latest.get(task.id), today) else set()
    template = "internal/work/_task.html" if wants_fragment(f"task-{task.id}") else "internal/work/progress.html"
    return render(template, task=task, latest=latest, today=today, form=form, overdue=overdue,
                  oob_messages=True, status=status)


@bp.get("/work/evidence/<int(max=2147483647):file_id>")
def evidence(file_id: int):
    item = db.session.get(EvidenceFile, file_id) or abort(404)
    from portal.models import ProgressUpdate

    update = db.session.get(ProgressUpdate, item.progress_id)
    if plans.get_task(current_user, update.task_id) is None:
        abort(404)
    try:
        path = files.open_stored(evidence_folder(), item.stored_name)
    except FileNotFoundError:
        abort(404)
    return files.download_response(path, original_name=item.original_name, mime_type=item.mime_type)
