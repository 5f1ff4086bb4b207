"""Inspections, violations and sanction decisions, with the facts the portal works out, and
the list of sanctioned businesses to follow up."""
from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.internal.forms.admin import options, unit_options
from portal.internal.forms.enforcement import DecisionForm, InspectionForm, ProposeForm, ViolationForm
from portal.models import (
    GoodsCategory,
    Inspection,
    InspectionKind,
    InspectionResult,
    Unit,
    Violation,
    ViolationState,
    ViolationType,
)
from portal.services import deadlines, enforcement, outreach, publication, registry
from portal.services.errors import AccessDenied, ValidationFailed
from portal.web import filtered_page, period_filter, render, submit

bp = Blueprint("enforcement", __name__)

ID = "<int(max=2147483647):{}>"


def _goods_choices(blank: bool):
    goods = db.session.scalars(select(GoodsCategory).where(GoodsCategory.active).order_by(GoodsCategory.name_vi))
    return options(([("", "—")] if blank else []) + [(g.code, g.name(str(get_locale()))) for g in goods])


# --- inspections -----------------------------------------------------------------------------

@bp.get("/inspections/")
def inspections():
    stmt, period = period_filter(enforcement.inspections(current_user), current_user,
                                 day_column=Inspection.inspected_on, unit_column=Inspection.unit_id)
    page, result = filtered_page(stmt, column=Inspection.result, enum=InspectionResult, arg="result")
    return render("internal/enforcement/inspections.html", page=page, result=result, period=period)


@bp.route(f"/businesses/{ID.format('business_id')}/inspections/new", methods=["GET", "POST"])
def new_inspection(business_id: int):
    business = registry.get(current_user, business_id) or abort(404)
    if not enforcement.can_record(current_user):
        raise AccessDenied()
    form = InspectionForm()
    form.plan_id.choices = options([("", "—")] + [(p.id, str(p)) for p in outreach.plans(current_user)])
    units = list(db.session.scalars(select(Unit).where(Unit.id != current_user.unit_id).order_by(Unit.path)))
    form.member_ids.choices = unit_options(units)
    form.goods.choices = _goods_choices(blank=False)
    if request.method == "GET":
        form.inspected_on.data = registry.today()
        form.goods.data = [g.code for g in business.goods]
    outcome = submit(form, lambda: enforcement.record_inspection(current_user, enforcement.InspectionData(
        inspected_on=form.inspected_on.data, kind=InspectionKind(form.kind.data), business_id=business.id,
        result=InspectionResult(form.result.data), plan_id=form.plan_id.data,
        member_ids=[i for i in form.member_ids.data or [] if i], goods=form.goods.data or [], note=form.note.data)),
        message=lambda i: _("The inspection of %(name)s has been recorded.", name=business.name),
        next_url=lambda i: url_for("internal.enforcement.inspection", inspection_id=i.id))
    return outcome.response or render("internal/enforcement/inspection_form.html", form=form, business=business,
                                      status=outcome.status)


@bp.get(f"/inspections/{ID.format('inspection_id')}")
def inspection(inspection_id: int):
    found = enforcement.get_inspection(current_user, inspection_id) or abort(404)
    return render("internal/enforcement/inspection.html", inspection=found,
                  facts=enforcement.facts(found.violations), can_record=enforcement.can_record(current_user, found))


# --- violations ------------------------------------------------------------------------------

def _decision(form) -> enforcement.Decision:
    return enforcement.Decision(number=form.decision_number.data, decided_on=form.decision_on.data,
                                authority=form.decision_authority.data, fine=form.fine.data,
                                remedies=form.remedies.data, state=ViolationState(form.state.data))


@bp.route(f"/inspections/{ID.format('inspection_id')}/violations/new", methods=["GET", "POST"])
def new_violation(inspection_id: int):
    found = enforcement.get_inspection(current_user, inspection_id) or abort(404)
    if not enforcement.can_record(current_user, found):
        raise AccessDenied()
    form = ViolationForm()
    form.goods.choices = _goods_choices(blank=True)
    if request.method == "GET" and found.goods:
        form.goods.data = found.goods[0].code

    def record():
        seized_at = None
        if form.seized_on.data and form.seized_time.data:
            seized_at = deadlines.local_instant(form.seized_on.data, form.seized_time.data)
        elif form.seized_on.data or form.seized_time.data:
            raise ValidationFailed({"seized_on": [_("Give both the day and the hour of the seizure.")]})
        try:
            return enforcement.record_violation(current_user, found, enforcement.ViolationData(
                type=ViolationType(form.type.data), goods=form.goods.data or None, brand=form.brand.data,
                openly_displayed=form.openly_displayed.data, quantity=form.quantity.data,
                seized_value=form.seized_value.data, seized_at=seized_at, decision=_decision(form)))
        except ValidationFailed as refused:
            moved = {"seized_at": "seized_on", "occurred_on": "seized_on"}  # the seizure's fields on this form
            refused.errors = {moved.get(k, k): v for k, v in refused.errors.items()}
            raise

    outcome = submit(form, record, message=lambda v: _("The violation has been recorded."),
                     next_url=lambda v: url_for("internal.enforcement.violation", violation_id=v.id))
    return outcome.response or render("internal/enforcement/violation_form.html", form=form, inspection=found,
                                      status=outcome.status)


@bp.get("/violations/")
def violations():
    stmt, period = period_filter(enforcement.violations(current_user), current_user,
                                 day_column=Violation.found_on, unit_column=Violation.unit_id)
    if request.args.get("openly") == "1":
        stmt = stmt.where(Violation.openly_displayed.is_(True))
    page, kind = filtered_page(stmt, column=Violation.type, enum=ViolationType, arg="type")
    return render("internal/enforcement/violations.html", page=page, kind=kind, facts=enforcement.facts(page.items),
                  period=period)


def _decision_form(violation, formdata=None) -> DecisionForm:
    form = DecisionForm(formdata=formdata) if formdata is not None else DecisionForm(obj=violation, formdata=None)
    if formdata is None:
        form.state.data = violation.state.value
    return form


@bp.route(f"/violations/{ID.format('violation_id')}", methods=["GET", "POST"])
def violation(violation_id: int):
    found = enforcement.get_violation(current_user, violation_id) or abort(404)
    can_record = enforcement.can_record(current_user, found.inspection)
    if request.method == "POST" and not can_record:
        raise AccessDenied()
    form = _decision_form(found, request.form if request.method == "POST" else None)
    outcome = submit(form, lambda: enforcement.update_decision(current_user, found, _decision(form),
                                                               version=form.version.data),
                     message=lambda v: _("The decision has been saved."),
                     next_url=lambda v: url_for("internal.enforcement.violation", violation_id=v.id))
    if outcome.response:
        return outcome.response
    found = enforcement.get_violation(current_user, violation_id)
    return render("internal/enforcement/violation.html", violation=found, form=form, can_record=can_record,
                  facts=enforcement.facts([found])[found.id], status=outcome.status,
                  publication=publication.of_violation(found), eligibility=publication.eligibility(found),
                  propose_form=ProposeForm(formdata=None))


@bp.get("/violations/follow-up")
def follow_up():
    return render("internal/enforcement/follow_up.html", rows=enforcement.follow_up(current_user))
