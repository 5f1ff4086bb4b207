"""The staff home page."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Unit, User
from portal.services import scope
from portal.web import render

bp = Blueprint("home", __name__)


@bp.get("/overview")
def dashboard():
    user = current_user
    in_scope = scope.unit_ids(user)
    units = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.id.in_(in_scope)))
    people = db.session.scalar(select(func.count()).select_from(User).where(User.unit_id.in_(in_scope)))
    return render("internal/dashboard.html", unit_count=units, user_count=people)
