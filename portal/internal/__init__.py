"""The staff area under /internal/: deny by default, every route needs a signed-in user
except the ones listed in OPEN_ENDPOINTS; a user who must change their password or set up
their second factor reaches nothing else until they have."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from portal.extensions import htmx
from portal.services import two_factor

bp = Blueprint("internal", __name__, url_prefix="/internal")

#: The only staff endpoints a visitor who has not signed in may reach.
OPEN_ENDPOINTS = frozenset({"internal.auth.login", "internal.auth.second_factor", "internal.calendar.feed"})

#: What a user who must change their password may still reach.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"internal.account.password", "internal.auth.logout"})

#: What an administrator or leader who has no second factor yet may still reach (ASVS 6.3.2):
#: setting it up (which shows the recovery codes) and signing out.
ENROLMENT_ENDPOINTS = frozenset({"internal.account.two_factor_setup", "internal.auth.logout"})


@bp.before_request
def deny_by_default():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return _send_to(url_for("internal.auth.login", next=request.full_path.rstrip("?")
                                if request.method == "GET" else None), 401)
    if current_user.must_change_password:  # first the password, then the second factor
        if request.endpoint in PASSWORD_CHANGE_ENDPOINTS:
            return None
        return _send_to(url_for("internal.account.password"), 403)
    if two_factor.must_enrol(current_user) and request.endpoint not in ENROLMENT_ENDPOINTS:
        return _send_to(url_for("internal.account.two_factor_setup"), 403)
    return None


def _send_to(target: str, htmx_status: int):
    """A redirect; for htmx, which would swap the target page into a fragment, an HX-Redirect."""
    if htmx:
        return "", htmx_status, {"HX-Redirect": target}
    return redirect(target)


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
