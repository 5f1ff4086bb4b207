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
from portal.models import EvidenceFile, Plan, PlanStatus, ProgressStatus, ProgressUpdate, Task
from portal.models.plans import task_coordinators
from portal.services import calendar, deadlines, files, plans, quotas
from portal.services.errors import AccessDenied, ValidationFailed
from portal.web import apply_errors, done, render, wants_fragment

bp = Blueprint("work", __name__)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def evidence_folder() -> Path:
    return Path(current_app.instance_path) / "evidence"


def my_tasks() -> list[Task]:
    unit_id = current_user.unit_id
    coordinating = select(task_coordinators.c.task_id).where(task_coordinators.c.unit_id == unit_id)
    stmt = (select(Task).join(Task.plan)
            .where(or_(Task.lead_unit_id == unit_id, Task.id.in_(coordinating)), Plan.status == PlanStatus.IN_FORCE)
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
                  forms={t.id: progress_form(t, formdata=None) for t in tasks})


def progress_form(task: Task, **kwargs) -> ProgressForm:
    """One form per task card, its field ids prefixed so that labels stay unique on the page."""
    return ProgressForm(prefix=f"task{task.id}", **kwargs)


def _store_evidence(form: ProgressForm) -> list[EvidenceFile]:
    """Store every file or none: one refused file removes those already written."""
    stored: list[EvidenceFile] = []
    try:
        for upload in form.files.data or []:
            if not getattr(upload, "filename", ""):
                continue
            item = files.store(upload, kinds={"pdf", "docx", "jpg", "jpeg", "png"}, max_bytes=MAX_EVIDENCE_BYTES,
                               folder=evidence_folder())
            stored.append(EvidenceFile(stored_name=item.stored_name, original_name=item.original_name,
                                       mime_type=item.mime_type, size=item.size))
    except files.FileRefused as refused:
        _remove(stored)
        raise ValidationFailed({"files": [refused.message]}) from None
    return stored


def _remove(stored: list[EvidenceFile]) -> None:
    for item in stored:
        (evidence_folder() / item.stored_name).unlink(missing_ok=True)


@bp.post("/work/tasks/<int(max=2147483647):task_id>/progress")
def progress(task_id: int):
    task = plans.get_task(current_user, task_id)
    if task is None:
        abort(404)
    if not plans.can_post_progress(current_user, task):  # before any file touches the disk
        raise AccessDenied()
    form = progress_form(task)
    status = 422
    if form.validate():
        stored: list[EvidenceFile] = []
        try:
            stored = _store_evidence(form)
            plans.post_progress(current_user, task, ProgressStatus(form.status.data), form.narrative.data, stored)
            db.session.commit()
        except ValidationFailed as refused:
            db.session.rollback()
            _remove(stored)
            apply_errors(form, refused.errors)
        except Exception:
            db.session.rollback()
            _remove(stored)
            raise
        else:
            flash(_("Progress on the task has been posted."), "success")
            if not wants_fragment(f"task-{task.id}"):
                return done(url_for("internal.work.index") + f"#task-{task.id}")
            form, status = progress_form(task, formdata=None), 200
    today = deadlines.local_day(utcnow())
    latest = plans.latest_updates([task])
    overdue = {task.id} if plans.is_overdue(task, latest.get(task.id), today) else set()
    template = "internal/work/_task.html" if wants_fragment(f"task-{task.id}") else "internal/work/progress.html"
    return render(template, task=task, latest=latest, today=today, forms={task.id: form}, overdue=overdue,
                  oob_messages=True, status=status)


@bp.get("/work/evidence/<int(max=2147483647):file_id>")
def evidence(file_id: int):
    item = db.session.get(EvidenceFile, file_id) or abort(404)
    update = db.session.get(ProgressUpdate, item.progress_id)
    if not plans.can_see_progress(current_user, update.task):
        raise AccessDenied()
    try:
        path = files.open_stored(evidence_folder(), item.stored_name)
    except FileNotFoundError:
        abort(404)
    return files.download_response(path, original_name=item.original_name, mime_type=item.mime_type)
