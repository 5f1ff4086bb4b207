"""Quotas: a team leader gives each inspector concrete counts for a period."""
from __future__ import annotations

from flask import Blueprint, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.internal.forms.plans import QuotaForm, options
from portal.models import QuotaMetric, User
from portal.services import quotas
from portal.services.errors import AccessDenied
from portal.web import render, submit

bp = Blueprint("quotas", __name__, url_prefix="/quotas")


@bp.route("/", methods=["GET", "POST"])
def index():
    leader = current_user.has_role(*quotas.LEADERS)
    form = QuotaForm()
    form.user_id.choices = options((u.id, f"{u.full_name} — {u.unit.name}") for u in quotas.inspectors(current_user))
    outcome = None
    if leader:
        def assign():
            inspector = db.session.get(User, form.user_id.data)
            return quotas.assign(current_user, inspector, QuotaMetric(form.metric.data), form.amount.data,
                                 form.starts_on.data, form.ends_on.data)

        outcome = submit(form, assign, message=lambda q: _("The quota has been given."),
                         next_url=lambda q: url_for("internal.quotas.index"))
        if outcome.response:
            return outcome.response
    elif form.is_submitted():
        raise AccessDenied()
    rows = quotas.progress(quotas.in_scope(current_user))
    return render("internal/quotas/index.html", form=form, rows=rows, leader=leader,
                  status=outcome.status if outcome else 200)
