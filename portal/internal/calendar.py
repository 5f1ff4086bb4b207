"""The reporting calendar of one's unit, and its private iCalendar feed."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.db import utcnow
from portal.extensions import db
from portal.internal.forms.fields import EmptyForm
from portal.labels import OBLIGATION_STATE_LABELS
from portal.models import ReportObligation
from portal.services import calendar
from portal.web import done, render

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

NEW_LINK = "calendar_link"  # shown once after it is made, then only its hash is kept


@bp.get("/")
def index():
    now = utcnow()
    return render("internal/calendar/index.html", obligations=calendar.entries(current_user.unit_id, now),
                  now=now, state=calendar.state, feed=calendar.current_feed(current_user),
                  new_link=session.pop(NEW_LINK, None), form=EmptyForm())


@bp.post("/link")
def new_link():
    token = calendar.new_feed(current_user)
    db.session.commit()
    session[NEW_LINK] = url_for("internal.calendar.feed", token=token, _external=True)
    flash(_("Your private calendar link is ready. Anyone who has it can read your unit's deadlines."), "success")
    return done(url_for("internal.calendar.index"))


@bp.post("/link/revoke")
def revoke_link():
    calendar.revoke_feeds(current_user)
    db.session.commit()
    flash(_("Your calendar link no longer works."), "success")
    return done(url_for("internal.calendar.index"))


@bp.post("/obligations/<int(max=2147483647):obligation_id>/submitted")
def submitted(obligation_id: int):
    obligation = db.session.get(ReportObligation, obligation_id) or abort(404)
    calendar.submit(current_user, obligation)
    db.session.commit()
    flash(_("The report is marked as submitted."), "success")
    return done(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                else url_for("internal.calendar.index"))


@bp.get("/feed/<token>.ics")
def feed(token: str):
    """Read by calendar programs, which cannot sign in: the private token is the key."""
    user = calendar.user_for_feed(token[:100])
    if user is None:
        abort(404)
    with force_locale(user.locale or "vi"):
        now = utcnow()
        body = calendar.ics(user.unit.name, calendar.entries(user.unit_id, now), summary=summary,
                            describe=lambda o: f"{OBLIGATION_STATE_LABELS[calendar.state(o, now)]} · "
                                               f"{o.rule.plan.number} — {o.rule.plan.title}")
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, no-store"})


def summary(obligation: ReportObligation) -> str:
    return _("%(report)s to %(receiver)s", report=obligation.rule.name, receiver=obligation.rule.receiver.name)
