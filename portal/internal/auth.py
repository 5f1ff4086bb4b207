"""Signing in and out of the staff area."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal import sessions
from portal.extensions import db
from portal.internal.forms.auth import SignInForm
from portal.services import auth
from portal.web import render, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    home = url_for("internal.work.index")  # staff land on their work
    if current_user.is_authenticated:
        return redirect(home)
    form = SignInForm(next=request.args.get("next"))
    status = 200
    if form.validate_on_submit():
        attempt = auth.record_attempt(form.username.data, sessions.client())
        db.session.commit()
        try:
            user = auth.authenticate(attempt, form.password.data)
        except auth.SignInThrottled as refused:
            db.session.commit()
            form.form_errors.append(ngettext(
                "Too many failed attempts. Try again in %(num)d minute.",
                "Too many failed attempts. Try again in %(num)d minutes.", refused.minutes))
            status = 429
        except auth.SignInRefused:
            db.session.commit()
            form.form_errors.append(_("The user name or password is not correct, or the account is locked."))
            status = 422
        else:
            sessions.sign_in(user)
            db.session.commit()
            return redirect(safe_next(form.next.data, home), code=303)
    elif form.is_submitted():
        status = 422
    return render("internal/login.html", form=form, status=status)


@bp.post("/logout")
def logout():
    sessions.sign_out(current_user._get_current_object())
    db.session.commit()
    flash(_("You have signed out."), "success")
    return redirect(url_for("internal.auth.login"), code=303)
