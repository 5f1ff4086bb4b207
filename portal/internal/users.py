"""Administration of staff accounts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.internal.forms.admin import NewUserForm, ResetPasswordForm, UserForm
from portal.internal.forms.fields import EmptyForm
from portal.models import Role, User
from portal.services import scope, units, users
from portal.web import done, render, submit, wants_fragment

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.before_request
def administrators_only():
    scope.ensure_role(current_user, Role.ADMIN)


def _load(user_id: int) -> User:
    user = users.get_user(current_user, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/")
def index():
    q = request.args.get("q", "").strip()[:60]
    return render("internal/users/index.html", users=users.list_users(current_user, q=q or None),
                  q=q, form=EmptyForm())


def _data(form: UserForm) -> users.UserData:
    return users.UserData(full_name=form.full_name.data, email=form.email.data, unit_id=form.unit_id.data,
                          roles={Role(r) for r in form.roles.data or []}, active=form.active.data)


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = NewUserForm()
    form.fill_choices(units.list_units(current_user))
    if request.method == "GET":
        form.unit_id.data = current_user.unit_id
    outcome = submit(form, lambda: users.create_user(current_user, form.username.data, form.password.data,
                                                     _data(form)),
                     message=lambda user: _("The account %(username)s has been created.", username=user.username),
                     next_url=lambda user: url_for("internal.users.index"))
    return outcome.response or render("internal/users/form.html", form=form, user=None, status=outcome.status)


@bp.route("/<int(max=2147483647):user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    user = _load(user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    if request.method == "GET":
        form.roles.data = [r.value for r in user.roles]
    form.fill_choices(units.list_units(current_user))
    outcome = submit(form, lambda: users.update_user(current_user, user, _data(form), version=form.version.data),
                     message=lambda saved: _("The account %(username)s has been saved.", username=saved.username),
                     next_url=lambda saved: url_for("internal.users.index"))
    return outcome.response or render("internal/users/form.html", form=form, user=user, status=outcome.status)


@bp.post("/<int(max=2147483647):user_id>/lock")
def lock(user_id: int):
    return _set_active(user_id, False)


@bp.post("/<int(max=2147483647):user_id>/unlock")
def unlock(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = _load(user_id)
    users.set_active(current_user, user, active)
    db.session.commit()
    message = (_("The account %(username)s is active again.", username=user.username) if active else
               _("The account %(username)s is locked and its sessions have ended.", username=user.username))
    flash(message, "success")
    if wants_fragment(f"user-{user.id}"):
        return render("internal/users/_row.html", user=user, form=EmptyForm(), oob_messages=True)
    return done(url_for("internal.users.index"))


@bp.route("/<int(max=2147483647):user_id>/password", methods=["GET", "POST"])
def reset_password(user_id: int):
    user = _load(user_id)
    users.ensure_can_reset_password(current_user, user)
    form = ResetPasswordForm()
    outcome = submit(form, lambda: users.reset_password(current_user, user, form.password.data),
                     message=lambda u: _("A temporary password has been set for %(username)s.", username=u.username),
                     next_url=lambda u: url_for("internal.users.index"))
    return outcome.response or render("internal/users/password.html", form=form, user=user, status=outcome.status,
                                      reset_form=EmptyForm())


@bp.post("/<int(max=2147483647):user_id>/two-factor/reset")
def reset_second_factor(user_id: int):
    user = _load(user_id)
    if EmptyForm().validate_on_submit():
        users.reset_second_factor(current_user, user)
        db.session.commit()
        flash(_("The second factor of %(username)s has been cleared; they set it up again at their next "
                "sign-in.", username=user.username), "success")
    return done(url_for("internal.users.index"))
