"""Signing in and out of the staff area."""
from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal import sessions
from portal.extensions import db
from portal.internal.forms.auth import CodeForm, SignInForm
from portal.models import SignInAttempt, User
from portal.services import auth, two_factor
from portal.web import render, safe_next

bp = Blueprint("auth", __name__)

#: Session key of a sign-in whose password was right and whose second factor is awaited.
PENDING = "pending_sign_in"
PENDING_SECONDS = 300


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
            if two_factor.enabled(user):
                db.session.commit()
                session[PENDING] = {"user": user.id, "attempt": attempt.id, "at": time.time(),
                                    "next": safe_next(form.next.data, home)}
                return redirect(url_for("internal.auth.second_factor"), code=303)
            auth.finish_sign_in(user, attempt)
            sessions.sign_in(user)
            db.session.commit()
            return redirect(safe_next(form.next.data, home), code=303)
    elif form.is_submitted():
        status = 422
    return render("internal/login.html", form=form, status=status)


def _pending() -> tuple[User, SignInAttempt, str] | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, pending.get("user"))
    attempt = db.session.get(SignInAttempt, pending.get("attempt"))
    if user is None or attempt is None or not two_factor.enabled(user):
        session.pop(PENDING, None)
        return None
    return user, attempt, pending.get("next") or url_for("internal.work.index")


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """Step two of signing in for accounts with a second factor: the code from the app."""
    pending = _pending()
    if pending is None:
        flash(_("Please sign in again: the sign-in had expired."), "warning")
        return redirect(url_for("internal.auth.login"), code=303)
    user, first_attempt, target = pending
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        attempt = auth.record_attempt(user.username, sessions.client())
        db.session.commit()
        try:
            auth.check_second_factor(user, attempt, form.code.data)
        except auth.SignInThrottled as refused:
            db.session.commit()
            session.pop(PENDING, None)
            form.form_errors.append(ngettext(
                "Too many failed attempts. Try again in %(num)d minute.",
                "Too many failed attempts. Try again in %(num)d minutes.", refused.minutes))
            status = 429
        except auth.SignInRefused:
            db.session.commit()
            form.code.errors = [_("This code is not right. Type the code your app shows now, or a recovery code.")]
            status = 422
        else:
            auth.finish_sign_in(user, first_attempt, attempt)
            sessions.sign_in(user)
            db.session.commit()
            return redirect(target, code=303)
    elif form.is_submitted():
        status = 422
    return render("internal/login_code.html", form=form, status=status)


@bp.post("/logout")
def logout():
    sessions.sign_out(current_user._get_current_object())
    db.session.commit()
    flash(_("You have signed out."), "success")
    return redirect(url_for("internal.auth.login"), code=303)
