"""The audit log, read-only, for administrators."""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from portal.extensions import db
from portal.models import Role
from portal.services import audit, scope
from portal.web import page_number, render

bp = Blueprint("audit", __name__, url_prefix="/audit")

PER_PAGE = 50


@bp.get("/")
def index():
    scope.ensure_role(current_user, Role.ADMIN)
    action = request.args.get("action", "").strip()[:60] or None
    username = request.args.get("user", "").strip()[:60] or None
    number = page_number()
    page = db.paginate(audit.entries_for(current_user, action=action, username=username),
                       page=number, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    return render("internal/audit/index.html", page=page, action=action, username=username or "",
                  actions=audit.actions())
