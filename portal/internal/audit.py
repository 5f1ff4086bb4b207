"""The audit log, read-only, for administrators: this blueprint has no route that changes an entry."""
from __future__ import annotations

from datetime import time, timedelta

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from portal.extensions import db
from portal.forms import PortalForm
from portal.internal.forms.fields import MAX_ID, max_length, strip
from portal.labels import AUDIT_ACTION_LABELS, AUDIT_OBJECT_LABELS
from portal.models import Role
from portal.services import audit, scope
from portal.services.deadlines import local_instant
from portal.web import page_number, render

bp = Blueprint("audit", __name__, url_prefix="/audit")

PER_PAGE = 50


class AuditFilterForm(PortalForm):
    """The filters, read from the query string (a GET form: nothing to protect with a token)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Event"), choices=[], default="")
    object_type = SelectField(_l("Kind of record"), choices=[], default="")
    object_id = IntegerField(_l("Record number"), validators=[
        Optional(), NumberRange(min=1, max=MAX_ID, message=_l("Enter a record number from the log."))])
    user = StringField(_l("User name"), filters=[strip], validators=[max_length(60)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end of the period must not come before its start."))


def _form() -> AuditFilterForm:
    form = AuditFilterForm(formdata=request.args)
    # every action written has a label (tests/test_audit_labels.py): no query over the whole log for them
    form.action.choices = [("", _l("All events"))] + sorted(AUDIT_ACTION_LABELS.items(), key=lambda c: str(c[1]))
    form.object_type.choices = [("", _l("All kinds"))] + sorted(
        ((t, AUDIT_OBJECT_LABELS.get(t, t)) for t in audit.object_types()), key=lambda c: str(c[1]))
    return form


def _filters(form: AuditFilterForm) -> dict:
    """The values of the fields that are valid (a mistyped one is pointed out and left out)."""
    value = {name: field.data or None for name, field in form._fields.items() if not field.errors}
    return {"action": value.get("action"), "username": value.get("user"),
            "object_type": value.get("object_type"), "object_id": value.get("object_id"),
            "since": local_instant(value["since"], time(0)) if value.get("since") else None,
            "until": local_instant(value["until"] + timedelta(days=1), time(0)) if value.get("until") else None}


@bp.get("/")
def index():
    scope.ensure_role(current_user, Role.ADMIN)
    form = _form()
    valid = form.validate()
    page = db.paginate(audit.entries_for(current_user, **_filters(form)), page=page_number(),
                       per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    args = {k: v for k, v in request.args.items() if k in form._fields and v}
    return render("internal/audit/index.html", page=page, form=form, args=args, masked=audit.MASKED,
                  object_labels=AUDIT_OBJECT_LABELS, status=200 if valid else 422)
