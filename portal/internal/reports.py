"""Reports: drafts computed from the records, submission, revisions, the roll-up of a receiving unit."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.db import utcnow
from portal.extensions import db
from portal.internal.forms.fields import EmptyForm
from portal.internal.forms.reports import ReportForm, VersionForm
from portal.models import Report, ReportingRule, ReportStatus
from portal.services import calendar, reports
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from portal.web import act, apply_errors, done, render, submit

bp = Blueprint("reports", __name__, url_prefix="/reports")

ID = "<int(max=2147483647):{}>"


def _obligation(obligation_id: int):
    return reports.get_obligation(current_user, obligation_id) or abort(404)


def _report(report_id: int) -> Report:
    return reports.get_report(current_user, report_id) or abort(404)


def _page(obligation, report, form=None, *, status: int = 200, refusal=None):
    """The report page of an obligation: the draft with its form, or the submitted report."""
    figures = reports.figures_of(report) if report is not None else None
    history = reports.revisions(obligation)
    previous = report.previous if report is not None and report.previous_id else None
    return render("internal/reports/report.html", status=status, obligation=obligation, report=report,
                  figures=figures, form=form, history=history, refusal=refusal,
                  changes=reports.differences(previous, report) if previous else [],
                  can_write=reports.can_write(current_user, obligation.unit),
                  can_submit=report is not None and reports.can_submit(current_user, report),
                  action_form=EmptyForm(), **_helpers())


DUE_FORMAT = "%Y%m%dT%H%M%SZ"


def due_key(instant: datetime) -> str:
    """A deadline in an address: UTC, compact, nothing to escape (20250604T070000Z)."""
    return instant.astimezone(UTC).strftime(DUE_FORMAT)


def _helpers() -> dict:
    return dict(due_key=due_key, FIGURES=reports.FIGURES, MONEY=reports.MONEY, SECTION_LABELS=reports.SECTION_LABELS,
                SECTIONS=list(reports.SECTION_LABELS), evidence_url=reports.evidence_url, label_of=reports.label_of,
                OBLIGATION_STATE=calendar.state, now=utcnow())


def _open(obligation):
    """The obligation's report; a draft is made when its unit opens it for the first time."""
    report = reports.latest(obligation)
    if report is None and reports.can_write(current_user, obligation.unit):
        try:
            report = reports.open_draft(current_user, obligation)
            db.session.commit()
        except IntegrityError:  # two people opened it at the same moment: the other draft stands
            db.session.rollback()
            report = reports.latest(obligation)
    return report


@bp.get("/")
def index():
    rules = reports.received_rules(current_user)
    return render("internal/reports/index.html", rules=[(rule, reports.deadlines_of(rule)) for rule in rules],
                  **_helpers())


@bp.route(f"/obligations/{ID.format('obligation_id')}", methods=["GET", "POST"])
def obligation(obligation_id: int):
    found = _obligation(obligation_id)
    report = _open(found)
    if report is not None and not reports.can_view(current_user, report):  # the receiver reads no draft
        report = reports.latest_submitted(found)
    if report is None or report.status == ReportStatus.SUBMITTED:
        if request.method == "POST":
            if report is None:
                raise AccessDenied()
            return _page(found, report, status=409, refusal=_(
                "This report was submitted and can no longer be changed. To correct it, start a correction: it "
                "becomes a new revision and the differences are shown."))
        return _page(found, report)
    if not reports.can_write(current_user, found.unit):
        if request.method == "POST":  # a unit above reads the draft; only the unit itself writes it
            raise AccessDenied()
        return _page(found, report)
    form = ReportForm(obj=report)
    going_on = request.form.get("action") == "submit"
    outcome = submit(form, lambda: reports.save(current_user, report, form.data_for_service(),
                                                version=form.version.data),
                     message=lambda r: _("The report has been saved."),
                     next_url=lambda r: url_for("internal.reports.confirm", report_id=r.id) if going_on
                     else url_for("internal.reports.obligation", obligation_id=found.id),
                     also=(reports.Frozen,))
    if outcome.response:
        return outcome.response
    return _page(found, report, form, status=outcome.status,
                 refusal=outcome.refusal.message if outcome.refusal else None)


@bp.get(f"/{ID.format('report_id')}")
def report(report_id: int):
    found = _report(report_id)
    latest = reports.latest(found.obligation)
    if latest.id == found.id and found.status == ReportStatus.DRAFT:
        return done(url_for("internal.reports.obligation", obligation_id=found.obligation_id))
    return _page(found.obligation, found)


@bp.route(f"/{ID.format('report_id')}/submit", methods=["GET", "POST"])
def confirm(report_id: int):
    """Submitting asks for a confirmation: what is sent, and that it cannot be changed after."""
    found = _report(report_id)
    if not reports.can_submit(current_user, found):
        raise AccessDenied()
    if found.status == ReportStatus.SUBMITTED:
        return _page(found.obligation, found, status=409 if request.method == "POST" else 200,
                     refusal=_("This report was already submitted; it cannot be submitted twice. To correct it, "
                               "start a correction."))
    form = VersionForm(obj=found)
    if form.validate_on_submit():
        try:
            reports.submit(current_user, found, version=form.version.data)
        except ValidationFailed as refused:
            db.session.rollback()
            edit = ReportForm(obj=found)
            apply_errors(edit, refused.errors)
            return _page(found.obligation, found, edit, status=422)
        except (ConflictingEdit, StaleDataError):
            db.session.rollback()
            flash(_("Someone else changed this report while you were looking at it. Look at it again."), "error")
            return done(url_for("internal.reports.obligation", obligation_id=found.obligation_id))
        except reports.Frozen as frozen:
            db.session.rollback()
            return _page(found.obligation, found, status=409, refusal=frozen.message)
        db.session.commit()
        late = found.submitted_at > found.obligation.due_at
        flash(_("The report has been submitted late.") if late else _("The report has been submitted."), "success")
        return done(url_for("internal.reports.obligation", obligation_id=found.obligation_id))
    return render("internal/reports/confirm.html", status=422 if form.is_submitted() else 200, report=found,
                  form=form, figures=reports.figures_of(found), missing=reports.missing_sections(found), **_helpers())


@bp.post(f"/{ID.format('report_id')}/correct")
def correct(report_id: int):
    found = _report(report_id)
    EmptyForm().validate_on_submit() or abort(400)
    return act(lambda: reports.correct(current_user, found),
               message=_("A correction has been started: edit it, then submit it. The report as first "
                         "submitted is kept."),
               next_url=url_for("internal.reports.obligation", obligation_id=found.obligation_id))


# --- the roll-up ---------------------------------------------------------------------------------

def _rule(rule_id: int) -> ReportingRule:
    rule = db.session.get(ReportingRule, rule_id) or abort(404)
    if not reports.can_roll_up(current_user, rule.receiver):
        raise AccessDenied()
    return rule


def _due(rule: ReportingRule) -> datetime:
    value = request.args.get("due", "")
    if value:
        try:
            return datetime.strptime(value[:20], DUE_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            abort(404)
    found = reports.deadlines_of(rule, limit=1)
    if not found:
        abort(404)
    return found[0][0]


@bp.get(f"/rules/{ID.format('rule_id')}/rollup")
def rollup(rule_id: int):
    rule = _rule(rule_id)
    due = _due(rule)
    roll = reports.rollup(current_user, rule.receiver, rule, due)
    if not roll.rows:
        abort(404)
    return render("internal/reports/rollup.html", roll=roll, totals=roll.totals(), form=EmptyForm(),
                  upward=reports.upward_obligation(rule.receiver, rule, due),
                  can_write=reports.can_write(current_user, rule.receiver),
                  deadlines=reports.deadlines_of(rule), **_helpers())


@bp.post(f"/obligations/{ID.format('obligation_id')}/remind")
def remind(obligation_id: int):
    found = _obligation(obligation_id)
    EmptyForm().validate_on_submit() or abort(400)
    return act(lambda: reports.remind(current_user, found),
               message=_("A reminder will be sent to %(unit)s.", unit=found.unit.name),
               next_url=url_for("internal.reports.rollup", rule_id=found.rule_id, due=due_key(found.due_at)))


@bp.post(f"/rules/{ID.format('rule_id')}/consolidated")
def consolidated(rule_id: int):
    rule = _rule(rule_id)
    due = _due(rule)
    EmptyForm().validate_on_submit() or abort(400)
    try:
        compiled = reports.consolidated_draft(current_user, rule.receiver, rule, due)
    except ValidationFailed as refused:
        db.session.rollback()
        for messages in refused.errors.values():
            for text in messages:
                flash(text, "error")
        return done(url_for("internal.reports.rollup", rule_id=rule.id, due=due_key(due)))
    db.session.commit()
    return done(url_for("internal.reports.obligation", obligation_id=compiled.obligation_id))
