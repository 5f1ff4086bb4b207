"""Organisation units: every staff member reads the units in their scope; administrators change them."""
from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.internal.forms.admin import UnitForm, options
from portal.internal.forms.fields import EmptyForm, optional_int
from portal.models import Role, Unit, UnitKind
from portal.services import areas, scope, units
from portal.web import render, submit

bp = Blueprint("units", __name__, url_prefix="/units")


def _load(unit_id: int) -> Unit:
    unit = units.get_unit(current_user, unit_id)
    if unit is None:
        abort(404)
    return unit


@bp.get("/")
def index():
    rows = units.list_units(current_user)
    counts = units.member_counts([u.id for u in rows])
    base_depth = current_user.unit.depth
    return render("internal/units/index.html", units=rows, counts=counts, base_depth=base_depth)


@bp.get("/<int(max=2147483647):unit_id>")
def detail(unit_id: int):
    unit = _load(unit_id)
    ancestors = [a for a in (db.session.get(Unit, i) for i in unit.ancestor_ids) if scope.covers(current_user, a)]
    return render("internal/units/detail.html", unit=unit, ancestors=ancestors,
                  members=units.members(unit), form=EmptyForm())


def _form(unit: Unit | None) -> UnitForm:
    form = UnitForm(obj=unit) if request.method == "GET" and unit else UnitForm()
    if request.method == "GET" and unit is None:
        parent = units.get_unit(current_user, optional_int(request.args.get("parent")) or current_user.unit_id)
        form.parent_id.data = parent.id if parent else None
        form.province_code.data = parent.province_code if parent else None
        form.ward_code.data = parent.ward_code if parent else None
    if unit is not None and request.method == "GET":
        form.kind.data = unit.kind.value
    form.fill_choices(units.list_units(current_user), areas.provinces(), areas.wards_of(form.province_code.data))
    return form


def _data(form: UnitForm) -> units.UnitData:
    return units.UnitData(
        name=form.name.data, kind=UnitKind(form.kind.data), parent_id=form.parent_id.data,
        province_code=form.province_code.data, ward_code=form.ward_code.data, email=form.email.data,
        phone=form.phone.data, address=form.address.data)


@bp.route("/new", methods=["GET", "POST"])
def create():
    scope.ensure_role(current_user, Role.ADMIN)
    form = _form(None)
    outcome = submit(form, lambda: units.create_unit(current_user, _data(form)),
                     message=lambda unit: _("The unit %(name)s has been created.", name=unit.name),
                     next_url=lambda unit: url_for("internal.units.detail", unit_id=unit.id))
    return outcome.response or render("internal/units/form.html", form=form, unit=None, status=outcome.status)


@bp.route("/<int(max=2147483647):unit_id>/edit", methods=["GET", "POST"])
def edit(unit_id: int):
    scope.ensure_role(current_user, Role.ADMIN)
    unit = _load(unit_id)
    form = _form(unit)
    if unit.parent_id is None or unit.id == current_user.unit_id:
        # the top of one's own scope stays where it is: its parent is the only choice
        parent = unit.parent
        form.parent_id.choices = options([(parent.id, parent.name)] if parent else [("", "—")])
        if request.method == "GET":
            form.parent_id.data = unit.parent_id
    outcome = submit(form, lambda: units.update_unit(current_user, unit, _data(form), version=form.version.data),
                     message=lambda saved: _("The unit %(name)s has been saved.", name=saved.name),
                     next_url=lambda saved: url_for("internal.units.detail", unit_id=saved.id))
    return outcome.response or render("internal/units/form.html", form=form, unit=unit, status=outcome.status)


@bp.get("/ward-field")
def ward_field():
    """The ward select for the chosen province (htmx swaps it when the province changes)."""
    form = UnitForm(formdata=None)
    province = optional_int(request.args.get("province_code"))
    form.fill_choices([], [], areas.wards_of(province))
    return render("internal/units/_ward_field.html", form=form)
