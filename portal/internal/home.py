"""The staff overview: the leader's dashboard of their area for a year (targets against measured
values, the monthly trend of the work, late reports, open tips), as charts and as tables."""
from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from portal.charts import count_lines, percent_bars
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import span_label
from portal.labels import TARGET_CATEGORY_LABELS, TARGET_MEASURE_LABELS
from portal.models import Unit, User
from portal.services import evaluation, scope, tips
from portal.services.registry import today as local_today
from portal.web import render

bp = Blueprint("home", __name__)


def target_label(target) -> str:
    category = TARGET_CATEGORY_LABELS.get(target.category, target.category)
    return f"{category}: {TARGET_MEASURE_LABELS.get(target.measure, target.measure)} ({target.plan.number})"


@bp.get("/overview")
def dashboard():
    user, today, now = current_user, local_today(), utcnow()
    year = evaluation.valid_year(request.args.get("year"), today)
    in_scope = scope.unit_ids(user)
    units = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.id.in_(in_scope)))
    people = db.session.scalar(select(func.count()).select_from(User).where(User.unit_id.in_(in_scope)))
    board = evaluation.dashboard(user, year, today, now)
    measured = [r for r in board.targets if r.measurable]
    bars = percent_bars([(target_label(r.target), r.measured.percent, r.target.percent, r.measured.met)
                         for r in measured])
    trend = count_lines([f"{m:02d}" for m in board.months],
                        [("commitments", _("Commitments signed"), board.trend["commitments"]),
                         ("inspections", _("Inspections"), board.trend["inspections"]),
                         ("violations", _("Violations found"), board.trend["violations"])])
    return render("internal/dashboard.html", unit_count=units, user_count=people, board=board, year=year,
                  bars=bars, trend=trend, reached=sum(1 for r in measured if r.measured.met), measured=measured,
                  target_label=target_label, now=now, waited=span_label(tips.waited(board.oldest_tip, now))
                  if board.oldest_tip else None, late_by=lambda o: span_label(evaluation.late_by(o, now)),
                  years=range(today.year, today.year - 6, -1), area_name=_area_name(user))


def _area_name(user) -> str:
    unit = user.unit
    if unit.ward:
        return unit.ward.name
    if unit.province:
        return unit.province.name
    return _("the whole country")
