"""The staff area under /internal/: deny by default, every route needs a signed-in user
except the ones listed in OPEN_ENDPOINTS."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from portal.extensions import htmx

bp = Blueprint("internal", __name__, url_prefix="/internal")

#: The only staff endpoints a visitor who has not signed in may reach.
OPEN_ENDPOINTS = frozenset({"internal.auth.login", "internal.auth.second_factor", "internal.calendar.feed"})

#: What a user who must change their password may still reach.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"internal.account.password", "internal.auth.logout"})


@bp.before_request
def deny_by_default():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        target = url_for("internal.auth.login", next=request.full_path.rstrip("?")
                         if request.method == "GET" else None)
        if htmx:
            return "", 401, {"HX-Redirect": target}
        return redirect(target)
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("internal.account.password"))
    return None


def _register_children() -> None:
    from portal.internal import (
        account,
        audit,
        auth,
        calendar,
        coverage,
        enforcement,
        evaluation,
        guides,
        home,
        hotlines,
        outreach,
        paperwork,
        plans,
        publication,
        quotas,
        registry,
        registry_io,
        report_files,
        reports,
        stickers,
        tips,
        units,
        users,
        work,
    )

    for child in (auth.bp, home.bp, account.bp, units.bp, users.bp, audit.bp, plans.bp, work.bp, calendar.bp,
                  quotas.bp, registry.bp, outreach.bp, coverage.bp, paperwork.bp, registry_io.bp,
                  enforcement.bp, publication.bp, hotlines.bp, guides.bp, tips.bp,
                  stickers.bp, reports.bp, report_files.bp, evaluation.bp):
        bp.register_blueprint(child)


_register_children()
