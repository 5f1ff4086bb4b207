"""A staff member's own account: profile and password."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import sessions
from portal.extensions import db
from portal.internal.forms.auth import PasswordChangeForm
from portal.internal.forms.fields import EmptyForm
from portal.services import auth
from portal.services.errors import ValidationFailed
from portal.web import apply_errors, done, render

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("/")
def profile():
    return render("internal/account/profile.html")


@bp.route("/password", methods=["GET", "POST"])
def password():
    form = PasswordChangeForm()
    if not form.is_submitted():
        return render("internal/account/password.html", form=form)
    if form.validate():
        try:
            auth.change_password(current_user, form.current_password.data, form.new_password.data,
                                 keep_token=sessions.current_token())
        except ValidationFailed as refused:
            apply_errors(form, refused.errors)
        else:
            db.session.commit()
            flash(_("Your password has been changed. Your other sessions have been ended."), "success")
            return done(url_for("internal.account.profile"))
    else:  # report the password rules in the same round as the form's own checks
        problems = auth.password_change_problems(current_user, form.current_password.data or "",
                                                 form.new_password.data or "")
        apply_errors(form, {k: v for k, v in problems.items() if not getattr(form, k).errors})
    return render("internal/account/password.html", form=form, status=422)


@bp.get("/sessions")
def session_list():
    token = sessions.current_token()
    rows = auth.live_sessions(current_user)
    return render("internal/account/sessions.html", rows=rows, form=EmptyForm(),
                  current={row.id for row in rows if auth.is_current(row, token)})


@bp.post("/sessions/<int(max=2147483647):session_id>/end")
def end_session(session_id: int):
    if EmptyForm().validate_on_submit() and auth.end_own_session(
            current_user, session_id, current_token=sessions.current_token()):
        db.session.commit()
        flash(_("The session has been ended: that device is signed out."), "success")
    else:
        flash(_("That session was already over."), "warning")
    return redirect(url_for("internal.account.session_list"), code=303)


@bp.post("/sessions/end-others")
def end_other_sessions():
    if EmptyForm().validate_on_submit():
        auth.end_other_sessions(current_user, current_token=sessions.current_token())
        db.session.commit()
        flash(_("Every other session has been ended."), "success")
    return redirect(url_for("internal.account.session_list"), code=303)
