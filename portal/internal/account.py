"""A staff member's own account: profile and password."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import sessions
from portal.extensions import db
from portal.internal.forms.auth import CodeForm, DisableTwoFactorForm, PasswordChangeForm
from portal.internal.forms.fields import EmptyForm
from portal.services import auth, two_factor
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


SETUP_KEY = "totp_setup"


@bp.route("/two-factor", methods=["GET", "POST"])
def two_factor_setup():
    """Turn on the second factor: scan the QR code, type a code to prove it works, note the
    recovery codes (shown once)."""
    user = current_user._get_current_object()
    if two_factor.enabled(user):
        return render("internal/account/two_factor.html", user=user, required=two_factor.required(user),
                      left=two_factor.recovery_codes_left(user), renew=CodeForm(prefix="renew"),
                      disable=DisableTwoFactorForm(prefix="off"))
    secret = session.get(SETUP_KEY) or two_factor.new_secret()
    session[SETUP_KEY] = secret
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(user, secret, form.code.data)
        except ValidationFailed as refused:
            apply_errors(form, refused.errors)
            status = 422
        else:
            session.pop(SETUP_KEY, None)
            db.session.commit()
            return _codes_page(codes, first=True)
    elif form.is_submitted():
        status = 422
    uri = two_factor.provisioning_uri(secret, user.username)
    return render("internal/account/two_factor_setup.html", form=form, secret=secret,
                  qr=two_factor.qr_svg(uri), required=two_factor.required(user), status=status)


def _codes_page(codes: list[str], *, first: bool):
    response = render("internal/account/recovery_codes.html", codes=codes, first=first)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/two-factor/recovery-codes")
def renew_recovery_codes():
    user = current_user._get_current_object()
    form = CodeForm(prefix="renew")
    if form.validate_on_submit() and two_factor.enabled(user):
        try:
            codes = two_factor.regenerate_recovery_codes(user, form.code.data)
        except ValidationFailed:
            db.session.commit()
            flash(_("This code is not right."), "error")
        else:
            db.session.commit()
            return _codes_page(codes, first=False)
    return redirect(url_for("internal.account.two_factor_setup"), code=303)


@bp.post("/two-factor/off")
def two_factor_off():
    user = current_user._get_current_object()
    form = DisableTwoFactorForm(prefix="off")
    if form.validate_on_submit():
        try:
            two_factor.disable(user, form.password.data)
        except ValidationFailed as refused:
            for messages in refused.errors.values():
                for message in messages:
                    flash(str(message), "error")
        else:
            db.session.commit()
            flash(_("The second factor is off. You sign in with your password only."), "success")
    return redirect(url_for("internal.account.two_factor_setup"), code=303)
