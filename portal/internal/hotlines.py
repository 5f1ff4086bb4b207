"""Hotlines: staff manage the numbers each unit publishes."""
from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.internal.forms.admin import options, unit_options
from portal.internal.forms.fields import EmptyForm, optional_int
from portal.internal.forms.public_content import HotlineForm
from portal.models import Hotline, Province
from portal.services import areas, hotlines
from portal.web import act, render, submit

bp = Blueprint("hotlines", __name__, url_prefix="/hotlines")

ID = "<int(max=2147483647):hotline_id>"


def _load(hotline_id: int) -> Hotline:
    return hotlines.get(current_user, hotline_id) or abort(404)


def _managed(hotline_id: int) -> Hotline:
    hotline = _load(hotline_id)
    hotlines.ensure_can_manage(current_user, hotline)
    return hotline


@bp.get("/")
def index():
    rows = list(db.session.scalars(hotlines.in_scope(current_user)))
    return render("internal/hotlines/index.html", hotlines=rows, form=EmptyForm(),
                  can_manage=hotlines.can_manage(current_user), deleted=hotlines.recently_deleted(current_user))


def _form(hotline: Hotline | None) -> HotlineForm:
    form = HotlineForm(obj=hotline) if hotline is not None and request.method == "GET" else HotlineForm()
    unit = current_user.unit
    form.unit_id.choices = unit_options(hotlines.units_for(current_user))
    provinces = [db.session.get(Province, unit.province_code)] if unit.province_code else areas.provinces()
    blank = [] if unit.province_code else [("", _("— The whole country —"))]
    form.province_code.choices = options(blank + [(p.code, p.name) for p in provinces])
    if request.method == "GET" and hotline is not None:
        form.phones.data = "\n".join(hotline.phone_list)
    elif request.method == "GET":
        form.unit_id.data = unit.id
        form.province_code.data, form.ward_code.data = unit.province_code, unit.ward_code
    wards = ([w for w in areas.wards_of(unit.province_code) if w.code == unit.ward_code] if unit.ward_code
             else areas.wards_of(form.province_code.data))
    form.ward_code.choices = options(([] if unit.ward_code else [("", "—")]) + [(w.code, w.name) for w in wards])
    return form


def _data(form: HotlineForm) -> hotlines.HotlineData:
    return hotlines.HotlineData(
        unit_id=form.unit_id.data, label=form.label.data, phones=form.phones.numbers, email=form.email.data,
        address=form.address.data, hours=form.hours.data, province_code=form.province_code.data,
        ward_code=form.ward_code.data, published=form.published.data, position=form.position.data or 0)


def _page(form: HotlineForm, hotline: Hotline | None, change, status_ok: int = 200):
    outcome = submit(form, change,
                     message=lambda saved: _("The hotline %(label)s has been saved.", label=saved.label),
                     next_url=lambda saved: url_for("internal.hotlines.index"))
    return outcome.response or render("internal/hotlines/form.html", form=form, hotline=hotline,
                                      status=outcome.status)


@bp.route("/new", methods=["GET", "POST"])
def create():
    hotlines.ensure_can_manage(current_user)
    form = _form(None)
    return _page(form, None, lambda: hotlines.create(current_user, _data(form)))


@bp.route(f"/{ID}/edit", methods=["GET", "POST"])
def edit(hotline_id: int):
    hotline = _managed(hotline_id)
    form = _form(hotline)
    return _page(form, hotline, lambda: hotlines.update(current_user, hotline, _data(form),
                                                         version=form.version.data))


@bp.post(f"/{ID}/<any(publish, unpublish):action>")
def publish(hotline_id: int, action: str):
    hotline = _managed(hotline_id)
    if not EmptyForm().validate():
        abort(400)
    shown = action == "publish"
    return act(lambda: hotlines.set_published(current_user, hotline, shown),
               message=_("The hotline is shown on the public site.") if shown
               else _("The hotline is no longer shown on the public site."),
               next_url=url_for("internal.hotlines.index"))


@bp.route(f"/{ID}/delete", methods=["GET", "POST"])
def delete(hotline_id: int):
    hotline = _managed(hotline_id)
    form = EmptyForm()
    if form.validate_on_submit():
        return act(lambda: hotlines.delete(current_user, hotline),
                   message=_("The hotline %(label)s has been removed.", label=hotline.label),
                   next_url=url_for("internal.hotlines.index"))
    return render("internal/hotlines/delete.html", hotline=hotline, form=form)


@bp.post(f"/{ID}/restore")
def restore(hotline_id: int):
    hotline = hotlines.get_deleted(current_user, hotline_id) or abort(404)
    if not EmptyForm().validate():
        abort(400)
    return act(lambda: hotlines.restore(current_user, hotline),
               message=_("The hotline %(label)s has been restored.", label=hotline.label),
               next_url=url_for("internal.hotlines.index"))


@bp.get("/ward-field")
def ward_field():
    """The ward select for the chosen province (htmx swaps it when the province changes)."""
    form = HotlineForm(formdata=None)
    province = optional_int(request.args.get("province_code"))
    if current_user.unit.province_code:
        province = current_user.unit.province_code
    wards = areas.wards_of(province)
    if current_user.unit.ward_code:
        wards = [w for w in wards if w.code == current_user.unit.ward_code]
    form.ward_code.choices = options(([] if current_user.unit.ward_code else [("", "—")])
                                     + [(w.code, w.name) for w in wards])
    return render("internal/hotlines/_ward_field.html", form=form)
